/* One CPU's perf ring as the kernel fills it: PERF_RECORD_SAMPLE records
 * carrying BPF_PERF_OUTPUT events and PERF_RECORD_LOST counts. perf_buf
 * maps the rings; this reads them. */
#ifndef BCC_C_PERF_RING_H
#define BCC_C_PERF_RING_H

#include "perf_buf.h" /* perf_ring_sample_fn, perf_ring_lost_fn */

#include <stddef.h>
#include <stdint.h>

struct perf_event_mmap_page;

struct perf_ring_map {
	struct perf_event_mmap_page *page; /* the kernel's control page */
	void *data;                        /* then size bytes of records */
	size_t size;                       /* a power of two */
	void *copy; /* a record that wraps past the end, made whole (malloc'd) */
	size_t copy_cap;
};

struct perf_ring_sink {
	perf_ring_sample_fn sample; /* required */
	perf_ring_lost_fn lost;     /* optional */
	void *ctx;
	int cpu;
	uint64_t received, lost_total; /* added to */
};

/* Delivers the records between data_tail and data_head to sink and moves
 * data_tail past them. Returns the number of records, -EBADMSG if one is
 * malformed (the rest is skipped) or -ENOMEM. */
int perf_ring_read(struct perf_ring_map *m, struct perf_ring_sink *sink);

/* Frees what perf_ring_read() allocated. */
void perf_ring_map_release(struct perf_ring_map *m);

#endif
