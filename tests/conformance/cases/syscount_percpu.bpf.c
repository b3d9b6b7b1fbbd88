/* syscount_percpu: system calls counted by number, per CPU.
 * From iovisor/bcc tools/syscount.py (default options), its hash made a
 * BPF_PERCPU_HASH as bcc's tests/python/test_percpu.py declares one.
 * Changed: per-CPU table; the comm filter is the suite's workload. */
#include <uapi/linux/ptrace.h>

/* comm == "bcc-conf-wl" (tests/conformance/conf_work.c) */
static inline int conf_is_workload(void)
{
	u64 w[2] = {};

	bpf_get_current_comm(w, sizeof(w));
	return w[0] == 0x666e6f632d636362ULL && w[1] == 0x6c772dULL;
}

BPF_PERCPU_HASH(data, u32, u64);

TRACEPOINT_PROBE(raw_syscalls, sys_enter)
{
	u32 key = args->id;
	u64 *val, zero = 0;

	if (!conf_is_workload())
		return 0;
	val = data.lookup_or_try_init(&key, &zero);
	if (val)
		++(*val);
	return 0;
}
