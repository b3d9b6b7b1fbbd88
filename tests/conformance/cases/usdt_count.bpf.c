/* usdt_count: a USDT probe guarded by a semaphore, counted by argument.
 * From iovisor/bcc examples/usdt_sample/scripts/latency.py's pattern
 * (USDT(pid=...), enable_probe, bpf_usdt_readarg into a BPF_HASH key).
 * Changed: probe bcc_conf:value of the suite's workload, which fires only
 * while its semaphore is set; counts per argument value. */
#include <uapi/linux/ptrace.h>

BPF_HASH(values, u64, u64);

int on_value(struct pt_regs *ctx)
{
	u64 v = 0;

	bpf_usdt_readarg(1, ctx, &v);
	values.increment(v);
	return 0;
}
