/* bcc-run: run any bcc-dialect BPF text with no front end to write. It
 * compiles the file, attaches every bcc-named function and the probes the
 * command line names, prints trace_pipe messages and perf/ring buffer
 * events decoded by their field names, and the tables at exit. --watch
 * reloads the file when it is saved. */
#include "dump.h"
#include "stacks.h"
#include "event_decode.h"
#include "feature.h"
#include "log.h"
#include "metrics.h"
#include "metrics_scrape.h"
#include "metrics_serve.h"
#include "perf_buf.h"
#include "render.h"
#include "ring_buf.h"
#include "spec.h"
#include "tool.h"
#include "usdt.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/bpf.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define MAX_SPECS 64
#define PAGE_CNT 64
/* A turn of the event loop reads at most this many trace_pipe lines, so a
 * flood of bpf_trace_printk() cannot starve the perf rings, the deadline,
 * --watch or Ctrl-C. */
#define TRACE_BATCH 256
/* The loop wakes at least this often: perf rings below their watermark are
 * read every 50 ms (perf_buf.h). */
#define TURN_MS 50

static const char usage[] =
	"Usage: bcc-run [options] FILE.bpf.c [options]\n"
	"       options: [-u|-U BINARY:SYMBOL:FN] [-k|-K FUNC:FN] [-t CATEGORY:EVENT:FN]\n"
	"                [--usdt PATH|PID:[PROVIDER:]PROBE:FN]\n"
	"                [-p PID] [-D NAME[=VALUE]] [-d SECONDS] [--json] [--watch] [--no-cache]\n"
	"                [--metrics [ADDR:]PORT] [--metrics-textfile DIR [--interval SECONDS]]\n"
	"                [--metrics-prefix PREFIX] [--metrics-max-series N]\n"
	"       bcc-run --features\n"
	"Compile a BPF text, attach it and print what it sends. Options may come\n"
	"before or after FILE; \"--\" ends them. Once everything is attached, a line\n"
	"\"bcc-run: ready: ...\" goes to stderr.\n"
	"Functions named kprobe__X, kretprobe__X, tracepoint__CAT__EVENT (TRACEPOINT_PROBE),\n"
	"raw_tracepoint__X, kfunc__X and kretfunc__X (KFUNC_PROBE, KRETFUNC_PROBE) attach\n"
	"by themselves; the options attach the others:\n"
	"  -u BINARY:SYMBOL:FN  uprobe: run FN when SYMBOL in BINARY is called; BINARY is\n"
	"                       a path, a program on PATH or a library name like c;\n"
	"                       an IFUNC (strlen, memcpy) goes to the implementation\n"
	"                       this CPU uses; SYMBOL may be a virtual address 0x...\n"
	"                       as nm prints it (as bcc's attach_uprobe(addr=))\n"
	"  -U BINARY:SYMBOL:FN  uretprobe: run FN when SYMBOL returns\n"
	"  -k FUNC:FN           kprobe on kernel function FUNC\n"
	"  -K FUNC:FN           kretprobe on kernel function FUNC\n"
	"  -t CATEGORY:EVENT:FN tracepoint\n"
	"  --usdt PATH|PID:[PROVIDER:]PROBE:FN\n"
	"                       USDT probe (readelf -n PATH lists them): run FN at\n"
	"                       PROBE of the binary or library PATH, in every process,\n"
	"                       or of process PID; FN reads the probe's arguments\n"
	"                       with bpf_usdt_readarg(N, ctx, &var), as in bcc's USDT\n"
	"                       class; a semaphore the probe has is set while attached\n"
	"  -p PID               uprobes fire only in this process\n"
	"  -D NAME[=VALUE]      define NAME for the compile (repeatable)\n"
	"  -d SECONDS           stop after SECONDS (default: until Ctrl-C)\n"
	"  --json               one JSON object per line for events, messages and tables\n"
	"  --watch              when FILE is saved, recompile and reattach; the previous\n"
	"                       program runs until the new one is attached, and keeps\n"
	"                       running when the new one does not compile, load or attach\n"
	"  --features           what this host can do, with reasons, then exit\n"
	"  --no-cache           compile even when the compile cache has the program\n"
	"  --metrics [ADDR:]PORT\n"
	"                       serve the tables as Prometheus metrics on\n"
	"                       http://ADDR:PORT/metrics (ADDR: 127.0.0.1 unless given;\n"
	"                       PORT 0 takes a free port, named in the ready line)\n"
	"  --metrics-textfile DIR\n"
	"                       write them to DIR/bcc_run_NAME.prom every --interval,\n"
	"                       for node_exporter's textfile collector; the file is\n"
	"                       removed at exit\n"
	"  --interval SECONDS   how often --metrics-textfile writes (default 15)\n"
	"  --metrics-prefix PREFIX\n"
	"                       metric names are PREFIX<table> (default bcc_)\n"
	"  --metrics-max-series N\n"
	"                       at most N series a table (default 10000); the rest\n"
	"                       are counted in bcc_run_series_dropped_total\n"
	"  --version            print the versions (bcc-c, libbcc) and whether the cache is on\n"
	"  -h                   print this help\n"
	"Prints bpf_trace_printk() messages as TIME(s) COMM PID MESSAGE, each event of a\n"
	"BPF_PERF_OUTPUT or BPF_RINGBUF_OUTPUT table as name=value pairs, and at exit\n"
	"every BPF_HASH and BPF_ARRAY, and every BPF_HISTOGRAM as a log2 histogram.\n"
	"Examples:\n"
	"  sudo bcc-run examples/hello_tracepoint.bpf.c\n"
	"  sudo bcc-run examples/strlen_count.bpf.c -u c:strlen:count -d 5\n"
	"  sudo bcc-run examples/open_events.bpf.c --json | jq .\n"
	"  sudo bcc-run my.bpf.c --watch        # edit my.bpf.c in another window\n"
	"  sudo bcc-run examples/syscall_latency.bpf.c --metrics 9435\n";

