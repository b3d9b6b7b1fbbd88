/* IPv4 connects: stash the socket on entry, read its addresses on a
 * successful return. */
#include <uapi/linux/ptrace.h>
#include <net/sock.h>
#include <bcc/proto.h>

BPF_HASH(currsock, u32, struct sock *);

int kprobe__tcp_v4_connect(struct pt_regs *ctx, struct sock *sk)
{
	u32 pid = bpf_get_current_pid_tgid();

	currsock.update(&pid, &sk);
	return 0;
}

int kretprobe__tcp_v4_connect(struct pt_regs *ctx)
{
	int ret = PT_REGS_RC(ctx);
	u32 pid = bpf_get_current_pid_tgid();
	struct sock **skpp, *skp;
	u32 saddr = 0, daddr = 0;
	u16 dport = 0;

	skpp = currsock.lookup(&pid);
	if (!skpp)
		return 0; /* missed the entry */
	if (ret != 0) {
		/* the SYN was not sent: the addresses may not be filled in */
		currsock.delete(&pid);
		return 0;
	}
	skp = *skpp;
	bpf_probe_read_kernel(&saddr, sizeof(saddr), &skp->__sk_common.skc_rcv_saddr);
	bpf_probe_read_kernel(&daddr, sizeof(daddr), &skp->__sk_common.skc_daddr);
	bpf_probe_read_kernel(&dport, sizeof(dport), &skp->__sk_common.skc_dport);
	bpf_trace_printk("trace_tcp4connect %x %x %d\n", saddr, daddr, ntohs(dport));
	currsock.delete(&pid);
	return 0;
}
