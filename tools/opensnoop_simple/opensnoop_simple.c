/* opensnoop_simple: file opens, sent through a perf buffer. Uses a kretfunc
 * where the kernel runs them, else a kprobe pair, else the openat
 * tracepoints, and says on stderr which and why. */
#include "event_decode.h"
#include "feature.h"
#include "ksyms.h"
#include "log.h"
#include "perf_buf.h"
#include "render.h"
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/types.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "opensnoop_simple.h"

extern const char bpf_text_opensnoop_simple[];

#define PAGE_CNT 64
/* where open() and openat() go from Linux 5.6; do_sys_open before */
#define OPENAT2_FN "do_sys_openat2"

static const char usage[] =
	"Usage: opensnoop_simple [-p PID] [-x] [-T] [-n NAME] [--probe KIND] [-d SECONDS] [-f FILE] [--no-cache]\n"
	"Trace file opens: PID, command, file descriptor, errno, path.\n"
	"  -p PID        only this process\n"
	"  -x            only failed opens\n"
	"  -T            print a timestamp column (seconds since the first event)\n"
	"  -n NAME       only commands whose name contains NAME\n"
	"  --probe KIND  kfunc, kprobe or tracepoint (default: the first the kernel runs)\n"
	"  -d SECONDS    stop after SECONDS (default: 10)\n"
	"  -f FILE       use this BPF text instead of the built-in one\n"
	"  --no-cache    compile even when the compile cache has it\n"
	"  --version     print the versions (bcc-c, libbcc) and whether the cache is on\n"
	"  -h            print this help\n"
	"Examples:\n"
	"  sudo ./build/bin/opensnoop_simple\n"
	"  sudo ./build/bin/opensnoop_simple -x -n cat -d 60\n"
	"  sudo ./build/bin/opensnoop_simple --probe tracepoint -T\n";

enum probe_mode { MODE_AUTO, MODE_KFUNC, MODE_KPROBE, MODE_TRACEPOINT };
static const char *const mode_define[] = {
	[MODE_KFUNC] = "-DPROBE_KFUNC",
	[MODE_KPROBE] = "-DPROBE_KPROBE",
	[MODE_TRACEPOINT] = "-DPROBE_TRACEPOINT",
};

static struct env {
	long pid;
	int failed_only;
	int timestamp;
	const char *name;
	enum probe_mode mode;
	uint64_t first_ts;
} env;

static int parse_opt(int opt, const char *arg, void *ctx)
{
	(void)ctx;
	switch (opt) {
	case 'p':
		return tool_parse_long(arg, 1, INT_MAX, "PID", &env.pid);
	case 'x':
		env.failed_only = 1;
		return 0;
	case 'T':
		env.timestamp = 1;
		return 0;
	case 'n':
		env.name = arg;
		return 0;
	case 'P':
		for (int m = MODE_KFUNC; m <= MODE_TRACEPOINT; m++)
			if (!strcmp(arg, mode_define[m] + strlen("-DPROBE_")) ||
			    !strcasecmp(arg, mode_define[m] + strlen("-DPROBE_"))) {
				env.mode = m;
				return 0;
			}
		log_error("invalid --probe '%s': expected kfunc, kprobe or tracepoint", arg);
		return -1;
	}
	return -1;
}

/* The first kind the kernel can run, telling the user why others were passed. */
static enum probe_mode choose_mode(void)
{
	struct feature kfunc, kprobes;

	feature_kfunc(&kfunc);
	if (kfunc.ok)
		return MODE_KFUNC;
	feature_kprobes(&kprobes);
	if (kprobes.ok) {
		log_info("using kprobe/kretprobe on %s: kfunc cannot run here: %s",
			 ksyms_exists(OPENAT2_FN) == 1 ? OPENAT2_FN : "do_sys_open", kfunc.detail);
		return MODE_KPROBE;
	}
	log_info("using tracepoints syscalls:sys_enter_openat/sys_exit_openat: kfunc cannot run "
		 "here: %s; nor kprobes: %s", kfunc.detail, kprobes.detail);
	return MODE_TRACEPOINT;
}

#define FIX "the text must include the opensnoop_simple.h this tool was built with (keep " \
	    "a copy of bpf_text/opensnoop_simple.h next to an edited text)"

/* The text's struct must be opensnoop_simple.h's: an edited text (-f) with
 * another copy of it would have its events misread. libbcc reports the
 * fields the text sends, from the compiler or the cache. */
