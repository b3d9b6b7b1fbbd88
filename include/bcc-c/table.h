/* BPF_HASH / BPF_ARRAY access from user space, on a table found with
 * tracer__table(). Keys and leaves are the table's key_size/leaf_size
 * bytes. Each function returns 0 or a negative errno (-ENOENT: no such
 * key, or no next key at the end of an iteration). */
#ifndef BCC_C_TABLE_H
#define BCC_C_TABLE_H

#include "api.h"

#include "tracer.h"

#include <stdbool.h>
#include <stdint.h>

BCC_C_BEGIN_DECLS

/* The leaf of key, copied into leaf. */
BCC_C_API int table__lookup(const struct tracer_table *tab, const void *key, void *leaf);
/* Sets the leaf of key (creating the entry in a hash). */
BCC_C_API int table__update(const struct tracer_table *tab, const void *key, const void *leaf);
/* Removes key (a hash's entry). */
BCC_C_API int table__delete(const struct tracer_table *tab, const void *key);
/* The key after key into next, or the first key when key is NULL: a loop
 * over a table runs until this returns -ENOENT. */
BCC_C_API int table__next_key(const struct tracer_table *tab, const void *key, void *next);
/* Whether a map of map_type (tracer_table.type) holds one value per
 * possible CPU: BPF_PERCPU_HASH, BPF_PERCPU_ARRAY, the LRU per-CPU hash. */
BCC_C_API bool table_type_is_percpu(int map_type);
/* The bytes between two CPUs' values in the leaf a lookup of a per-CPU
 * table fills (leaf_size rounded up to 8, as the kernel copies them; such
 * a leaf holds stride * possible CPUs bytes); leaf_size for other tables. */
BCC_C_API size_t table__value_stride(const struct tracer_table *tab);
/* Up to *count entries in one call (BPF_MAP_LOOKUP_BATCH, kernel 5.6+):
 * keys and leaves (a per-CPU table's as a lookup returns them) go to keys
 * and leaves, *count becomes how many. token is where the walk is: NULL
 * to start; else the out token of the call before. Returns 0 when more
 * entries follow (*out_token says where), -ENOENT after the last ones,
 * -EINVAL or -ENOTSUP when this kernel or table cannot (walk with
 * table__next_key() instead), -ENOSPC when count is too small. */
BCC_C_API int table__lookup_batch(const struct tracer_table *tab, uint32_t *token,
				  uint32_t *out_token, void *keys, void *leaves, uint32_t *count);

BCC_C_END_DECLS

#endif
