/* bcc-run: run any bcc-dialect BPF text with no front end to write. It
 * compiles the file, attaches every bcc-named function and the probes the
 * command line names, prints trace_pipe messages and perf/ring buffer
 * events decoded by their field names, and the tables at exit. --watch
 * reloads the file when it is saved. */
#include "event_decode.h"
#include "feature.h"
#include "hist.h"
#include "log.h"
#include "perf_buf.h"
#include "ring_buf.h"
#include "spec.h"
#include "table.h"
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/bpf.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define MAX_SPECS 64
#define MAX_DEFINES 64
#define MAX_OUTPUTS 16
#define MAX_HISTS 16
#define PAGE_CNT 64
#define NAME_LEN 64

static const char usage[] =
	"Usage: bcc-run FILE.bpf.c [-u|-U BINARY:SYMBOL:FN] [-k|-K FUNC:FN]\n"
	"               [-t CATEGORY:EVENT:FN] [-p PID] [-D NAME[=VALUE]] [-d SECONDS]\n"
	"               [--json] [--watch] [--no-cache]\n"
	"       bcc-run --features\n"
	"Compile a BPF text, attach it and print what it sends.\n"
	"Functions named kprobe__X, kretprobe__X, tracepoint__CAT__EVENT (TRACEPOINT_PROBE),\n"
	"raw_tracepoint__X, kfunc__X and kretfunc__X (KFUNC_PROBE, KRETFUNC_PROBE) attach\n"
	"by themselves; the options attach the others:\n"
	"  -u BINARY:SYMBOL:FN  uprobe: run FN when SYMBOL in BINARY is called; BINARY is\n"
	"                       a path, a program on PATH or a library name like c;\n"
	"                       SYMBOL may be an address 0x...\n"
	"  -U BINARY:SYMBOL:FN  uretprobe: run FN when SYMBOL returns\n"
	"  -k FUNC:FN           kprobe on kernel function FUNC\n"
	"  -K FUNC:FN           kretprobe on kernel function FUNC\n"
	"  -t CATEGORY:EVENT:FN tracepoint\n"
	"  -p PID               uprobes fire only in this process\n"
	"  -D NAME[=VALUE]      define NAME for the compile (repeatable)\n"
	"  -d SECONDS           stop after SECONDS (default: until Ctrl-C)\n"
	"  --json               one JSON object per line for events, messages and tables\n"
	"  --watch              when FILE is saved, recompile and reattach; a text that\n"
	"                       does not compile leaves the previous one running\n"
	"  --features           what this host can do, with reasons, then exit\n"
	"  --no-cache           compile even when the compile cache has the program\n"
	"Prints bpf_trace_printk() messages as TIME(s) COMM PID MESSAGE, each event of a\n"
	"BPF_PERF_OUTPUT or BPF_RINGBUF_OUTPUT table as name=value pairs, and at exit\n"
	"every BPF_HASH and BPF_ARRAY, and every BPF_HISTOGRAM as a log2 histogram.\n"
	"Examples:\n"
	"  sudo bcc-run examples/hello_tracepoint.bpf.c\n"
	"  sudo bcc-run examples/strlen_count.bpf.c -u c:strlen:count -d 5\n"
	"  sudo bcc-run examples/open_events.bpf.c --json | jq .\n"
	"  sudo bcc-run my.bpf.c --watch        # edit my.bpf.c in another window\n";

enum probe_opt { OPT_UPROBE, OPT_URETPROBE, OPT_KPROBE, OPT_KRETPROBE, OPT_TRACEPOINT };

static struct env {
	struct {
		enum probe_opt kind;
		struct spec spec;
	} specs[MAX_SPECS];
	size_t nspecs;
	const char *defines[MAX_DEFINES];
	size_t ndefines;
	long pid;
	bool json;
	bool watch;
	bool features;
	int no_cache;
} env;

/* One BPF_PERF_OUTPUT/BPF_RINGBUF_OUTPUT table and how to decode it. */
struct output {
	char name[NAME_LEN];
	struct event_layout layout;
	bool decodable;
	bool show_name; /* more than one output: prefix lines with the table */
	struct perf_buf *pb;
	struct ring_buf *rb;
};

