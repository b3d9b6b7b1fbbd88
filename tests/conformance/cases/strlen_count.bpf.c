/* strlen_count: strlen() calls counted by string.
 * From iovisor/bcc examples/tracing/strlen_count.py, unchanged but for
 * bpf_probe_read_user (bcc's newer name for its bpf_probe_read). strlen
 * is an IFUNC in glibc: bcc-run attaches to the implementation itself;
 * the Python side resolves it by hand as strlen_hist_ifunc.py does. */
#include <uapi/linux/ptrace.h>

struct key_t {
	char c[80];
};
BPF_HASH(counts, struct key_t);

int count(struct pt_regs *ctx)
{
	struct key_t key = {};
	u64 zero = 0, *val;

	if (!PT_REGS_PARM1(ctx))
		return 0;
	bpf_probe_read_user(&key.c, sizeof(key.c), (void *)PT_REGS_PARM1(ctx));
	val = counts.lookup_or_try_init(&key, &zero);
	if (val)
		(*val)++;
	return 0;
}