static int check_event_layout(struct tracer *t, const char *text_name)
{
#define FIELD(f) { #f, offsetof(struct data_t, f) }
	static const struct {
		const char *name;
		size_t offset;
	} want[] = { FIELD(id), FIELD(ts), FIELD(uid), FIELD(ret), FIELD(comm), FIELD(fname),
		     FIELD(flags) };
#undef FIELD
	struct event_layout l;
	size_t i, k;

	if (tracer__event_layout(t, "events", &l))
		return 0; /* no layout to compare: perf_buf__open() says what is missing */
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (k = 0; k < l.n && strcmp(l.fields[k].name, want[i].name); k++)
			;
		if (k == l.n || l.fields[k].offset != want[i].offset)
			break;
	}
	if (i < sizeof(want) / sizeof(want[0]))
		log_error("'%s' sends a struct data_t whose field '%s' is missing or moved: "
			  "%s", text_name, want[i].name, FIX);
	else if (l.size != sizeof(struct data_t))
		log_error("'%s' sends a struct data_t of %zu bytes, not %zu: %s", text_name, l.size,
			  sizeof(struct data_t), FIX);
	else
		return 0;
	return -EINVAL;
}

static void on_event(void *ctx, int cpu, const void *raw, size_t size)
{
	char comm[4 * TASK_COMM_LEN + 1];
	struct data_t e;
	int fd, err;

	(void)ctx;
	(void)cpu;
	if (size < sizeof(e))
		return;
	memcpy(&e, raw, sizeof(e));
	e.comm[TASK_COMM_LEN - 1] = '\0';
	e.fname[NAME_MAX - 1] = '\0';
	if (env.name && !strstr(e.comm, env.name))
		return;
	if (!env.first_ts)
		env.first_ts = e.ts;
	fd = e.ret >= 0 ? e.ret : -1;
	err = e.ret >= 0 ? 0 : -e.ret;
	if (env.timestamp)
		printf("%-14.9f ", (double)(e.ts - env.first_ts) / 1e9);
	/* any user names a process and a file: escaped, they stay text */
	printf("%-6d %-16s %4d %3d ", (int)(e.id >> 32),
	       render_escape_buf(comm, sizeof(comm), e.comm, sizeof(e.comm)), fd, err);
	render_escape(stdout, e.fname, sizeof(e.fname), 0);
	putchar('\n');
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	(void)ctx;
	log_info("lost %" PRIu64 " events on CPU %d (the perf buffer was full)", lost, cpu);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "probe", required_argument, NULL, 'P' }, { 0 } };
	const char *cflags[4];
	char tgid[32];
	size_t ncflags = 0;
	struct tracer *t = NULL;
	struct perf_buf *pb = NULL;
	struct tool_deadline deadline;
	struct tool_opts opts;
	enum tool_parse_result r;
	int err, wait;

	tool_init("opensnoop_simple");
	r = tool_parse(argc, argv, usage, "p:xTn:", longopts, parse_opt, NULL, &opts);
	if (r != TOOL_RUN)
		return r == TOOL_HELP ? 0 : 2;
	if (opts.duration < 0)
		opts.duration = 10;
	if (env.mode == MODE_AUTO)
		env.mode = choose_mode();
	cflags[ncflags++] = mode_define[env.mode];
	if (env.mode != MODE_TRACEPOINT && ksyms_exists(OPENAT2_FN) == 1)
		cflags[ncflags++] = "-DOPENAT2";
	if (env.pid) {
		snprintf(tgid, sizeof(tgid), "-DTGID=%ld", env.pid);
		cflags[ncflags++] = tgid;
	}
	if (env.failed_only)
		cflags[ncflags++] = "-DFAILED_ONLY";

	err = tool_open(&t, &opts, bpf_text_opensnoop_simple,
			"bpf_text/opensnoop_simple.bpf.c", cflags, ncflags);
	if (err)
		goto cleanup;
	err = check_event_layout(t, opts.bpf_file ? opts.bpf_file :
				 "bpf_text/opensnoop_simple.bpf.c");
	if (err)
		goto cleanup;
	err = perf_buf__open(t, "events", &(struct perf_buf_opts){ .page_cnt = PAGE_CNT,
			     .sample = on_event, .lost = on_lost }, &pb);
	if (err) {
		tool_fail(t, err);
		goto cleanup;
	}
	if (env.timestamp)
		printf("%-14s ", "TIME(s)");
	printf("%-6s %-16s %4s %3s %s\n", "PID", "COMM", "FD", "ERR", "PATH");

	tool_deadline_start(&deadline, opts.duration);
	while ((wait = tool_deadline_wait_ms(&deadline, 200)) >= 0) {
		err = perf_buf__poll(pb, wait);
		if (err == -EINTR)
			continue;
		if (err < 0) {
			log_error("cannot read the perf buffer: %s", strerror(-err));
			goto cleanup;
		}
	}
	perf_buf__consume(pb); /* what arrived before the stop */
	err = 0;
	if (perf_buf__lost(pb))
		log_info("%" PRIu64 " events lost in all, %" PRIu64 " received",
			 perf_buf__lost(pb), perf_buf__received(pb));
cleanup:
	perf_buf__free(pb);
	tracer__free(t);
	return err != 0;
}