/* What one compile of the text brings: its tracer and its outputs. */
struct session {
	struct tracer *t;
	char *text;
	bool printk;
	struct output outputs[MAX_OUTPUTS];
	size_t noutputs;
	char hists[MAX_HISTS][NAME_LEN];
	size_t nhists;
};

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
		if (env.ndefines == MAX_DEFINES || !arg[0] || arg[0] == '=') {
			log_error("invalid -D '%s': expected NAME or NAME=VALUE", arg);
			return -EINVAL;
		}
		env.defines[env.ndefines++] = arg;
		return 0;
	case 'J':
		env.json = true;
		return 0;
	case 'W':
		env.watch = true;
		return 0;
	case 'F':
		env.features = true;
		return 0;
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
static void find_hists(struct session *s)
{
	regex_t re;
	regmatch_t m[2];
	const char *p = s->text;

	if (regcomp(&re, "BPF_HISTOGRAM[[:space:]]*\\([[:space:]]*([A-Za-z_][A-Za-z0-9_]*)",
		    REG_EXTENDED))
		return;
	while (s->nhists < MAX_HISTS && !regexec(&re, p, 2, m, 0)) {
		snprintf(s->hists[s->nhists++], NAME_LEN, "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
			 p + m[1].rm_so);
		p += m[0].rm_eo;
	}
	regfree(&re);
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
		puts("}}");
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
}

