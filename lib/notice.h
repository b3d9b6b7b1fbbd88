/* The one "format a message, hand it to a callback" helper: for the parts
 * that report to a caller-given function with a context (stacks.h,
 * dump.h) rather than through the print function of tracer.h. */
#ifndef BCC_C_NOTICE_H
#define BCC_C_NOTICE_H

#include <stdarg.h>

typedef void (*notice_fn)(const char *msg, void *ctx);

/* Formats fmt and ap and calls fn(msg, ctx); msg is freed after the call.
 * Does nothing when fn is NULL, or when there is no memory for the text. */
void vnotice(notice_fn fn, void *ctx, const char *fmt, va_list ap);

#endif
