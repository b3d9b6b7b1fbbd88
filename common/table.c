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
