/* bcc-run --metrics under load (make bench): each getppid() of the
 * process TGID adds to one of SERIES entries of a table keyed by a struct
 * (two labels) and sends one perf event, so a scrape reads SERIES series
 * while the events flow. */
#ifndef SERIES
#define SERIES 10000
#endif

struct key_t {
	u32 id;
	char comm[16];
};

struct event {
	u32 id;
	u32 pid;
	u64 ts;
};

BPF_HASH(series, struct key_t, u64, SERIES + 1024);
BPF_ARRAY(next_id, u32, 1);
BPF_PERF_OUTPUT(events);

TRACEPOINT_PROBE(syscalls, sys_enter_getppid)
{
	struct key_t k = {};
	struct event e = {};
	int zero = 0;
	u32 *n;

	e.pid = bpf_get_current_pid_tgid() >> 32;
	if (e.pid != TGID)
		return 0;
	n = next_id.lookup(&zero);
	if (!n)
		return 0;
	k.id = *n % SERIES;
	*n += 1;
	bpf_get_current_comm(&k.comm, sizeof(k.comm));
	series.increment(k);
	e.id = k.id;
	e.ts = bpf_ktime_get_ns();
	events.perf_submit(args, &e, sizeof(e));
	return 0;
}
