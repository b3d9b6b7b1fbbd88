/* stack_trace.h: one stack id of a BPF_STACK_TRACE table into addresses. */
#include "stack_trace.h"

#include "table.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

int stack_trace__ips(const struct tracer_table *tab, int64_t id, uint64_t *ips, size_t max)
{
	size_t depth, n = 0;
	uint32_t key = (uint32_t)id;
	uint64_t *leaf;
	int err;

	if (id < 0)
		return id < -4095 ? -EINVAL : (int)id;
	if (!tab || tab->type != BPF_MAP_TYPE_STACK_TRACE || tab->leaf_size < sizeof(*leaf))
		return -EINVAL;
	depth = tab->leaf_size / sizeof(*leaf);
	leaf = calloc(depth, sizeof(*leaf));
	if (!leaf)
		return -ENOMEM;
	err = table__lookup(tab, &key, leaf);
	/* the kernel ends a stack shorter than the table's depth with 0 */
	for (; !err && n < depth && n < max && leaf[n]; n++)
		ips[n] = leaf[n];
	free(leaf);
	return err ? err : (int)n;
}
