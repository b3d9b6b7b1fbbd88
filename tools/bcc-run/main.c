/* bcc-run: run any bcc-dialect BPF text with no front end to write. It
 * compiles the file, attaches every bcc-named function and the probes the
 * command line names, prints trace_pipe messages and perf/ring buffer
 * events decoded by their field names, and the tables at exit. --watch
 * reloads the file when it is saved. This file reads the command line and
 * runs the other parts in order; bcc-run.h says which file does what. */
#include "bcc-run.h"

#include "feature.h"
#include "log.h"
#include "metrics.h"
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

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

static int add_define(struct env *env, const char *arg)
{
	char **cflags;

	if (!arg[0] || arg[0] == '=') {
		log_error("invalid -D '%s': expected NAME or NAME=VALUE", arg);
		return -EINVAL;
	}
	cflags = realloc(env->cflags, (env->ncflags + 1) * sizeof(*cflags));
	if (!cflags || asprintf(&cflags[env->ncflags], "-D%s", arg) < 0) {
		env->cflags = cflags ? cflags : env->cflags;
		log_error("out of memory");
		return -ENOMEM;
	}
	env->cflags = cflags;
	env->ncflags++;
	return 0;
}

static int add_usdt(struct env *env, const char *arg)
{
	struct usdt_spec *usdts = realloc(env->usdts, (env->nusdts + 1) * sizeof(*usdts));
	const char *why;

	if (!usdts) {
		log_error("out of memory");
		return -ENOMEM;
	}
	env->usdts = usdts;
	if (usdt_spec_parse(arg, &usdts[env->nusdts], &why)) {
		log_error("invalid --usdt '%s': %s", arg, why);
		return -EINVAL;
	}
	env->nusdts++;
	return 0;
}

static int parse_opt(int opt, const char *arg, void *ctx)
{
	static const int fields[] = { [OPT_UPROBE] = 3, [OPT_URETPROBE] = 3, [OPT_KPROBE] = 2,
				      [OPT_KRETPROBE] = 2, [OPT_TRACEPOINT] = 3 };
	struct env *env = ctx;
	enum probe_opt kind;
	const char *why;

	switch (opt) {
	case 'u': kind = OPT_UPROBE; break;
	case 'U': kind = OPT_URETPROBE; break;
	case 'k': kind = OPT_KPROBE; break;
	case 'K': kind = OPT_KRETPROBE; break;
	case 't': kind = OPT_TRACEPOINT; break;
	case 'p':
		return tool_parse_long(arg, 1, INT_MAX, "PID", &env->pid);
	case 'D':
		return add_define(env, arg);
	case 'J':
		env->json = true;
		return 0;
	case 'W':
		env->watch = true;
		return 0;
	case 'F':
		env->features = true;
		return 0;
	case 'S':
		return add_usdt(env, arg);
	case 'M':
		env->metrics_listen = arg;
		return 0;
	case 'T':
		env->metrics_dir = arg;
		return 0;
	case 'P':
		env->metrics_prefix = arg;
		if (metrics_valid_prefix(arg))
			return 0;
		log_error("invalid --metrics-prefix '%s': a metric name begins with a letter, "
			  "'_' or ':' and goes on with letters, digits, '_' and ':'", arg);
		return -EINVAL;
	case 'N':
		return tool_parse_long(arg, 1, 10000000, "--metrics-max-series",
				       &env->metrics_max_series);
	case 'I':
		return tool_parse_long(arg, 1, 86400, "--interval", &env->interval);
	default:
		return -EINVAL;
	}
	if (env->nspecs == MAX_SPECS) {
		log_error("too many probes on the command line (at most %d)", MAX_SPECS);
		return -E2BIG;
	}
	if (spec_parse(arg, fields[kind], &env->specs[env->nspecs].spec, &why)) {
		log_error("invalid -%c '%s': %s", opt, arg, why);
		return -EINVAL;
	}
	env->specs[env->nspecs++].kind = kind;
	return 0;
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
	/* static: the probe specs take 300 KiB */
	static struct bcc_run run = { .env = { .metrics_prefix = METRICS_DEFAULT_PREFIX,
		.metrics_max_series = METRICS_DEFAULT_MAX_SERIES, .interval = 15 } };
	struct bcc_run *r = &run;
	struct env *env = &r->env;
	struct tool_opts opts;
	enum tool_parse_result parsed;
	int err = 2, first;

	tool_init("bcc-run");
	parsed = tool_parse_args(argc, argv, usage, "u:U:k:K:t:p:D:", longopts, parse_opt, env,
				 &opts, 1, &first);
	if (parsed != TOOL_RUN) {
		err = parsed == TOOL_HELP ? 0 : 2;
		goto out;
	}
	env->no_cache = opts.no_cache;
	r->path = first < argc ? argv[first] : NULL;
	if (env->features) {
		feature_report(stdout);
		err = 0;
		goto out;
	}
	if (!r->path) {
		log_error("no BPF text given: bcc-run FILE.bpf.c [options] (see bcc-run -h)");
		goto out;
	}
	if (opts.bpf_file) {
		log_error("-f is not used by bcc-run: give the BPF text as its argument");
		goto out;
	}
	/* before anything is attached: a bad address or directory leaves
	 * nothing behind */
	err = export_open(r);
	if (!err)
		err = session_start(r);
	if (!err) {
		err = loop_run(r, opts.duration);
		print_tables(r, &r->s);
	}
	if (err == -EINTR && tool_exiting)
		err = 0; /* stopped while attaching: what was attached is detached */
	session_close(&r->s);
	export_close(&r->ex);
	err = err != 0;
out:
	for (size_t i = 0; i < env->ncflags; i++)
		free(env->cflags[i]);
	free(env->cflags);
	free(env->usdts);
	return err;
}
