/* kprobe/kretprobe on do_unlinkat: who removes which file, and the result. */
#include <uapi/linux/ptrace.h>
#include <linux/fs.h>

int kprobe__do_unlinkat(struct pt_regs *ctx, int dfd, struct filename *name)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	const char *fname = NULL;
	char buf[128];

	bpf_probe_read_kernel(&fname, sizeof(fname), &name->name);
	bpf_probe_read_kernel_str(buf, sizeof(buf), fname);
	bpf_trace_printk("KPROBE ENTRY pid = %d, filename = %s\n", pid, buf);
	return 0;
}

int kretprobe__do_unlinkat(struct pt_regs *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	long ret = PT_REGS_RC(ctx);

	bpf_trace_printk("KPROBE EXIT: pid = %d, ret = %ld\n", pid, ret);
	return 0;
}
