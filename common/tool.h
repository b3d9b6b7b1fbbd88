/* What every tool front end shares: option values, choosing the embedded
 * BPF text or a file (-f), signals, the -d deadline, and the trace_pipe
 * loop. Functions that can fail print one message with log_error() and
 * return a negative errno, so a tool just jumps to its cleanup. */
#ifndef BCC_C_TOOL_H
#define BCC_C_TOOL_H

#include "trace_pipe.h"
#include "tracer.h"

#include <signal.h>
#include <stdbool.h>

/* Set by SIGINT, SIGTERM, SIGHUP and SIGPIPE: leave the loop, clean up. */
extern volatile sig_atomic_t tool_exiting;

/* Names the program in messages, installs the signal handlers, and makes
 * stdout line-buffered so events show up at once in a pipe. */
void tool_init(const char *prog);

/* Parses arg as an integer in [min, max]; what names it in the error. */
int tool_parse_long(const char *arg, long min, long max, const char *what, long *out);

/* Compiles the BPF text (the file at path when path is non-NULL, else the
 * embedded text called name) with cflags, then auto-attaches its bcc-named
 * functions. On failure prints the message and frees the tracer. */
int tool_open(struct tracer **out, const char *path, const char *embedded, const char *name,
	      const char *const *cflags, size_t ncflags);

/* Prints tracer__errmsg(t) and returns err. */
int tool_fail(struct tracer *t, int err);

/* -d: the run ends duration_s seconds from now; negative: never. */
struct tool_deadline {
	double end; /* CLOCK_MONOTONIC seconds; 0 when none */
};
void tool_deadline_start(struct tool_deadline *d, long duration_s);
/* Milliseconds to wait in one poll: at most max_ms, 0 once the deadline has
 * passed; -1 means stop now (deadline passed or a signal came). */
int tool_deadline_wait_ms(const struct tool_deadline *d, int max_ms);

/* Opens trace_pipe, prints header, then reads until a signal or the
 * deadline, calling on_line for each message. Reports lost events on
 * stderr. Returns 0 or a negative errno (after printing why). */
int tool_trace_pipe_loop(long duration_s, const char *header,
			 void (*on_line)(const struct trace_fields *f, void *ctx), void *ctx);

/* The tutorials' "TIME(s) COMM PID MESSAGE" output (bcc's %-18.9f %-16s
 * %-6d %s), leaving out this process's own lines. */
extern const char tool_timed_header[];
void tool_print_timed(const struct trace_fields *f, void *ctx);

#endif