enum probe_opt { OPT_UPROBE, OPT_URETPROBE, OPT_KPROBE, OPT_KRETPROBE, OPT_TRACEPOINT };

static struct env {
	struct {
		enum probe_opt kind;
		struct spec spec;
	} specs[MAX_SPECS];
	size_t nspecs;
	struct usdt_spec *usdts; /* --usdt, malloc'd */
	size_t nusdts;
	char **cflags; /* "-DNAME[=VALUE]" for each -D, malloc'd */
	size_t ncflags;
	long pid;
	bool json;
	bool watch;
	bool features;
	int no_cache;
	const char *metrics_listen;   /* --metrics */
	const char *metrics_dir;      /* --metrics-textfile */
	const char *metrics_prefix;
	long metrics_max_series;
	long interval;
} env = { .metrics_prefix = METRICS_DEFAULT_PREFIX,
	  .metrics_max_series = METRICS_DEFAULT_MAX_SERIES, .interval = 15 };

/* --metrics, --metrics-textfile: what is exported, kept across reloads. */
static struct metrics *metrics;

/* One BPF_PERF_OUTPUT/BPF_RINGBUF_OUTPUT table and how to decode it. */
struct output {
	const char *name; /* the tracer's */
	struct event_layout layout;
	bool decodable;
	bool show_name; /* more than one output: prefix lines with the table */
	struct perf_buf *pb;
	struct ring_buf *rb;
	struct stacks *stacks; /* the session's */
	struct metrics_events *ev; /* with --metrics: its counts */
};

/* What one compile of the text brings: its tracer, its outputs and the
 * names of its BPF_HISTOGRAM tables. Owns everything it points to. */
struct session {
	struct tracer *t;
	char *text;
	bool printk;
	struct output *outputs;
	size_t noutputs;
	char **hists;
	size_t nhists;
	struct usdt *usdt;
	struct stacks *stacks;
	double compile_seconds;
};

static int add_define(const char *arg)
{
	char **cflags;

	if (!arg[0] || arg[0] == '=') {
		log_error("invalid -D '%s': expected NAME or NAME=VALUE", arg);
		return -EINVAL;
	}
	cflags = realloc(env.cflags, (env.ncflags + 1) * sizeof(*cflags));
	if (!cflags || asprintf(&cflags[env.ncflags], "-D%s", arg) < 0) {
		env.cflags = cflags ? cflags : env.cflags;
		log_error("out of memory");
		return -ENOMEM;
	}
	env.cflags = cflags;
	env.ncflags++;
	return 0;
}

