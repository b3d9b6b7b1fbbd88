/* bitesize: I/O sizes as one log2 histogram per process name.
 * From iovisor/bcc tools/bitesize.py: struct proc_key_t { name; slot }
 * and dist.increment(key) on a BPF_HISTOGRAM keyed by it. Changed: fed
 * from syscalls:sys_enter_write (bytes) instead of block:block_rq_issue
 * (Kbytes; this host's disk I/O is not the test's), for the suite's
 * workload only. */
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

struct proc_key_t {
	char name[TASK_COMM_LEN];
	u64 slot;
};

BPF_HISTOGRAM(dist, struct proc_key_t);

TRACEPOINT_PROBE(syscalls, sys_enter_write)
{
	struct proc_key_t key = { .slot = bpf_log2l(args->count) };

	if (!conf_is_workload())
		return 0;
	bpf_get_current_comm(&key.name, sizeof(key.name));
	dist.increment(key);
	return 0;
}
