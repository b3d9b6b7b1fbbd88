/* One perf event per call of func() in target-sample: the load for the
 * throughput benchmark. */
#include <uapi/linux/ptrace.h>

struct event {
	u32 counter;
	u32 pid;
	u64 ts;
};

BPF_PERF_OUTPUT(events);

int on_func(struct pt_regs *ctx)
{
	struct event e = {};

	e.counter = PT_REGS_PARM1(ctx);
	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.ts = bpf_ktime_get_ns();
	events.perf_submit(ctx, &e, sizeof(e));
	return 0;
}
