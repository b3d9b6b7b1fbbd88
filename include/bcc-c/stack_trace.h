/* BPF_STACK_TRACE tables: the frames behind a stack id that a program got
 * from get_stackid() and stored in a key or an event. Resolve the frames
 * with syms.h. */
#ifndef BCC_C_STACK_TRACE_H
#define BCC_C_STACK_TRACE_H

#include "api.h"

#include "tracer.h"

#include <stddef.h>
#include <stdint.h>

BCC_C_BEGIN_DECLS

/* The addresses of stack id in tab (a BPF_STACK_TRACE table from
 * tracer__table()), innermost first, into ips (max entries; the table
 * holds at most tab->leaf_size / 8 frames). Returns the number of frames
 * (the kernel ends a shorter stack with 0), or a negative errno: id itself
 * when it is negative (get_stackid()'s error: -EFAULT for a stack the
 * kernel could not walk, -EEXIST for a collision), -ENOENT when the table
 * no longer holds id, -EINVAL when tab is not a stack table, -ENOMEM. */
BCC_C_API int stack_trace__ips(const struct tracer_table *tab, int64_t id, uint64_t *ips,
			       size_t max);

BCC_C_END_DECLS

#endif
