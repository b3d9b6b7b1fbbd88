/* dropcount_percpu: a BPF_PERCPU_ARRAY of counters indexed by a number.
 * From iovisor/bcc examples/networking/xdp/xdp_drop_count.py, its
 * BPF_PERCPU_ARRAY(dropcnt, long, 256) and lock_xadd() counting. Changed:
 * fed from the raw tracepoint sys_enter (XDP needs a NIC), indexed by the
 * system call number modulo 256 instead of the IP protocol, for the
 * suite's workload only. */
#include <uapi/linux/ptrace.h>

/* comm == "bcc-conf-wl" (tests/conformance/conf_work.c) */
static inline int conf_is_workload(void)
{
	u64 w[2] = {};

	bpf_get_current_comm(w, sizeof(w));
	return w[0] == 0x666e6f632d636362ULL && w[1] == 0x6c772dULL;
}

BPF_PERCPU_ARRAY(dropcnt, long, 256);

RAW_TRACEPOINT_PROBE(sys_enter)
{
	u32 index = ctx->args[1] & 0xff;
	long *value;

	if (!conf_is_workload())
		return 0;
	value = dropcnt.lookup(&index);
	if (value)
		lock_xadd(value, 1);
	return 0;
}
