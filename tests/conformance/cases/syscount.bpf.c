/* syscount: system calls counted by number.
 * From iovisor/bcc tools/syscount.py, default options (counts, no
 * latency), its TRACEPOINT_PROBE(raw_syscalls, sys_enter) and its
 * lookup_or_try_init counting. Changed: the -p/--comm filter is the
 * suite's workload name, compared as two words. */
#include <uapi/linux/ptrace.h>

/* comm == "bcc-conf-wl" (tests/conformance/conf_work.c) */
static inline int conf_is_workload(void)
{
	u64 w[2] = {};

	bpf_get_current_comm(w, sizeof(w));
	return w[0] == 0x666e6f632d636362ULL && w[1] == 0x6c772dULL;
}

BPF_HASH(data, u32, u64);

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