static int add_usdt(const char *arg)
{
	struct usdt_spec *usdts = realloc(env.usdts, (env.nusdts + 1) * sizeof(*usdts));
	const char *why;

	if (!usdts) {
		log_error("out of memory");
		return -ENOMEM;
	}
	env.usdts = usdts;
	if (usdt_spec_parse(arg, &usdts[env.nusdts], &why)) {
		log_error("invalid --usdt '%s': %s", arg, why);
		return -EINVAL;
	}
	env.nusdts++;
	return 0;
}

static int parse_opt(int opt, const char *arg, void *ctx)
{
	static const int fields[] = { [OPT_UPROBE] = 3, [OPT_URETPROBE] = 3, [OPT_KPROBE] = 2,
				      [OPT_KRETPROBE] = 2, [OPT_TRACEPOINT] = 3 };
	enum probe_opt kind;
	const char *why;

	(void)ctx;
	switch (opt) {
	case 'u': kind = OPT_UPROBE; break;
	case 'U': kind = OPT_URETPROBE; break;
	case 'k': kind = OPT_KPROBE; break;
	case 'K': kind = OPT_KRETPROBE; break;
	case 't': kind = OPT_TRACEPOINT; break;
	case 'p':
		return tool_parse_long(arg, 1, INT_MAX, "PID", &env.pid);
	case 'D':
		return add_define(arg);
	case 'J':
		env.json = true;
		return 0;
	case 'W':
		env.watch = true;
		return 0;
	case 'F':
		env.features = true;
		return 0;
	case 'S':
		return add_usdt(arg);
	case 'M':
		env.metrics_listen = arg;
		return 0;
	case 'T':
		env.metrics_dir = arg;
		return 0;
	case 'P':
		env.metrics_prefix = arg;
		if (metrics_valid_prefix(arg))
			return 0;
		log_error("invalid --metrics-prefix '%s': a metric name begins with a letter, "
			  "'_' or ':' and goes on with letters, digits, '_' and ':'", arg);
		return -EINVAL;
	case 'N':
		return tool_parse_long(arg, 1, 10000000, "--metrics-max-series",
				       &env.metrics_max_series);
	case 'I':
		return tool_parse_long(arg, 1, 86400, "--interval", &env.interval);
	default:
		return -EINVAL;
	}
	if (env.nspecs == MAX_SPECS) {
		log_error("too many probes on the command line (at most %d)", MAX_SPECS);
		return -E2BIG;
	}
	if (spec_parse(arg, fields[kind], &env.specs[env.nspecs].spec, &why)) {
		log_error("invalid -%c '%s': %s", opt, arg, why);
		return -EINVAL;
	}
	env.specs[env.nspecs++].kind = kind;
	return 0;
}

static int attach_spec(struct tracer *t, enum probe_opt kind, const struct spec *s)
{
	switch (kind) {
	case OPT_UPROBE:
	case OPT_URETPROBE:
		return tracer__attach_uprobe(t, &(struct tracer_uprobe){
			.fn_name = s->fn, .binary = s->target, .symbol = s->symbol[0] ? s->symbol : NULL,
			.addr = s->addr, .pid = (pid_t)env.pid, .retprobe = kind == OPT_URETPROBE });
	case OPT_KPROBE:
		return tracer__attach_kprobe(t, s->fn, s->target, 0);
	case OPT_KRETPROBE:
		return tracer__attach_kretprobe(t, s->fn, s->target);
	case OPT_TRACEPOINT:
		return tracer__attach_tracepoint(t, s->fn, s->target, s->symbol);
	}
	return -EINVAL;
}

/* BPF_HISTOGRAM(name ...) tables are printed as histograms at exit. */
static int find_hists(struct session *s)
{
	return dump_text_hists(s->text, &s->hists, &s->nhists);
}

static bool is_hist(const struct session *s, const char *name)
{
	for (size_t i = 0; i < s->nhists; i++)
		if (!strcmp(s->hists[i], name))
			return true;
	return false;
}

