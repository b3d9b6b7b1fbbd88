/* uprobe on libc's strlen(). As in the tutorial, the length printed is
 * sizeof() of the argument pointer (8 on 64-bit), not the string's. */
#include <uapi/linux/ptrace.h>

int printarg(struct pt_regs *ctx)
{
	char *str;

	if (!PT_REGS_PARM1(ctx))
		return 0;
	str = (char *)PT_REGS_PARM1(ctx);
	bpf_trace_printk("length of argument string = %d.\n", (int)sizeof(str));
	return 0;
}
