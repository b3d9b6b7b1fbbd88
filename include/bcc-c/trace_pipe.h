/* The kernel's trace_pipe: where bpf_trace_printk() output arrives. */
#ifndef BCC_C_TRACE_PIPE_H
#define BCC_C_TRACE_PIPE_H

#include "api.h"

#include <stddef.h>

BCC_C_BEGIN_DECLS

/* One parsed line; the same fields as bcc's BPF.trace_fields(). */
struct trace_fields {
	char task[64];   /* command name, e.g. "target-sample" or "<...>" */
	int pid;
	int cpu;
	char flags[16];  /* e.g. "d..31"; "" when the kernel printed none */
	double ts;       /* seconds since boot */
	const char *msg; /* points into the parsed line */
};

enum trace_line_kind {
	TRACE_LINE_MSG = 0,  /* f is filled */
	TRACE_LINE_LOST = 1, /* "CPU:N [LOST M EVENTS]": *lost is M */
};

/* Parses one line of trace_pipe (a trailing newline is allowed and cut;
 * line is modified). Handles the formats of kernels 4.x to 6.x: with or
 * without the "bpf_trace_printk:" or "0x1:" prefix, 4- and 5-character
 * flags or none, an optional "(tgid)" column, and task names containing
 * spaces or dashes. Returns a trace_line_kind, or -EINVAL for a line that
 * is not a trace line. */
BCC_C_API int trace_line_parse(char *line, struct trace_fields *f, unsigned long *lost);

/* The tracefs directory: /sys/kernel/debug/tracing, then /sys/kernel/tracing
 * (as bcc looks), NULL when neither holds a mounted tracefs. */
BCC_C_API const char *tracefs_dir(void);

struct trace_pipe;

/* Opens trace_pipe. Returns 0 or a negative errno (-ENOENT: tracefs is not
 * mounted). *out is freed with trace_pipe__free(). */
BCC_C_API int trace_pipe__open(struct trace_pipe **out);

/* Waits up to timeout_ms (-1: forever) for the next message. Lost-event
 * lines are counted and skipped, as are lines that do not parse. A task the
 * kernel shows as "<...>" is named from /proc/PID/comm when it still runs.
 * Returns 1 with f filled (f->msg valid until the next call), 0 on timeout,
 * or a negative errno (-EINTR when a signal arrived). */
BCC_C_API int trace_pipe__next(struct trace_pipe *tp, struct trace_fields *f, int timeout_ms);

/* The descriptor to poll() for input along with other sources; lines
 * already read may still wait in tp, so call trace_pipe__next(tp, f, 0)
 * until it returns 0 whether or not the descriptor is readable. */
BCC_C_API int trace_pipe__fd(const struct trace_pipe *tp);

/* Events the kernel reported lost so far, and lines that did not parse. */
BCC_C_API unsigned long trace_pipe__lost(const struct trace_pipe *tp);
BCC_C_API unsigned long trace_pipe__garbage(const struct trace_pipe *tp);

/* Closes trace_pipe and frees tp; NULL is fine. */
BCC_C_API void trace_pipe__free(struct trace_pipe *tp);

BCC_C_END_DECLS

#endif
