/* syscount_latency: system calls counted by number, with their time.
 * From iovisor/bcc tools/syscount.py -L: struct data_t { count;
 * total_ns; } values, BPF_HASH(start, u64) of entry times by thread,
 * raw_syscalls:sys_enter and sys_exit. Changed: the comm filter is the
 * suite's workload. */
#include <uapi/linux/ptrace.h>

/* comm == "bcc-conf-wl" (tests/conformance/conf_work.c) */
static inline int conf_is_workload(void)
{
	u64 w[2] = {};

	bpf_get_current_comm(w, sizeof(w));
	return w[0] == 0x666e6f632d636362ULL && w[1] == 0x6c772dULL;
}

struct data_t {
	u64 count;
	u64 total_ns;
};

BPF_HASH(start, u64, u64);
BPF_HASH(data, u32, struct data_t);

TRACEPOINT_PROBE(raw_syscalls, sys_enter)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u64 t = bpf_ktime_get_ns();

	if (!conf_is_workload())
		return 0;
	start.update(&pid_tgid, &t);
	return 0;
}

TRACEPOINT_PROBE(raw_syscalls, sys_exit)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	struct data_t *val, zero = {};
	u64 *start_ns = start.lookup(&pid_tgid);
	u32 key = args->id;

	if (!start_ns)
		return 0;
	val = data.lookup_or_try_init(&key, &zero);
	if (val) {
		val->count++;
		val->total_ns += bpf_ktime_get_ns() - *start_ns;
	}
	start.delete(&pid_tgid);
	return 0;
}
