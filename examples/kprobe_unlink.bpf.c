/* A kprobe attached by its name: every file removal (needs kprobes).
 *   sudo bcc-run examples/kprobe_unlink.bpf.c */
#include <uapi/linux/ptrace.h>
#include <linux/fs.h>

int kprobe__do_unlinkat(struct pt_regs *ctx, int dfd, struct filename *name)
{
	const char *fname = NULL;
	char buf[96];

	bpf_probe_read_kernel(&fname, sizeof(fname), &name->name);
	bpf_probe_read_kernel_str(buf, sizeof(buf), fname);
	bpf_trace_printk("unlink %s\n", buf);
	return 0;
}
