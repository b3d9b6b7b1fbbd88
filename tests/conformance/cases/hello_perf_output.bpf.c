/* hello_perf_output: one event per clone() with pid, time and comm.
 * From iovisor/bcc examples/tracing/hello_perf_output.py: struct data_t
 * { pid; ts; comm } and events.perf_submit. Changed: the
 * syscalls:sys_enter_clone tracepoint instead of a kprobe on sys_clone
 * (no kprobes here); the suite's workload only. */
#include <uapi/linux/ptrace.h>

/* linux/sched.h's, without including kernel headers */
#define TASK_COMM_LEN 16

/* comm == "bcc-conf-wl" (tests/conformance/conf_work.c) */
static inline int conf_is_workload(void)
{
	u64 w[2] = {};

	bpf_get_current_comm(w, sizeof(w));
	return w[0] == 0x666e6f632d636362ULL && w[1] == 0x6c772dULL;
}

struct data_t {
	u32 pid;
	u64 ts;
	char comm[TASK_COMM_LEN];
};
BPF_PERF_OUTPUT(events);

TRACEPOINT_PROBE(syscalls, sys_enter_clone)
{
	struct data_t data = {};

	if (!conf_is_workload())
		return 0;
	data.pid = bpf_get_current_pid_tgid();
	data.ts = bpf_ktime_get_ns();
	bpf_get_current_comm(&data.comm, sizeof(data.comm));
	events.perf_submit(args, &data, sizeof(data));
	return 0;
}
