#include "ring_buf.h"

#include <bcc/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ring_buf {
	struct ring_buffer *rb;
	int map_fd; /* the kernel wakes pollers of the map itself */
	ring_buf_sample_fn sample;
	void *ctx;
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct ring_buf *r = ctx;

	r->sample(r->ctx, data, size);
	return 0;
}

int ring_buf__open(struct tracer *t, const char *table, ring_buf_sample_fn sample, void *ctx,
		   struct ring_buf **out)
{
	struct tracer_table tab;
	struct ring_buf *r;
	int err = tracer__table(t, table, &tab);

	if (err)
		return err;
	if (tab.type != BPF_MAP_TYPE_RINGBUF)
		return tracer__fail(t, -EINVAL, "cannot open ring buffer '%s': it is not a "
				    "BPF_RINGBUF_OUTPUT table", table);
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->sample = sample;
	r->ctx = ctx;
	r->map_fd = tab.fd;
	r->rb = bpf_new_ringbuf(tab.fd, on_sample, r);
	if (!r->rb) {
		err = errno ? -errno : -EINVAL;
		free(r);
		return tracer__fail(t, err, "cannot open ring buffer '%s': %s", table,
				    strerror(-err));
	}
	*out = r;
	return 0;
}

int ring_buf__poll(struct ring_buf *rb, int timeout_ms)
{
	int n = bpf_poll_ringbuf(rb->rb, timeout_ms);

	return n < 0 ? (errno ? -errno : n) : n;
}

int ring_buf__fd(const struct ring_buf *rb)
{
	return rb->map_fd;
}

void ring_buf__free(struct ring_buf *rb)
{
	if (!rb)
		return;
	bpf_free_ringbuf(rb->rb);
	free(rb);
}
