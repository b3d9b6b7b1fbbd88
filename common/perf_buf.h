/* BPF_PERF_OUTPUT tables read from user space: one ring per online CPU. */
#ifndef BCC_C_PERF_BUF_H
#define BCC_C_PERF_BUF_H

#include "tracer.h"

#include <stddef.h>
#include <stdint.h>

/* data is not aligned: copy it out with memcpy before reading fields. */
typedef void (*perf_buf_sample_fn)(void *ctx, int cpu, const void *data, size_t size);
typedef void (*perf_buf_lost_fn)(void *ctx, int cpu, uint64_t lost);

struct perf_buf_opts {
	size_t page_cnt;           /* pages per CPU ring, a power of two (bcc: 8) */
	perf_buf_sample_fn sample; /* required */
	perf_buf_lost_fn lost;     /* optional: losses are counted either way */
	void *ctx;
};

struct perf_buf;

/* Opens the rings of table and points the table at them. Errors are
 * described in tracer__errmsg(t). *out is freed with perf_buf__free(),
 * before tracer__free(t). */
int perf_buf__open(struct tracer *t, const char *table, const struct perf_buf_opts *opts,
		   struct perf_buf **out);

/* Waits up to timeout_ms for events and delivers them. Returns the number
 * of rings that had data, 0 on timeout, or a negative errno (-EINTR). */
int perf_buf__poll(struct perf_buf *pb, int timeout_ms);

/* Events delivered, and events the kernel reported lost, so far. */
uint64_t perf_buf__received(const struct perf_buf *pb);
uint64_t perf_buf__lost(const struct perf_buf *pb);

void perf_buf__free(struct perf_buf *pb);

/* Online CPU ids from a list like "0-3,6"; returns how many were written
 * to cpus (at most max), or -EINVAL. Exposed for tests. */
int perf_buf_parse_cpus(const char *list, int *cpus, int max);

#endif