static void print_event(struct output *o, const void *data, size_t size)
{
	if (env.json) {
		printf("{\"type\":\"event\",\"table\":\"%s\",\"data\":{", o->name);
		if (o->decodable)
			event_format(&o->layout, data, size, true, stdout);
		else
			printf("\"raw_size\":%zu", size);
		putchar('}');
		if (o->decodable)
			stacks__print_event(o->stacks, &o->layout, data, size, true, stdout);
		puts("}");
		return;
	}
	if (o->show_name)
		printf("%s: ", o->name);
	if (o->decodable) {
		event_format(&o->layout, data, size, false, stdout);
	} else {
		printf("raw=");
		for (size_t i = 0; i < size; i++)
			printf("%02x", ((const unsigned char *)data)[i]);
	}
	putchar('\n');
	if (o->decodable)
		stacks__print_event(o->stacks, &o->layout, data, size, false, stdout);
}

static void on_perf_event(void *ctx, int cpu, const void *data, size_t size)
{
	struct output *o = ctx;

	(void)cpu;
	if (o->ev)
		o->ev->events++;
	print_event(o, data, size);
}

static void on_perf_lost(void *ctx, int cpu, uint64_t lost)
{
	struct output *o = ctx;

	if (o->ev)
		o->ev->lost += lost;
	log_info("lost %" PRIu64 " events of '%s' on CPU %d (the perf buffer was full)", lost,
		 o->name, cpu);
}

static void on_ring_event(void *ctx, const void *data, size_t size)
{
	struct output *o = ctx;

	if (o->ev)
		o->ev->events++;
	print_event(o, data, size);
}

static void print_trace(const struct trace_fields *f, void *ctx)
{
	(void)ctx;
	if (!env.json) {
		tool_print_timed(f, NULL);
		return;
	}
	printf("{\"type\":\"trace\",\"time\":%.9f,\"comm\":", f->ts);
	json_string(stdout, f->task, sizeof(f->task));
	printf(",\"pid\":%d,\"message\":", f->pid);
	json_string(stdout, f->msg, strlen(f->msg));
	puts("}");
}

/* Delivers the events that already arrived: before a stop or a reload. */
static void session_drain(struct session *s)
{
	for (size_t i = 0; i < s->noutputs; i++) {
		if (s->outputs[i].pb)
			perf_buf__consume(s->outputs[i].pb);
		else
			ring_buf__poll(s->outputs[i].rb, 0);
	}
}

