/* BURST perf events (default 1) per getppid() of the process TGID: a
 * faster source than a uprobe, to find where each consumer stops keeping
 * up. */
#include <linux/sched.h>

#ifndef BURST
#define BURST 1
#endif

struct event {
	u32 counter;
	u32 pid;
	u64 ts;
};

BPF_PERF_OUTPUT(events);

TRACEPOINT_PROBE(syscalls, sys_enter_getppid)
{
	struct event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	if (e.pid != TGID)
		return 0;
	e.ts = bpf_ktime_get_ns();
	for (u32 i = 0; i < BURST; i++) {
		e.counter = i;
		events.perf_submit(args, &e, sizeof(e));
	}
	return 0;
}