static void on_perf_event(void *ctx, int cpu, const void *data, size_t size)
{
	(void)cpu;
	print_event(ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, uint64_t lost)
{
	struct output *o = ctx;

	log_info("lost %" PRIu64 " events of '%s' on CPU %d (the perf buffer was full)", lost,
		 o->name, cpu);
}

static void on_ring_event(void *ctx, const void *data, size_t size)
{
	print_event(ctx, data, size);
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

static void session_close(struct session *s)
{
	for (size_t i = 0; i < s->noutputs; i++) {
		perf_buf__free(s->outputs[i].pb);
		ring_buf__free(s->outputs[i].rb);
	}
	tracer__free(s->t);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

/* Compiles text (owned by s from now on) without attaching anything. */
static int session_compile(struct session *s, const char *path, char *text)
{
	const char *cflags[MAX_DEFINES];
	char defs[MAX_DEFINES][256];
	int err;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->printk = strstr(text, "bpf_trace_printk") != NULL;
	for (size_t i = 0; i < env.ndefines; i++) {
		snprintf(defs[i], sizeof(defs[i]), "-D%s", env.defines[i]);
		cflags[i] = defs[i];
	}
	s->t = tracer__new();
	if (!s->t)
		return -ENOMEM;
	err = tracer__compile(s->t, &(struct tracer_src){ .text = text, .name = path,
				.cflags = cflags, .ncflags = env.ndefines, .no_cache = env.no_cache });
	if (!err)
		find_hists(s);
	return err;
}

static int open_outputs(struct session *s)
{
	size_t n = tracer__num_tables(s->t);

	for (size_t i = 0; i < n && s->noutputs < MAX_OUTPUTS; i++) {
		struct tracer_table tab;
		struct output *o = &s->outputs[s->noutputs];
		int err;

		if (tracer__table_at(s->t, i, &tab) ||
		    (tab.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY && tab.type != BPF_MAP_TYPE_RINGBUF))
			continue;
		snprintf(o->name, sizeof(o->name), "%s", tab.name);
		o->decodable = tracer__event_layout(s->t, o->name, &o->layout) == 0;
		if (!o->decodable)
			log_info("events of '%s' are printed as raw bytes: libbcc reports no field "
				 "list this tool can decode (nested structs, or nothing submitted)",
				 o->name);
		if (tab.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			err = perf_buf__open(s->t, o->name, &(struct perf_buf_opts){
				.page_cnt = PAGE_CNT, .sample = on_perf_event, .lost = on_perf_lost,
				.ctx = o }, &o->pb);
		else
			err = ring_buf__open(s->t, o->name, on_ring_event, o, &o->rb);
		if (err)
			return err;
		s->noutputs++;
	}
	for (size_t i = 0; i < s->noutputs; i++)
		s->outputs[i].show_name = s->noutputs > 1;
	return 0;
}

/* Attaches the compiled text and opens its outputs. */
static int session_attach(struct session *s)
{
	int n = tracer__autoattach(s->t), err;

	if (n < 0)
		return n;
	for (size_t i = 0; i < env.nspecs; i++) {
		err = attach_spec(s->t, env.specs[i].kind, &env.specs[i].spec);
		if (err)
			return err;
	}
	if (tracer__num_links(s->t) == 0)
		return tracer__fail(s->t, -ENOENT, "nothing to attach: the text has no function "
				    "named kprobe__, kretprobe__, tracepoint__ (TRACEPOINT_PROBE), "
				    "raw_tracepoint__, kfunc__ or kretfunc__, and the command line "
				    "names no probe (-u, -U, -k, -K, -t)");
	return open_outputs(s);
}

/* Integer keys and leaves print as numbers; anything else as libbcc shows it. */
static void print_value(struct tracer *t, const char *table, const char *desc, const void *v,
			size_t size, bool key)
{
	char field[128], buf[4096];
	const char *descs[1] = { field };
	struct event_layout l;
	size_t len = desc ? strlen(desc) : 0;

	/* a scalar's description is its quoted type name: "\"unsigned int\"" */
	if (len > 2 && len < 100 && desc[0] == '"' && desc[len - 1] == '"') {
		snprintf(field, sizeof(field), "v#%.*s", (int)len - 2, desc + 1);
		if (!event_layout_parse(descs, 1, &l) && l.size == size && l.fields[0].count == 1) {
			event_format_value(&l.fields[0], v, env.json, stdout);
			return;
		}
	}
	/* libbcc's pretty-printer needs the compiler: on a cache hit, hex */
	if ((key ? tracer__key_str(t, table, v, buf, sizeof(buf)) :
		   tracer__leaf_str(t, table, v, buf, sizeof(buf))) != 0) {
		size_t n = 0;

		n += snprintf(buf, sizeof(buf), "0x");
		for (size_t i = 0; i < size && n + 3 < sizeof(buf); i++)
			n += snprintf(buf + n, sizeof(buf) - n, "%02x", ((const unsigned char *)v)[i]);
	}
	if (env.json)
		json_string(stdout, buf, sizeof(buf));
	else
		fputs(buf, stdout);
}

static void print_hist(struct session *s, const struct tracer_table *tab)
{
	uint64_t vals[128] = { 0 };
	size_t n = tab->max_entries < 128 ? tab->max_entries : 128;

	if (tab->leaf_size != sizeof(uint64_t) || tab->key_size > sizeof(uint64_t))
		return;
	for (size_t i = 0; i < n; i++) {
		uint64_t key = i;

		if (table__lookup(tab, &key, &vals[i]))
			vals[i] = 0;
	}
	if (env.json) {
		printf("{\"type\":\"histogram\",\"name\":\"%s\",\"buckets\":", tab->name);
		hist_json_log2(stdout, vals, n);
		puts("}");
		return;
	}
	(void)s;
	printf("\n%s:\n", tab->name);
	hist_print_log2(stdout, vals, n, "value");
}

static void print_table(struct session *s, const struct tracer_table *tab)
{
	unsigned char key[512], next[512], leaf[4096];
	const char *kdesc = tracer__key_desc(s->t, tab->name);
	const char *ldesc = tracer__leaf_desc(s->t, tab->name);
	bool first = true;
	int err;

	if (tab->key_size > sizeof(key) || tab->leaf_size > sizeof(leaf))
		return;
	if (env.json)
		printf("{\"type\":\"table\",\"name\":\"%s\",\"entries\":[", tab->name);
	else
		printf("\n%s:\n", tab->name);
	for (err = table__next_key(tab, NULL, next); !err; err = table__next_key(tab, key, next)) {
		memcpy(key, next, tab->key_size);
		if (table__lookup(tab, key, leaf))
			continue;
		if (env.json) {
			printf("%s{\"key\":", first ? "" : ",");
			print_value(s->t, tab->name, kdesc, key, tab->key_size, true);
			printf(",\"value\":");
			print_value(s->t, tab->name, ldesc, leaf, tab->leaf_size, false);
			putchar('}');
		} else {
			printf("  ");
			print_value(s->t, tab->name, kdesc, key, tab->key_size, true);
			printf(": ");
			print_value(s->t, tab->name, ldesc, leaf, tab->leaf_size, false);
			putchar('\n');
		}
		first = false;
	}
	if (env.json)
		puts("]}");
}

static void print_tables(struct session *s)
{
	for (size_t i = 0; i < tracer__num_tables(s->t); i++) {
		struct tracer_table tab;

		if (tracer__table_at(s->t, i, &tab))
			continue;
		if (is_hist(s, tab.name))
			print_hist(s, &tab);
		else if (tab.type == BPF_MAP_TYPE_HASH || tab.type == BPF_MAP_TYPE_ARRAY ||
			 tab.type == BPF_MAP_TYPE_LRU_HASH)
			print_table(s, &tab);
	}
}

/* Starts a session from the file; prints why not on failure. */
static int session_start(struct session *s, const char *path)
{
	char *text;
	int err = tool_read_text(path, &text);

	if (err)
		return err;
	err = session_compile(s, path, text);
	if (!err)
		err = session_attach(s);
	if (err) {
		if (s->t)
			tool_fail(s->t, err);
		session_close(s);
	}
	return err;
}

/* --watch: the file was written. Compile the new text first; only when it
 * compiles is the running session replaced. */
static void session_reload(struct session *s, const char *path)
{
	struct session next;
	char *text;
	int err = tool_read_text(path, &text);

	if (err) {
		log_info("keeping the previous program running");
		return;
	}
	if (!strcmp(text, s->text)) {
		free(text);
		return;
	}
	err = session_compile(&next, path, text);
	if (err) {
		tool_fail(next.t, err);
		log_info("keeping the previous program running");
		session_close(&next);
		return;
	}
	session_drain(s);
	if (!env.json)
		print_tables(s);
	session_close(s);
	err = session_attach(&next);
	if (!err) {
		*s = next;
		log_info("reloaded '%s': %zu probe(s) attached", path, tracer__num_links(s->t));
		return;
	}
	tool_fail(next.t, err);
	session_close(&next);
	log_info("the new text does not attach; restarting the previous one");
	if (session_start(s, path) && !s->t)
		log_error("the previous text no longer attaches either; waiting for the next save");
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

static int run(struct session *s, const char *path, long duration)
{
	struct trace_pipe *tp = NULL;
	struct tool_deadline deadline;
	const char *base = NULL;
	unsigned long reported = 0;
	int watch_fd = -1, wait, err = 0;

	if (env.watch && (watch_fd = watch_open(path, &base)) < 0)
		return watch_fd;
	tool_deadline_start(&deadline, duration);
	while ((wait = tool_deadline_wait_ms(&deadline, 100)) >= 0) {
		struct trace_fields f;
		int slice = wait / 2 + 1;

		if (s->printk && !tp) {
			err = tool_trace_pipe_open(&tp);
			if (err)
				break;
			if (!env.json)
				fputs(TOOL_TIMED_HEADER, stdout);
		}
		if (tp) {
			while ((err = trace_pipe__next(tp, &f, slice)) > 0) {
				print_trace(&f, NULL);
				slice = 0;
			}
			tool_trace_pipe_report_lost(tp, &reported);
		}
		for (size_t i = 0; i < s->noutputs && err >= 0; i++) {
			if (s->outputs[i].pb)
				err = perf_buf__poll(s->outputs[i].pb, tp ? 0 : slice);
			else
				err = ring_buf__poll(s->outputs[i].rb, tp ? 0 : slice);
		}
		if (!tp && !s->noutputs)
			poll(NULL, 0, slice);
		err = err == -EINTR ? 0 : err;
		if (err < 0) {
			log_error("cannot read events: %s", strerror(-err));
			break;
		}
		err = 0;
		if (watch_fd >= 0 && watch_changed(watch_fd, base)) {
			poll(NULL, 0, 50); /* let the editor finish writing */
			watch_changed(watch_fd, base);
			session_reload(s, path);
		}
	}
	session_drain(s);
	if (tp)
		tool_trace_pipe_drain(tp, print_trace, NULL);
	if (watch_fd >= 0)
		close(watch_fd);
	trace_pipe__free(tp);
	return err;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "watch", no_argument, NULL, 'W' },
		{ "features", no_argument, NULL, 'F' },
		{ 0 },
	};
	struct session s = { 0 };
	struct tool_opts opts;
	enum tool_parse_result r;
	const char *path;
	int err;

	tool_init("bcc-run");
	/* FILE comes first; options may follow it */
	path = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
	if (path) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	r = tool_parse(argc, argv, usage, "u:U:k:K:t:p:D:", longopts, parse_opt, NULL, &opts);
	if (r != TOOL_RUN)
		return r == TOOL_HELP ? 0 : 2;
	env.no_cache = opts.no_cache;
	if (env.features) {
		feature_report(stdout);
		return 0;
	}
	if (!path) {
		log_error("no BPF text given: bcc-run FILE.bpf.c [options] (see bcc-run -h)");
		return 2;
	}
	if (opts.bpf_file) {
		log_error("-f is not used by bcc-run: give the BPF text as its first argument");
		return 2;
	}
	err = session_start(&s, path);
	if (err)
		return 1;
	err = run(&s, path, opts.duration);
	if (s.t)
		print_tables(&s);
	session_close(&s);
	return err != 0;
}