/* Detaches and frees everything of s; s is then empty. */
static void session_close(struct session *s)
{
	for (size_t i = 0; i < s->noutputs; i++) {
		perf_buf__free(s->outputs[i].pb);
		ring_buf__free(s->outputs[i].rb);
	}
	free(s->outputs);
	for (size_t i = 0; i < s->nhists; i++)
		free(s->hists[i]);
	free(s->hists);
	stacks__free(s->stacks);
	tracer__free(s->t);
	usdt__free(s->usdt);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

static int open_output(struct session *s, const struct tracer_table *tab)
{
	struct output *o = &s->outputs[s->noutputs];

	*o = (struct output){ .name = tab->name, .stacks = s->stacks };
	o->decodable = tracer__event_layout(s->t, o->name, &o->layout) == 0;
	if (o->decodable)
		stacks__claim_layout(s->stacks, &o->layout);
	if (!o->decodable)
		log_info("events of '%s' are printed as raw bytes: libbcc reports no field "
			 "list this tool can decode (nested structs, or nothing submitted)",
			 o->name);
	s->noutputs++; /* from now on session_close() frees what opens below */
	if (metrics && !(o->ev = metrics__events(metrics, o->name)))
		return tracer__fail(s->t, -ENOMEM, "cannot open the outputs: out of memory");
	if (tab->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return perf_buf__open(s->t, o->name, &(struct perf_buf_opts){
			.page_cnt = PAGE_CNT, .sample = on_perf_event, .lost = on_perf_lost,
			.ctx = o }, &o->pb);
	return ring_buf__open(s->t, o->name, on_ring_event, o, &o->rb);
}

static int open_outputs(struct session *s)
{
	size_t n = tracer__num_tables(s->t);
	int err = 0;

	/* the outputs never move: their callbacks hold pointers to them */
	s->outputs = calloc(n ? n : 1, sizeof(*s->outputs));
	if (!s->outputs)
		return tracer__fail(s->t, -ENOMEM, "cannot open the outputs: out of memory");
	for (size_t i = 0; i < n && !err; i++) {
		struct tracer_table tab;

		if (tracer__table_at(s->t, i, &tab) == 0 &&
		    (tab.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY || tab.type == BPF_MAP_TYPE_RINGBUF))
			err = open_output(s, &tab);
	}
	for (size_t i = 0; i < s->noutputs; i++)
		s->outputs[i].show_name = s->noutputs > 1;
	return err;
}

/* --usdt: enables the probes and puts their argument code before the
 * text, as bcc does; *text becomes a new string to free when it is not
 * s->text. */
static int usdt_prepend(struct session *s, const char *path, char **text)
{
	char msg[8192];
	int err;

	if (!env.nusdts)
		return 0;
	err = usdt__open(env.usdts, env.nusdts, &s->usdt, msg, sizeof(msg));
	if (err)
		return tracer__fail(s->t, err, "%s", msg);
	if (asprintf(text, "%s\n%s", usdt__argcode(s->usdt), s->text) < 0) {
		*text = s->text;
		return tracer__fail(s->t, -ENOMEM, "cannot read '%s': out of memory", path);
	}
	return 0;
}

static void print_note(const char *msg, void *ctx);

/* Compiles text (owned by s from now on), attaches it and opens its
 * outputs. On failure prints why and leaves s empty; a session already
 * running elsewhere is not touched. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int session_open(struct session *s, const char *path, char *text)
{
	double start = now_s();
	int err;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->printk = strstr(text, "bpf_trace_printk") != NULL;
	s->t = tracer__new();
	if (!s->t) {
		log_error("cannot compile '%s': out of memory", path);
		session_close(s);
		return -ENOMEM;
	}
	err = usdt_prepend(s, path, &text);
	if (!err)
		err = tool_compile(s->t, &(struct tracer_src){ .text = text, .name = path,
			   .cflags = (const char *const *)env.cflags, .ncflags = env.ncflags,
			   .no_cache = env.no_cache });
	if (text != s->text)
		free(text);
	s->compile_seconds = now_s() - start;
	if (!err && find_hists(s))
		err = tracer__fail(s->t, -ENOMEM, "cannot read '%s': out of memory", path);
	if (!err) {
		err = tracer__autoattach(s->t);
		err = err > 0 ? 0 : err;
	}
	/* Ctrl-C between two attaches stops there: there may be 64 of them */
	for (size_t i = 0; i < env.nspecs && !err; i++)
		err = tool_exiting ? -EINTR : attach_spec(s->t, env.specs[i].kind,
							  &env.specs[i].spec);
	if (!err && s->usdt)
		err = usdt__attach(s->usdt, s->t);
	if (!err && tracer__num_links(s->t) == 0)
		err = tracer__fail(s->t, -ENOENT, "nothing to attach: the text has no function "
				   "named kprobe__, kretprobe__, tracepoint__ (TRACEPOINT_PROBE), "
				   "raw_tracepoint__, kfunc__ or kretfunc__, and the command line "
				   "names no probe (-u, -U, -k, -K, -t, --usdt)");
	if (!err && !(s->stacks = stacks__new(s->t, print_note, NULL)))
		err = tracer__fail(s->t, -errno, "cannot read the stack tables: out of memory");
	stacks__set_text(s->stacks, s->text);
	stacks__set_pid(s->stacks, (int)env.pid);
	if (!err)
		err = open_outputs(s);
	if (err) {
		tool_fail(s->t, err);
		session_close(s);
	}
	return err;
}

static bool session_is_hist(const char *name, void *ctx)
{
	return is_hist(ctx, name);
}

static void print_note(const char *msg, void *ctx)
{
	(void)ctx;
	log_info("%s", msg);
}

static void print_tables(struct session *s)
{
	dump__tables(s->t, stdout, &(struct dump_opts){ .json = env.json,
		     .is_hist = session_is_hist, .note = print_note, .ctx = s,
		     .stacks = s->stacks });
}

/* Starts the first session from the file; prints why not on failure. */
static int session_start(struct session *s, const char *path)
{
	char *text;
	int err = tool_read_text(path, &text);

	return err ? err : session_open(s, path, text);
}

/* --watch: the file was written. The running session stays attached until
 * the new text is compiled, loaded and attached, and goes on running when
 * any of that fails: only a complete new session replaces it. */
static void session_reload(struct session *s, const char *path)
{
	struct session next;
	char *text;

	if (tool_read_text(path, &text)) {
		log_info("keeping the previous program running");
		return;
	}
	if (!strcmp(text, s->text)) {
		free(text);
		return;
	}
	if (session_open(&next, path, text)) {
		log_info("keeping the previous program running");
		return;
	}
	tracer__detach(s->t); /* its tables stop changing while printed */
	session_drain(s);
	if (!env.json)
		print_tables(s);
	session_close(s);
	*s = next;
	log_info("ready: reloaded '%s': %zu probe(s) attached", path, tracer__num_links(s->t));
}

/* An inotify watch on FILE's directory: editors often replace the file. */
static int watch_open(const char *path, const char **base)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	*base = slash ? slash + 1 : path;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (fd < 0 || inotify_add_watch(fd, dir[0] ? dir : "/",
					IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		log_error("cannot watch '%s' for changes: %s", path, strerror(-err));
		return err;
	}
	return fd;
}

/* True when the watch saw FILE written. */
static bool watch_changed(int fd, const char *base)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (ev->len && !strcmp(ev->name, base))
				changed = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	return changed;
}

