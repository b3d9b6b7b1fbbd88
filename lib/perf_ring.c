#include "perf_ring.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>

/* A record that runs past the end of the ring, made contiguous. */
static const void *record_whole(struct perf_ring_map *m, size_t off, size_t len)
{
	const unsigned char *data = m->data;
	size_t first = m->size - off;

	if (m->copy_cap < len) {
		void *p = realloc(m->copy, len);

		if (!p)
			return NULL;
		m->copy = p;
		m->copy_cap = len;
	}
	memcpy(m->copy, data + off, first);
	memcpy((unsigned char *)m->copy + first, data, len - first);
	return m->copy;
}

static void deliver(struct perf_ring_sink *sink, const unsigned char *rec,
		    const struct perf_event_header *e)
{
	if (e->type == PERF_RECORD_SAMPLE && e->size >= sizeof(*e) + sizeof(uint32_t)) {
		uint32_t len;

		memcpy(&len, rec + sizeof(*e), sizeof(len));
		if (len > e->size - sizeof(*e) - sizeof(len))
			return;
		sink->received++;
		sink->sample(sink->ctx, sink->cpu, rec + sizeof(*e) + sizeof(len), len);
	} else if (e->type == PERF_RECORD_LOST && e->size >= sizeof(*e) + 2 * sizeof(uint64_t)) {
		uint64_t lost;

		memcpy(&lost, rec + sizeof(*e) + sizeof(uint64_t), sizeof(lost)); /* after the id */
		sink->lost_total += lost;
		if (sink->lost)
			sink->lost(sink->ctx, sink->cpu, lost);
	}
}

/* Unlike libbcc's reader, which stores data_tail after every record, this
 * loads data_head once and stores data_tail once per batch: the per-record
 * stores made the producing CPU miss on the control page for every event. */
int perf_ring_read(struct perf_ring_map *m, struct perf_ring_sink *sink)
{
	uint64_t head = __atomic_load_n(&m->page->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = m->page->data_tail;
	int n = 0, err = 0;

	if (head - tail > m->size) { /* more than the ring holds */
		__atomic_store_n(&m->page->data_tail, head, __ATOMIC_RELEASE);
		return -EBADMSG;
	}
	while (tail != head) {
		size_t off = (size_t)(tail & (m->size - 1));
		const struct perf_event_header *e = (const void *)((const char *)m->data + off);
		const unsigned char *rec = (const void *)e;

		/* the kernel never writes these: skip what is left rather than loop */
		if (e->size < sizeof(*e) || (e->size & 7) || e->size > head - tail ||
		    e->size > m->size) {
			err = -EBADMSG;
			tail = head;
			break;
		}
		if (off + e->size > m->size && !(rec = record_whole(m, off, e->size))) {
			err = -ENOMEM;
			break;
		}
		deliver(sink, rec, e);
		tail += e->size;
		n++;
	}
	__atomic_store_n(&m->page->data_tail, tail, __ATOMIC_RELEASE);
	return err ? err : n;
}

void perf_ring_map_release(struct perf_ring_map *m)
{
	free(m->copy);
	m->copy = NULL;
	m->copy_cap = 0;
}
