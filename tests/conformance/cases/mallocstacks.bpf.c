/* mallocstacks: bytes allocated by malloc() per user stack.
 * From iovisor/bcc examples/tracing/mallocstacks.py, unchanged:
 * BPF_HASH(calls, int) keyed by the stack id itself,
 * BPF_STACK_TRACE(stack_traces, 1024); the Python script walks each key
 * as a stack id. Probed on c:malloc of the suite's workload only. */
#include <uapi/linux/ptrace.h>

BPF_HASH(calls, int);
BPF_STACK_TRACE(stack_traces, 1024);

int alloc_enter(struct pt_regs *ctx, size_t size)
{
	int key = stack_traces.get_stackid(ctx, BPF_F_USER_STACK);
	u64 zero = 0, *val;

	if (key < 0)
		return 0;
	val = calls.lookup_or_try_init(&key, &zero);
	if (val)
		(*val) += size;
	return 0;
}
