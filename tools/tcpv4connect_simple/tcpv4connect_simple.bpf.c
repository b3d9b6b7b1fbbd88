/* kprobe/kretprobe on tcp_v4_connect, attached by their names. */
#include <uapi/linux/ptrace.h>

int kprobe__tcp_v4_connect(struct pt_regs *ctx)
{
	bpf_trace_printk("start of tcp4connect\n");
	return 0;
}

int kretprobe__tcp_v4_connect(struct pt_regs *ctx)
{
	int ret = PT_REGS_RC(ctx);

	bpf_trace_printk("return value of tcp4connect %d\n", ret);
	return 0;
}