/* Where the metrics go: an HTTP endpoint, a textfile, or both. */
struct export {
	struct metrics_server *srv;
	char textfile[PATH_MAX]; /* "" without --metrics-textfile */
	double next_write;       /* CLOCK_MONOTONIC seconds */
};

/* What the event loop watches besides the session. */
struct loop {
	struct trace_pipe *tp;
	unsigned long lost_reported;
	int watch_fd;
	const char *watch_base;
	struct export *ex;
};

/* One scrape of the running session (s: main's, which a reload refills
 * in place, so this always reads the program attached now). */
static int metrics_body(FILE *out, void *ctx)
{
	struct session *s = ctx;

	/* the rings emptied first, and again every so often (metrics_tick):
	 * a scrape of a large table is no gap in the events */
	session_drain(s);
	return metrics__scrape(metrics, &(struct metrics_scrape){ .t = s->t,
			       .is_hist = session_is_hist, .ctx = s,
			       .compile_seconds = s->compile_seconds }, out);
}

/* --metrics-textfile: writes the file when its interval has passed. */
static void export_textfile(struct export *ex, struct session *s)
{
	char *body = NULL;
	size_t len = 0;
	FILE *out;
	int err;

	if (!ex->textfile[0] || now_s() < ex->next_write)
		return;
	ex->next_write = now_s() + (double)env.interval;
	out = open_memstream(&body, &len);
	if (!out) {
		log_error("cannot write '%s': out of memory", ex->textfile);
		return;
	}
	err = metrics_body(out, s);
	if (fclose(out) && !err)
		err = -ENOMEM;
	if (!err)
		err = metrics_textfile_write(ex->textfile, body, len);
	if (err)
		log_error("cannot write the metrics to '%s': %s (the previous file stays)",
			  ex->textfile, strerror(-err));
	free(body);
}

/* Opens trace_pipe the first time a session's text prints to it. */
static int loop_trace_pipe(struct loop *l, const struct session *s)
{
	int err;

	if (!s->printk || l->tp)
		return 0;
	err = tool_trace_pipe_open(&l->tp);
	if (!err && !env.json)
		fputs(TOOL_TIMED_HEADER, stdout);
	return err;
}

/* One turn: waits up to wait_ms for any source, then serves each one a
 * bounded batch. Returns 1 when trace lines are left over (the next turn
 * must not wait), 0, or a negative errno after printing why. */
