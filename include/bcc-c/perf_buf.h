/* BPF_PERF_OUTPUT tables read from user space: one ring per online CPU. */
#ifndef BCC_C_PERF_BUF_H
#define BCC_C_PERF_BUF_H

#include "api.h"
#include "tracer.h"

#include <stddef.h>
#include <stdint.h>

BCC_C_BEGIN_DECLS

/* An event as the BPF program's perf_submit() sent it, from the ring of
 * cpu; data is not aligned: copy it out with memcpy before reading fields.
 * It is valid only during the call. */
typedef void (*perf_ring_sample_fn)(void *ctx, int cpu, const void *data, size_t size);
/* The kernel dropped lost events of cpu's ring (it was full). */
typedef void (*perf_ring_lost_fn)(void *ctx, int cpu, uint64_t lost);

struct perf_buf_opts {
	size_t page_cnt;            /* pages per CPU ring, a power of two (bcc: 8) */
	perf_ring_sample_fn sample; /* required */
	perf_ring_lost_fn lost;     /* optional: losses are counted either way */
	void *ctx;
};

struct perf_buf;

/* Opens the rings of table and points the table at them. Errors are
 * described in tracer__errmsg(t). *out is freed with perf_buf__free(),
 * before tracer__free(t). */
BCC_C_API int perf_buf__open(struct tracer *t, const char *table, const struct perf_buf_opts *opts,
			     struct perf_buf **out);

/* Waits up to timeout_ms for events and delivers them. A ring wakes the
 * reader once a quarter full; rings below that are read at least every
 * 50 ms, so an event waits at most that long, and this may return before
 * timeout_ms with nothing.
 * Returns the number of events delivered or reported lost, 0 if none,
 * or a negative errno (-EINTR). */
BCC_C_API int perf_buf__poll(struct perf_buf *pb, int timeout_ms);

/* Delivers everything every ring holds now, without waiting (before
 * exiting, so nothing that arrived is left unread). Returns the number of
 * events delivered or reported lost. */
BCC_C_API int perf_buf__consume(struct perf_buf *pb);

/* A descriptor that poll() reports readable when a ring reached its
 * watermark, for a loop that watches several sources; such a loop calls
 * perf_buf__poll(pb, 0) when it is readable and at least every 50 ms. */
BCC_C_API int perf_buf__fd(const struct perf_buf *pb);

/* Events delivered, and events the kernel reported lost, so far. */
BCC_C_API uint64_t perf_buf__received(const struct perf_buf *pb);
BCC_C_API uint64_t perf_buf__lost(const struct perf_buf *pb);

/* Closes the rings and frees pb; NULL is fine. */
BCC_C_API void perf_buf__free(struct perf_buf *pb);

BCC_C_END_DECLS

#endif
