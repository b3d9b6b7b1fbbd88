/* uprobe + uretprobe on a user function: print its first argument on
 * entry and its return value on exit (attached by the front end). */
#include <uapi/linux/ptrace.h>

int printarg(struct pt_regs *ctx)
{
	if (!PT_REGS_PARM1(ctx))
		return 0;
	bpf_trace_printk("arg = %u\n", (unsigned int)PT_REGS_PARM1(ctx));
	return 0;
}

int printret(struct pt_regs *ctx)
{
	if (!PT_REGS_RC(ctx))
		return 0;
	bpf_trace_printk("return value = %u\n", (unsigned int)PT_REGS_RC(ctx));
	return 0;
}
