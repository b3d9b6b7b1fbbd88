/* stackcount: events counted by kernel and user stack.
 * From iovisor/bcc tools/stackcount.py as it generates the text with
 * default options for a uprobe and for a tracepoint: struct key_t
 * { tgid; kernel_stack_id; user_stack_id; name }, BPF_HASH(counts),
 * BPF_STACK_TRACE(stack_traces, 1024). Changed: one function per probe
 * kind (a uprobe's and a tracepoint's program types differ), and the
 * tracepoint counts only the suite's workload (stackcount's -p). */
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

struct key_t {
	u32 tgid;
	int kernel_stack_id;
	int user_stack_id;
	char name[TASK_COMM_LEN];
};

BPF_HASH(counts, struct key_t);
BPF_STACK_TRACE(stack_traces, 1024);

static inline void count(void *ctx)
{
	struct key_t key = {};

	key.tgid = bpf_get_current_pid_tgid() >> 32;
	key.kernel_stack_id = stack_traces.get_stackid(ctx, 0);
	key.user_stack_id = stack_traces.get_stackid(ctx, BPF_F_USER_STACK);
	bpf_get_current_comm(&key.name, sizeof(key.name));
	counts.increment(key);
}

int trace_uprobe(struct pt_regs *ctx)
{
	count(ctx);
	return 0;
}

int trace_tp(void *ctx)
{
	if (conf_is_workload())
		count(ctx);
	return 0;
}