static int loop_turn(struct loop *l, struct session *s, const char *path, int wait_ms)
{
	struct pollfd *pfds = calloc(s->noutputs + 3, sizeof(*pfds));
	struct trace_fields f;
	nfds_t n = 0;
	int err = 0, lines = 0;

	if (!pfds) {
		log_error("cannot read events: out of memory");
		return -ENOMEM;
	}
	if (l->tp)
		pfds[n++] = (struct pollfd){ .fd = trace_pipe__fd(l->tp), .events = POLLIN };
	if (l->watch_fd >= 0)
		pfds[n++] = (struct pollfd){ .fd = l->watch_fd, .events = POLLIN };
	if (l->ex->srv)
		pfds[n++] = (struct pollfd){ .fd = metrics_server__fd(l->ex->srv), .events = POLLIN };
	for (size_t i = 0; i < s->noutputs; i++)
		pfds[n++] = (struct pollfd){ .events = POLLIN, .fd = s->outputs[i].pb ?
					     perf_buf__fd(s->outputs[i].pb) :
					     ring_buf__fd(s->outputs[i].rb) };
	if (poll(pfds, n, wait_ms) < 0 && errno != EINTR)
		err = -errno;
	free(pfds);
	while (!err && l->tp && lines < TRACE_BATCH && (err = trace_pipe__next(l->tp, &f, 0)) > 0) {
		print_trace(&f, NULL);
		lines++;
		err = 0;
	}
	if (l->tp)
		tool_trace_pipe_report_lost(l->tp, &l->lost_reported);
	for (size_t i = 0; i < s->noutputs && err >= 0; i++)
		err = s->outputs[i].pb ? perf_buf__poll(s->outputs[i].pb, 0) :
					 ring_buf__poll(s->outputs[i].rb, 0);
	err = err == -EINTR ? 0 : err;
	if (err < 0) {
		log_error("cannot read events: %s", strerror(-err));
		return err;
	}
	/* after the events: a scrape reads the tables between two turns, and
	 * the server only does what its sockets allow without waiting */
	if (l->ex->srv)
		metrics_server__run(l->ex->srv);
	export_textfile(l->ex, s);
	if (l->watch_fd >= 0 && watch_changed(l->watch_fd, l->watch_base)) {
		poll(NULL, 0, 50); /* let the editor finish writing */
		watch_changed(l->watch_fd, l->watch_base);
		session_reload(s, path);
	}
	return lines == TRACE_BATCH;
}

static int run(struct session *s, const char *path, long duration, struct export *ex)
{
	struct loop l = { .watch_fd = -1, .ex = ex };
	char where[PATH_MAX + 64] = "";
	struct tool_deadline deadline;
	int wait, busy = 0, err;

	if (env.watch && (l.watch_fd = watch_open(path, &l.watch_base)) < 0)
		return l.watch_fd;
	err = loop_trace_pipe(&l, s);
	export_textfile(ex, s); /* the file is there once ready is said */
	if (ex->srv)
		snprintf(where, sizeof(where), "; metrics on %s", metrics_server__url(ex->srv));
	if (ex->textfile[0])
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
			 "; metrics in %s every %ld s", ex->textfile, env.interval);
	if (!err)
		log_info("ready: %zu probe(s) attached from '%s'%s%s", tracer__num_links(s->t),
			 path, env.watch ? "; watching it for changes" : "", where);
	tool_deadline_start(&deadline, duration);
	while (!err && (wait = tool_deadline_wait_ms(&deadline, TURN_MS)) >= 0) {
		busy = loop_turn(&l, s, path, busy ? 0 : wait);
		err = busy < 0 ? busy : loop_trace_pipe(&l, s);
	}
	/* before the last events are read: the tables printed next stop
	 * changing, and the traced programs stop paying for the probes */
	tracer__detach(s->t);
	session_drain(s);
	if (l.tp)
		tool_trace_pipe_drain(l.tp, print_trace, NULL);
	if (l.watch_fd >= 0)
		close(l.watch_fd);
	trace_pipe__free(l.tp);
	return err;
}

/* Why metrics cannot be served on env.metrics_listen, for errno err. */
static const char *listen_why(int err)
{
	switch (err) {
	case -EINVAL:
		return "expected [ADDR:]PORT: PORT from 0 to 65535 (0: any free port), ADDR an "
		       "IPv4 address, an IPv6 address in brackets ([::1]) or localhost; "
		       "127.0.0.1 when left out";
	case -EADDRNOTAVAIL:
		return "the address is not one of this host's (ip -br addr lists them); use "
		       "127.0.0.1, 0.0.0.0 for every interface, or one of those";
	case -EADDRINUSE:
		return "another program listens on that port (ss -ltnp names it); choose "
		       "another PORT";
	case -EACCES:
		return "ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port "
		       "above 1023 (Prometheus exporters use 9100-9999)";
	default:
		return NULL;
	}
}

