/* strlen_hist_ifunc: strlen() return values as a log2 histogram.
 * From iovisor/bcc examples/tracing/strlen_hist_ifunc.py, HIST_BPF_TEXT
 * unchanged; attached as a uretprobe on the IFUNC's implementation. */
#include <uapi/linux/ptrace.h>
BPF_HISTOGRAM(dist);
int count(struct pt_regs *ctx)
{
	dist.increment(bpf_log2l(PT_REGS_RC(ctx)));
	return 0;
}
