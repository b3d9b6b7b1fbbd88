/* Opens as perf events: a struct per openat(), decoded by bcc-run from its
 * field names.
 *   sudo bcc-run examples/open_events.bpf.c --json */
#include <linux/sched.h>

struct event {
	u32 pid;
	u32 uid;
	s64 flags;
	char comm[TASK_COMM_LEN];
	char fname[64];
};

BPF_PERF_OUTPUT(events);

TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	struct event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.uid = bpf_get_current_uid_gid();
	e.flags = args->flags;
	bpf_get_current_comm(&e.comm, sizeof(e.comm));
	bpf_probe_read_user_str(&e.fname, sizeof(e.fname), args->filename);
	events.perf_submit(args, &e, sizeof(e));
	return 0;
}
