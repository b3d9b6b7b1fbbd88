#include "table.h"

#include <bcc/libbpf.h>
#include <errno.h>

static int ret_errno(int ret)
{
	return ret < 0 ? -errno : 0;
}

int table__lookup(const struct tracer_table *tab, const void *key, void *leaf)
{
	return ret_errno(bpf_lookup_elem(tab->fd, (void *)key, leaf));
}

int table__update(const struct tracer_table *tab, const void *key, const void *leaf)
{
	return ret_errno(bpf_update_elem(tab->fd, (void *)key, (void *)leaf, 0));
}

int table__delete(const struct tracer_table *tab, const void *key)
{
	return ret_errno(bpf_delete_elem(tab->fd, (void *)key));
}

bool table_type_is_percpu(int map_type)
{
	return map_type == BPF_MAP_TYPE_PERCPU_HASH || map_type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       map_type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

size_t table__value_stride(const struct tracer_table *tab)
{
	return table_type_is_percpu(tab->type) ? (tab->leaf_size + 7) / 8 * 8 : tab->leaf_size;
}

int table__next_key(const struct tracer_table *tab, const void *key, void *next)
{
	if (!key)
		return ret_errno(bpf_get_first_key(tab->fd, next, tab->key_size));
	return ret_errno(bpf_get_next_key(tab->fd, (void *)key, next));
}

int table__lookup_batch(const struct tracer_table *tab, uint32_t *token, uint32_t *out_token,
			void *keys, void *leaves, uint32_t *count)
{
	return ret_errno(bpf_lookup_batch(tab->fd, token, out_token, keys, leaves, count));
}