static void metrics_tick(void *ctx)
{
	session_drain(ctx);
}

/* Opens the HTTP endpoint and checks the textfile's directory. Prints why
 * not on failure. */
static int export_open(struct export *ex, const char *path, struct session *s)
{
	int err;

	if (!env.metrics_listen && !env.metrics_dir)
		return 0;
	metrics = metrics__new(&(struct metrics_opts){ .prefix = env.metrics_prefix,
			       .source = path, .max_series = (size_t)env.metrics_max_series,
			       .note = print_note, .tick = metrics_tick, .ctx = s });
	if (!metrics) {
		log_error("cannot export metrics: out of memory");
		return -ENOMEM;
	}
	if (env.metrics_listen) {
		err = metrics_server__open(env.metrics_listen, metrics_body, s, &ex->srv);
		if (err) {
			log_error("cannot serve metrics on '%s': %s", env.metrics_listen,
				  listen_why(err) ? listen_why(err) : strerror(-err));
			return err;
		}
	}
	if (env.metrics_dir) {
		err = metrics_textfile_path(env.metrics_dir, path, ex->textfile,
					    sizeof(ex->textfile));
		if (!err)
			err = metrics_textfile_check(ex->textfile);
		if (err) {
			log_error("cannot write metrics to the directory '%s': %s; give "
				  "--metrics-textfile a directory that exists and that this user "
				  "can write (node_exporter's --collector.textfile.directory)",
				  env.metrics_dir, strerror(-err));
			ex->textfile[0] = '\0';
			return err;
		}
	}
	return 0;
}

static void export_close(struct export *ex)
{
	metrics_server__free(ex->srv);
	/* a stopped program's counts would look alive to node_exporter */
	if (ex->textfile[0])
		unlink(ex->textfile);
	metrics__free(metrics);
	metrics = NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "watch", no_argument, NULL, 'W' },
		{ "features", no_argument, NULL, 'F' },
		{ "usdt", required_argument, NULL, 'S' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "metrics-textfile", required_argument, NULL, 'T' },
		{ "metrics-prefix", required_argument, NULL, 'P' },
		{ "metrics-max-series", required_argument, NULL, 'N' },
		{ "interval", required_argument, NULL, 'I' },
		{ 0 },
	};
	struct session s = { 0 };
	struct export ex = { 0 };
	struct tool_opts opts;
	enum tool_parse_result r;
	const char *path;
	int err = 2, first;

	tool_init("bcc-run");
	r = tool_parse_args(argc, argv, usage, "u:U:k:K:t:p:D:", longopts, parse_opt, NULL,
			    &opts, 1, &first);
	if (r != TOOL_RUN) {
		err = r == TOOL_HELP ? 0 : 2;
		goto out;
	}
	env.no_cache = opts.no_cache;
	path = first < argc ? argv[first] : NULL;
	if (env.features) {
		feature_report(stdout);
		err = 0;
		goto out;
	}
	if (!path) {
		log_error("no BPF text given: bcc-run FILE.bpf.c [options] (see bcc-run -h)");
		goto out;
	}
	if (opts.bpf_file) {
		log_error("-f is not used by bcc-run: give the BPF text as its argument");
		goto out;
	}
	/* before anything is attached: a bad address or directory leaves
	 * nothing behind */
	err = export_open(&ex, path, &s);
	if (!err)
		err = session_start(&s, path);
	if (!err) {
		err = run(&s, path, opts.duration, &ex);
		print_tables(&s);
	}
	if (err == -EINTR && tool_exiting)
		err = 0; /* stopped while attaching: what was attached is detached */
	session_close(&s);
	export_close(&ex);
	err = err != 0;
out:
	for (size_t i = 0; i < env.ncflags; i++)
		free(env.cflags[i]);
	free(env.cflags);
	free(env.usdts);
	return err;
}
