#include "tool.h"

#include "cache.h"
#include "feature.h"
#include "include_line.h"
#include "log.h"
#include "render.h"
#include "version.h"

#include <bcc/bcc_version.h>
#include <errno.h>
#include <link.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t tool_exiting;

static void on_signal(int sig)
{
	(void)sig;
	tool_exiting = 1;
}

/* The runtime's messages as the tools have always shown them: on stderr
 * after the program's name, DEBUG ones only with BCC_C_VERBOSE set. */
static int on_print(enum tracer_print_level level, const char *fmt, va_list ap)
{
	if (level == TRACER_DEBUG && !getenv("BCC_C_VERBOSE"))
		return 0;
	log_vinfo(fmt, ap);
	return 0;
}

void tool_init(const char *prog)
{
	/* no SA_RESTART: a signal must wake poll() and read() */
	struct sigaction sa = { .sa_handler = on_signal };
	const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

	log_set_prog(prog);
	tracer_set_print(on_print);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int tool_parse_long(const char *arg, long min, long max, const char *what, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		log_error("invalid %s '%s': expected a whole number from %ld to %ld", what, arg,
			  min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* libbcc has no function that says its version: the loaded libbcc_bpf's
 * file name does (libbcc_bpf.so.0.26.0, once the symbolic links are
 * followed). */
static int find_libbcc_bpf(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (!strstr(info->dlpi_name, "/libbcc_bpf.so") || !realpath(info->dlpi_name, data))
		return 0;
	return 1;
}

void tool_print_version(FILE *out, const char *prog)
{
	const char *base = strrchr(prog, '/'), *ver;
	char lib[PATH_MAX] = "", dir[PATH_MAX];

	fprintf(out, "%s (bcc-c) %s\n", base ? base + 1 : prog, BCC_C_VERSION);
	dl_iterate_phdr(find_libbcc_bpf, lib);
	ver = strstr(lib, ".so.");
	if (ver)
		fprintf(out, "libbcc: %s at run time (%s), %s at build time\n", ver + 4, lib,
			LIBBCC_VERSION);
	else
		fprintf(out, "libbcc: %s at build time (libbcc_bpf.so not found loaded)\n",
			LIBBCC_VERSION);
	if (getenv("BCC_C_NO_CACHE"))
		fprintf(out, "compile cache: off (BCC_C_NO_CACHE is set)\n");
	else if (cache_dir(dir, sizeof(dir)))
		fprintf(out, "compile cache: off (%s)\n",
			getenv("BCC_C_CACHE_DIR") ? "BCC_C_CACHE_DIR=off" : "no home directory");
	else
		fprintf(out, "compile cache: on, in %s (off: BCC_C_CACHE_DIR=off or --no-cache)\n",
			dir);
}

enum tool_parse_result tool_parse(int argc, char **argv, const char *usage, const char *extra,
				  const struct option *longopts, tool_opt_fn on_opt, void *ctx,
				  struct tool_opts *opts)
{
	int first;

	return tool_parse_args(argc, argv, usage, extra, longopts, on_opt, ctx, opts, 0, &first);
}

enum tool_parse_result tool_parse_args(int argc, char **argv, const char *usage,
				       const char *extra, const struct option *longopts,
				       tool_opt_fn on_opt, void *ctx, struct tool_opts *opts,
				       int max_args, int *first)
{
	enum { OPT_NO_CACHE = 0x100, OPT_VERSION };
	struct option all[32] = { { "no-cache", no_argument, NULL, OPT_NO_CACHE },
				  { "version", no_argument, NULL, OPT_VERSION } };
	char optstring[64];
	int opt, err = 0;
	size_t n = 2;

	for (; longopts && longopts[n - 2].name && n < 31; n++)
		all[n] = longopts[n - 2];
	*opts = (struct tool_opts){ .duration = -1 };
	/* GNU getopt's default order takes options anywhere and moves the
	 * operands to the end; optind = 0 restarts it from scratch */
	snprintf(optstring, sizeof(optstring), "hd:f:%s", extra ? extra : "");
	optind = 0;
	while (!err && (opt = getopt_long(argc, argv, optstring, all, NULL)) != -1) {
		switch (opt) {
		case OPT_NO_CACHE:
			opts->no_cache = 1;
			break;
		case 'd':
			err = tool_parse_long(optarg, 0, INT_MAX, "duration", &opts->duration);
			break;
		case 'f':
			opts->bpf_file = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return TOOL_HELP;
		case OPT_VERSION:
			tool_print_version(stdout, argv[0]);
			return TOOL_HELP;
		case '?':
			err = -EINVAL;
			break;
		default:
			err = on_opt(opt, optarg, ctx);
		}
	}
	if (!err && argc - optind > max_args) {
		log_error("unexpected argument '%s'", argv[optind + max_args]);
		err = -EINVAL;
	}
	*first = optind;
	if (err) {
		/* the synopsis, not the whole text: the error stays visible */
		fprintf(stderr, "%.*s", (int)strcspn(usage, "\n") + 1, usage);
		fprintf(stderr, "Try '%s -h' for more information.\n", argv[0]);
		return TOOL_USAGE_ERROR;
	}
	return TOOL_RUN;
}

/* Reads the file at path whole into *out (malloc'd). Returns 0, -EINVAL
 * when it holds a NUL byte, or the errno of the open or read (an empty
 * file is an empty text, not an error). */
static int read_whole(const char *path, char **out)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	if (!f)
		return -errno;
	errno = 0;
	n = getdelim(&buf, &cap, '\0', f);
	if (n < 0 && !feof(f))
		err = errno ? -errno : -EIO; /* a directory gives EISDIR */
	else if (n >= 0 && !feof(f))
		err = -EINVAL; /* a NUL before the end */
	fclose(f);
	if (!err && n < 0) {
		free(buf);
		buf = strdup("");
		if (!buf)
			err = -ENOMEM;
	}
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	return 0;
}

/* The file a line '#include "NAME"' names, resolved against the directory
 * of the including text at path. Returns false for any other line. */
static bool quoted_include(const char *line, size_t len, const char *path, char *out,
			   size_t size)
{
	const char *dir_end = strrchr(path, '/');
	int dir_len = dir_end ? (int)(dir_end - path + 1) : 0;
	char name[PATH_MAX];
	bool quoted;

	if (!include_line(line, line + len, name, sizeof(name), &quoted) || !quoted)
		return false;
	if (*name == '/')
		dir_len = 0;
	return snprintf(out, size, "%.*s%s", dir_len, path, name) < (int)size;
}

/* "#line LINE "PATH"" with PATH quoted as a C string */
static void line_marker(FILE *f, long line, const char *path)
{
	fprintf(f, "#line %ld \"", line);
	for (const char *p = path; *p; p++)
		fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
	fputs("\"\n", f);
}

/* libbcc compiles a text from a string, where clang finds nothing next to
 * it: each '#include "FILE"' whose FILE is beside the text (a tool's event
 * struct, bpf_text/<tool>.h) is replaced by FILE's content between #line
 * markers, as cmake/embed.cmake does for the embedded texts. Inlined, the
 * header is also part of the compile cache's key. Other includes (not
 * found there, <...>, or inside the header) are left to clang. */
static int inline_includes(const char *path, const char *text, char **out)
{
	char *res = NULL, hpath[PATH_MAX];
	size_t size = 0;
	FILE *f = open_memstream(&res, &size);
	long line = 1;

	if (!f)
		return -ENOMEM;
	for (const char *p = text; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		char *content = NULL;
		int err = -ENOENT;

		if (quoted_include(p, len, path, hpath, sizeof(hpath)))
			err = read_whole(hpath, &content);
		if (err == -ENOENT) {
			fwrite(p, 1, len, f);
		} else if (err) {
			fclose(f);
			free(res);
			log_error("cannot read '%s', included by '%s' line %ld: %s", hpath, path,
				  line, err == -EINVAL ? "it holds NUL bytes" : strerror(-err));
			return err;
		} else {
			line_marker(f, 1, hpath);
			fputs(content, f);
			if (content[0] && content[strlen(content) - 1] != '\n')
				fputc('\n', f);
			line_marker(f, line + 1, path);
			free(content);
		}
		p += len;
	}
	if (fclose(f)) {
		free(res);
		return -ENOMEM;
	}
	*out = res;
	return 0;
}

int tool_read_text(const char *path, char **out)
{
	char *text;
	int err = read_whole(path, &text);

	if (err == -EINVAL) {
		/* a binary file, which clang would only answer with pages of
		 * nonsense */
		log_error("'%s' is not a BPF text: it holds NUL bytes (a binary file?); give "
			  "the .bpf.c source", path);
		return err;
	}
	if (err) {
		log_error("cannot read BPF text '%s': %s", path, strerror(-err));
		return err;
	}
	err = inline_includes(path, text, out);
	free(text);
	if (err == -ENOMEM)
		log_error("cannot read BPF text '%s': out of memory", path);
	return err;
}

int tool_fail(struct tracer *t, int err)
{
	/* Ctrl-C while attaching (an IFUNC lookup stops for it): nothing failed */
	if (err == -EINTR && tool_exiting)
		return 0;
	log_error("%s", tracer__errmsg(t));
	return err;
}

int tool_compile(struct tracer *t, const struct tracer_src *src)
{
	static bool warned; /* once a run: bcc-run --watch compiles at every save */
	char msg[1024];
	int err;

	if (!warned && feature_headers_warning(src->text, msg, sizeof(msg))) {
		log_info("%s", msg);
		warned = true;
	}
	err = tracer__compile(t, src);

	if (!err && getenv("BCC_C_VERBOSE"))
		log_info("'%s': %s", src->name, tracer__from_cache(t) ?
			 "loaded from the compile cache" : "compiled");
	return err;
}

int tool_open(struct tracer **out, const struct tool_opts *opts, const char *embedded,
	      const char *name, const char *const *cflags, size_t ncflags)
{
	const char *path = opts->bpf_file;
	BCC_C_OPTS(tracer_src, src, .text = embedded, .name = name, .cflags = cflags,
		   .ncflags = ncflags, .no_cache = opts->no_cache);
	struct tracer *t;
	char *text = NULL;
	int err;

	if (path) {
		err = tool_read_text(path, &text);
		if (err)
			return err;
		src.text = text;
		src.name = path;
	}
	t = tracer__new();
	if (!t) {
		free(text);
		log_error("out of memory");
		return -ENOMEM;
	}
	err = tool_compile(t, &src);
	free(text);
	if (!err) {
		err = tracer__autoattach(t);
		err = err > 0 ? 0 : err;
	}
	if (err) {
		tool_fail(t, err);
		tracer__free(t);
		return err;
	}
	*out = t;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void tool_deadline_start(struct tool_deadline *d, long duration_s)
{
	d->end = duration_s >= 0 ? now_s() + duration_s : 0;
}

int tool_deadline_wait_ms(const struct tool_deadline *d, int max_ms)
{
	double left;

	if (tool_exiting)
		return -1;
	if (!d->end)
		return max_ms;
	left = d->end - now_s();
	if (left <= 0)
		return -1;
	return left * 1000 < max_ms ? (int)(left * 1000) + 1 : max_ms;
}

#define DRAIN_SECONDS 0.3

int tool_trace_pipe_open(struct trace_pipe **tp)
{
	int err = trace_pipe__open(tp);

	if (err == -ENOENT)
		log_error("cannot read trace_pipe: tracefs is not mounted; mount it: "
			  "mount -t tracefs nodev /sys/kernel/tracing");
	else if (err == -EBUSY)
		log_error("cannot open %s/trace_pipe: another program is reading it (another "
			  "tracer, or a cat of trace_pipe); the kernel allows one reader: stop "
			  "that one first", tracefs_dir());
	else if (err)
		log_error("cannot open %s/trace_pipe: %s", tracefs_dir(), strerror(-err));
	return err;
}

void tool_trace_pipe_report_lost(const struct trace_pipe *tp, unsigned long *reported)
{
	if (trace_pipe__lost(tp) == *reported)
		return;
	log_info("the kernel lost %lu trace_pipe events (it reported CPU:N [LOST M EVENTS])",
		 trace_pipe__lost(tp) - *reported);
	*reported = trace_pipe__lost(tp);
}

void tool_trace_pipe_drain(struct trace_pipe *tp,
			   void (*on_line)(const struct trace_fields *f, void *ctx), void *ctx)
{
	double drain_end = now_s() + DRAIN_SECONDS;
	struct trace_fields f;

	while (now_s() < drain_end && trace_pipe__next(tp, &f, 0) > 0)
		on_line(&f, ctx);
	fflush(stdout);
}

int tool_trace_pipe_loop(long duration_s, const char *header,
			 void (*on_line)(const struct trace_fields *f, void *ctx), void *ctx)
{
	struct tool_deadline deadline;
	struct trace_pipe *tp = NULL;
	struct trace_fields f;
	unsigned long reported = 0;
	int err, wait;

	err = tool_trace_pipe_open(&tp);
	if (err)
		return err;
	fputs(header, stdout);
	tool_deadline_start(&deadline, duration_s);
	while ((wait = tool_deadline_wait_ms(&deadline, 200)) >= 0) {
		err = trace_pipe__next(tp, &f, wait);
		if (err == -EINTR) {
			err = 0;
			continue;
		}
		if (err < 0) {
			log_error("cannot read trace_pipe: %s", strerror(-err));
			break;
		}
		if (err > 0)
			on_line(&f, ctx);
		err = 0;
		tool_trace_pipe_report_lost(tp, &reported);
	}
	if (!err)
		tool_trace_pipe_drain(tp, on_line, ctx);
	trace_pipe__free(tp);
	return err;
}

/* A comm and a message are whatever a process named itself and printed
 * (a file name, say): escaped, so they reach the terminal as text. */
void tool_print_timed(const struct trace_fields *f, void *ctx)
{
	char task[4 * sizeof(f->task) + 1];

	(void)ctx;
	if (f->pid == getpid())
		return;
	printf("%-18.9f %-16s %-6d ", f->ts,
	       render_escape_buf(task, sizeof(task), f->task, sizeof(f->task)), f->pid);
	render_escape(stdout, f->msg, strlen(f->msg), 0);
	putchar('\n');
}

int tool_run_trace_pipe(int argc, char **argv, const struct tool_desc *d)
{
	struct tracer *t = NULL;
	struct tool_opts opts;
	enum tool_parse_result r;
	int err;

	tool_init(d->name);
	r = tool_parse(argc, argv, d->usage, NULL, NULL, NULL, NULL, &opts);
	if (r != TOOL_RUN)
		return r == TOOL_HELP ? 0 : 2;
	err = tool_open(&t, &opts, d->text, d->text_name, NULL, 0);
	if (!err)
		err = tool_trace_pipe_loop(opts.duration, d->header, d->on_line, d->ctx);
	tracer__free(t);
	return err != 0;
}

void tool_print_pid_comm(const struct trace_fields *f, void *ctx)
{
	char task[4 * TOOL_COMM_COLUMN + 1];

	(void)ctx;
	printf("%-6d %-12s ", f->pid, tool_comm_column(task, sizeof(task), f->task));
	render_escape(stdout, f->msg, strlen(f->msg), 0);
	putchar('\n');
}

const char *tool_comm_column(char *buf, size_t size, const char *task)
{
	return render_escape_buf(buf, size, task, TOOL_COMM_COLUMN);
}
