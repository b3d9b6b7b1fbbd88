/* strlen_snoop_simple: a uprobe on libc's strlen(), library given as "c".
 * glibc's strlen is an IFUNC: the runtime attaches to the implementation
 * the resolver picks on this CPU (say __strlen_avx2) and says so. */
#include "tool.h"

#include <limits.h>
#include <stdio.h>

extern const char bpf_text_strlen_snoop_simple[];

static const char usage[] =
	"Usage: strlen_snoop_simple [-p PID] [-d SECONDS] [-f FILE] [--no-cache]\n"
	"Trace calls to libc's strlen() in every process (or one). glibc's strlen is\n"
	"an IFUNC: the probe goes to the implementation this CPU uses (see stderr).\n"
	"  -p PID      trace only this process\n"
	"  -d SECONDS  stop after SECONDS (default: until Ctrl-C)\n"
	"  -f FILE     use this BPF text instead of the built-in one\n"
	"  --no-cache  compile even when the compile cache has it\n"
	"  --version   print the versions (bcc-c, libbcc) and whether the cache is on\n"
	"  -h          print this help\n"
	"Examples:\n"
	"  sudo ./build/bin/strlen_snoop_simple          # then run ls elsewhere\n"
	"  sudo ./build/bin/strlen_snoop_simple -p 1234 -d 5\n";

static long pid;

static int parse_opt(int opt, const char *arg, void *ctx)
{
	(void)opt;
	(void)ctx;
	return tool_parse_long(arg, 1, INT_MAX, "PID", &pid);
}

int main(int argc, char **argv)
{
	BCC_C_OPTS(tracer_uprobe, probe, .fn_name = "printarg", .binary = "c", .symbol = "strlen");
	struct tracer *t = NULL;
	struct tool_opts opts;
	enum tool_parse_result r;
	int err;

	tool_init("strlen_snoop_simple");
	r = tool_parse(argc, argv, usage, "p:", NULL, parse_opt, NULL, &opts);
	if (r != TOOL_RUN)
		return r == TOOL_HELP ? 0 : 2;
	err = tool_open(&t, &opts, bpf_text_strlen_snoop_simple,
			"bpf_text/strlen_snoop_simple.bpf.c", NULL, 0);
	if (err)
		goto cleanup;
	probe.pid = (pid_t)pid;
	err = tracer__attach_uprobe(t, &probe);
	if (err) {
		err = tool_fail(t, err);
		goto cleanup;
	}
	err = tool_trace_pipe_loop(opts.duration, TOOL_TIMED_HEADER, tool_print_timed, NULL);
cleanup:
	tracer__free(t);
	return err != 0;
}
