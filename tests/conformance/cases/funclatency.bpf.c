/* funclatency: a user function's latency as a log2 histogram (ns).
 * From iovisor/bcc tools/funclatency.py, default options on one
 * function: BPF_HASH(start, u32), BPF_HISTOGRAM(dist), trace_func_entry
 * and trace_func_return. Changed: no TGID filter in the text (the suite
 * passes the pid as -p / attach_uprobe(pid=)). */
#include <uapi/linux/ptrace.h>

BPF_HASH(start, u32);
BPF_HISTOGRAM(dist);

int trace_func_entry(struct pt_regs *ctx)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 pid = pid_tgid;
	u64 ts = bpf_ktime_get_ns();

	start.update(&pid, &ts);
	return 0;
}

int trace_func_return(struct pt_regs *ctx)
{
	u64 *tsp, delta;
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 pid = pid_tgid;

	tsp = start.lookup(&pid);
	if (tsp == 0)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	start.delete(&pid);
	dist.increment(bpf_log2l(delta));
	return 0;
}
