/* ringbuf_submit: openat() arguments through a BPF ring buffer.
 * From iovisor/bcc examples/ringbuf/ringbuf_submit.py: struct event
 * { filename[64]; dfd; flags; mode; }, buffer.ringbuf_reserve() and
 * ringbuf_submit() in openat_entry(struct
 * tracepoint__syscalls__sys_enter_openat *args), attached to
 * syscalls:sys_enter_openat by name. Changed: the suite's workload only. */

/* comm == "bcc-conf-wl" (tests/conformance/conf_work.c) */
static inline int conf_is_workload(void)
{
	u64 w[2] = {};

	bpf_get_current_comm(w, sizeof(w));
	return w[0] == 0x666e6f632d636362ULL && w[1] == 0x6c772dULL;
}

BPF_RINGBUF_OUTPUT(buffer, 1 << 4);

struct event {
	char filename[64];
	int dfd;
	int flags;
	int mode;
};

int openat_entry(struct tracepoint__syscalls__sys_enter_openat *args)
{
	struct event *event;

	if (!conf_is_workload())
		return 0;
	event = buffer.ringbuf_reserve(sizeof(struct event));
	if (!event)
		return 1;
	bpf_probe_read_user_str(event->filename, sizeof(event->filename), args->filename);
	event->dfd = args->dfd;
	event->flags = args->flags;
	event->mode = args->mode;
	buffer.ringbuf_submit(event, 0);
	return 0;
}
