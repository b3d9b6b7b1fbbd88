/* BPF_RINGBUF_OUTPUT tables read from user space (kernel 5.8+). */
#ifndef BCC_C_RING_BUF_H
#define BCC_C_RING_BUF_H

#include "api.h"

#include "tracer.h"

#include <stddef.h>

BCC_C_BEGIN_DECLS

/* data is valid only during the call. */
typedef void (*ring_buf_sample_fn)(void *ctx, const void *data, size_t size);

struct ring_buf;

/* Opens table for reading. Errors are described in tracer__errmsg(t).
 * *out is freed with ring_buf__free(), before tracer__free(t). */
BCC_C_API int ring_buf__open(struct tracer *t, const char *table, ring_buf_sample_fn sample, void *ctx,
			     struct ring_buf **out);
/* Waits up to timeout_ms and delivers what arrived. Returns the number of
 * events, 0 on timeout, or a negative errno (-EINTR). */
BCC_C_API int ring_buf__poll(struct ring_buf *rb, int timeout_ms);
/* A descriptor that poll() reports readable when events wait, for a loop
 * that watches several sources; then call ring_buf__poll(rb, 0). */
BCC_C_API int ring_buf__fd(const struct ring_buf *rb);
/* Frees rb; NULL is fine. */
BCC_C_API void ring_buf__free(struct ring_buf *rb);

BCC_C_END_DECLS

#endif
