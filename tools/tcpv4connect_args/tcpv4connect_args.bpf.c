/* The kprobe declares tcp_v4_connect's arguments after ctx. To read the
 * third, the first two must be declared too: bcc maps declared arguments
 * to argument registers in order, whatever their names. */
#include <uapi/linux/ptrace.h>
#include <net/sock.h>

int kprobe__tcp_v4_connect(struct pt_regs *ctx, struct sock *sk, struct sockaddr *uaddr,
			   int addr_len)
{
	bpf_trace_printk("start of tcp4connect addr_len=%d\n", addr_len);
	return 0;
}

int kretprobe__tcp_v4_connect(struct pt_regs *ctx)
{
	int ret = PT_REGS_RC(ctx);

	bpf_trace_printk("return value of tcp4connect %d\n", ret);
	return 0;
}
