/* Process starts through a BPF_RINGBUF_OUTPUT table (kernel 5.8+).
 *   sudo bcc-run examples/exec_ringbuf.bpf.c */
#include <linux/sched.h>

struct exec_event {
	u32 pid;
	u32 uid;
	char comm[TASK_COMM_LEN];
};

BPF_RINGBUF_OUTPUT(execs, 8);

RAW_TRACEPOINT_PROBE(sched_process_exec)
{
	struct exec_event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.uid = bpf_get_current_uid_gid();
	bpf_get_current_comm(&e.comm, sizeof(e.comm));
	execs.ringbuf_output(&e, sizeof(e), 0);
	return 0;
}
