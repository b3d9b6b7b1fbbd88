/* funccount: calls counted per probed function.
 * From iovisor/bcc tools/funccount.py as it generates the text for three
 * uprobes: BPF_ARRAY(counts, u64, N) and one trace_count_N per probe.
 * Changed: no FILTERPID in the text (the suite passes -p / pid=). */
#include <uapi/linux/ptrace.h>

BPF_ARRAY(counts, u64, 3);

int trace_count_0(void *ctx)
{
	int loc = 0;
	u64 *val = counts.lookup(&loc);

	if (!val)
		return 0;
	(*val)++;
	return 0;
}

int trace_count_1(void *ctx)
{
	int loc = 1;
	u64 *val = counts.lookup(&loc);

	if (!val)
		return 0;
	(*val)++;
	return 0;
}

int trace_count_2(void *ctx)
{
	int loc = 2;
	u64 *val = counts.lookup(&loc);

	if (!val)
		return 0;
	(*val)++;
	return 0;
}
