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
#include <stdio.h>

/* Set by SIGINT, SIGTERM, SIGHUP and SIGPIPE: leave the loop, clean up. */
extern volatile sig_atomic_t tool_exiting;

/* Names the program in messages, sends the runtime's messages to stderr
 * (log_info, through tracer_set_print()), installs the signal handlers, and makes stdout line-buffered
 * so events show up at once in a pipe. */
void tool_init(const char *prog);

/* The options every tracing tool takes. */
struct tool_opts {
	const char *bpf_file; /* -f FILE: BPF text to use instead of the embedded one */
	long duration;        /* -d SECONDS; -1: until a signal */
	int no_cache;         /* --no-cache: compile even if the cache has it */
};

/* A tool's own options: called for each option letter of extra (getopt
 * syntax) with its argument; returns 0 or a negative errno after printing why. */
typedef int (*tool_opt_fn)(int opt, const char *arg, void *ctx);

enum tool_parse_result { TOOL_RUN = 0, TOOL_HELP = 1, TOOL_USAGE_ERROR = 2 };

/* What --version prints: "PROG (bcc-c) VERSION" (project()'s version in
 * CMakeLists.txt), libbcc's version (at run time, from the file name of the
 * loaded libbcc_bpf.so, and the one built against) and whether the compile
 * cache is on, and where. */
void tool_print_version(FILE *out, const char *prog);

/* Parses -h, --version, -d SECONDS, -f FILE, --no-cache, the short options in extra
 * and the long ones in longopts (NULL: none; each one's val is passed to
 * on_opt). Prints usage to stdout for -h, and to stderr after any error;
 * prints the versions for --version (TOOL_HELP, as -h). Stray arguments
 * are errors. */
struct option;
enum tool_parse_result tool_parse(int argc, char **argv, const char *usage, const char *extra,
				  const struct option *longopts, tool_opt_fn on_opt, void *ctx,
				  struct tool_opts *opts);

/* The same for a tool that takes up to max_args operands (FILE...):
 * options may come before, between or after them, and "--" ends the
 * options, as getopt does for every command line tool. The operands are
 * left in argv[*first .. argc - 1]. */
enum tool_parse_result tool_parse_args(int argc, char **argv, const char *usage,
				       const char *extra, const struct option *longopts,
				       tool_opt_fn on_opt, void *ctx, struct tool_opts *opts,
				       int max_args, int *first);

/* Parses arg as an integer in [min, max]; what names it in the error. */
int tool_parse_long(const char *arg, long min, long max, const char *what, long *out);

/* tracer__compile(), and with BCC_C_VERBOSE set, says on stderr whether
 * the compile cache served it. Before the first compile of a run, warns
 * on stderr when the text reads kernel structs and the headers are not
 * the running kernel's (feature_headers_warning()). The caller prints a
 * failure. */
int tool_compile(struct tracer *t, const struct tracer_src *src);

/* Compiles the BPF text (the file opts->bpf_file when set, else the
 * embedded text called name) with cflags, then auto-attaches its bcc-named
 * functions. With BCC_C_VERBOSE set, says whether the compile cache served
 * it. On failure prints the message and frees the tracer. */
int tool_open(struct tracer **out, const struct tool_opts *opts, const char *embedded,
	      const char *name, const char *const *cflags, size_t ncflags);

/* Reads the BPF text at path into *out (malloc'd), with each file it
 * includes as '#include "FILE"' from its own directory inlined (a tool's
 * event struct, bpf_text/<tool>.h). Refuses a binary file (one holding NUL
 * bytes). Prints why and returns a negative errno on failure. */
int tool_read_text(const char *path, char **out);

/* Prints tracer__errmsg(t) and returns err; prints nothing and returns 0
 * when err is -EINTR after a signal asked the tool to stop (Ctrl-C while
 * attaching): the tool then ends as a Ctrl-C ends it. */
int tool_fail(struct tracer *t, int err);

/* -d: the run ends duration_s seconds from now; negative: never. */
struct tool_deadline {
	double end; /* CLOCK_MONOTONIC seconds; 0 when none */
};
void tool_deadline_start(struct tool_deadline *d, long duration_s);
/* Milliseconds to wait in one poll: at most max_ms, 0 once the deadline has
 * passed; -1 means stop now (deadline passed or a signal came). */
int tool_deadline_wait_ms(const struct tool_deadline *d, int max_ms);

/* Opens trace_pipe; on failure prints why (tracefs not mounted, another
 * reader) and returns a negative errno. */
int tool_trace_pipe_open(struct trace_pipe **tp);

/* Prints on stderr how many events the kernel lost (trace_pipe's
 * "CPU:N [LOST M EVENTS]" lines) since *reported, and updates it. */
void tool_trace_pipe_report_lost(const struct trace_pipe *tp, unsigned long *reported);

/* At the end of a run: delivers the lines the kernel already queued (they
 * belong to the run) for at most 0.3 s, so a busy pipe is not chased. */
void tool_trace_pipe_drain(struct trace_pipe *tp,
			   void (*on_line)(const struct trace_fields *f, void *ctx), void *ctx);

/* Opens trace_pipe, prints header, then reads until a signal or the
 * deadline, calling on_line for each message. Reports lost events on
 * stderr. Returns 0 or a negative errno (after printing why). */
int tool_trace_pipe_loop(long duration_s, const char *header,
			 void (*on_line)(const struct trace_fields *f, void *ctx), void *ctx);

/* A tool that only prints trace_pipe lines of an auto-attached text. */
struct tool_desc {
	const char *name;      /* program name, for messages */
	const char *usage;     /* for -h; must mention -d SECONDS and -f FILE */
	const char *text;      /* the embedded BPF text */
	const char *text_name; /* its source, e.g. "bpf_text/unlinksnoop.bpf.c" */
	const char *header;    /* printed once attached */
	void (*on_line)(const struct trace_fields *f, void *ctx);
	void *ctx;
};

/* The whole of such a tool: options, compile, auto-attach, read until a
 * signal or -d, clean up. Returns the process exit status. */
int tool_run_trace_pipe(int argc, char **argv, const struct tool_desc *d);

/* The tutorials' "TIME(s) COMM PID MESSAGE" output (bcc's %-18.9f %-16s
 * %-6d %s), leaving out this process's own lines. */
#define TOOL_TIMED_HEADER "TIME(s)            COMM             PID    MESSAGE\n"
void tool_print_timed(const struct trace_fields *f, void *ctx);

/* The kprobe tutorials' "PID COMM OUTPUT" output (%-6d %-12.12s %s). */
#define TOOL_PID_COMM_HEADER "PID    COMM         OUTPUT\n"
void tool_print_pid_comm(const struct trace_fields *f, void *ctx);

/* The first TOOL_COMM_COLUMN bytes of a comm, escaped (render_escape())
 * into buf, which 4 * TOOL_COMM_COLUMN + 1 bytes always suffice for; for
 * the COMM column of "PID COMM ..." lines (%-12s). Returns buf. */
#define TOOL_COMM_COLUMN 12
const char *tool_comm_column(char *buf, size_t size, const char *task);

#endif
