/* strlen_snoop_simple: a uprobe on libc's strlen(), library given as "c". */
#include "log.h"
#include "tool.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>

extern const char bpf_text_strlen_snoop_simple[];

static const char usage[] =
	"Usage: strlen_snoop_simple [-p PID] [-d SECONDS] [-f FILE]\n"
	"Trace calls to libc's strlen() in every process (or one).\n"
	"  -p PID      trace only this process\n"
	"  -d SECONDS  stop after SECONDS (default: until Ctrl-C)\n"
	"  -f FILE     use this BPF text instead of the built-in one\n"
	"Examples:\n"
	"  sudo ./build/bin/strlen_snoop_simple          # then run ls elsewhere\n"
	"  sudo ./build/bin/strlen_snoop_simple -p 1234 -d 5\n";

static struct env {
	const char *bpf_file;
	long pid;
	long duration;
} env = { .duration = -1 };

int main(int argc, char **argv)
{
	struct tracer *t = NULL;
	int opt, err = 0;

	tool_init("strlen_snoop_simple");
	while ((opt = getopt(argc, argv, "hp:d:f:")) != -1) {
		switch (opt) {
		case 'p':
			err = tool_parse_long(optarg, 1, INT_MAX, "PID", &env.pid);
			break;
		case 'd':
			err = tool_parse_long(optarg, 0, INT_MAX, "duration", &env.duration);
			break;
		case 'f':
			env.bpf_file = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
		if (err) {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		fputs(usage, stderr);
		return 2;
	}

	err = tool_open(&t, env.bpf_file, bpf_text_strlen_snoop_simple,
			"bpf_text/strlen_snoop_simple.bpf.c", NULL, 0);
	if (err)
		goto cleanup;
	err = tracer__attach_uprobe(t, &(struct tracer_uprobe){ .fn_name = "printarg",
		.binary = "c", .symbol = "strlen", .pid = (pid_t)env.pid });
	if (err) {
		tool_fail(t, err);
		goto cleanup;
	}

	err = tool_trace_pipe_loop(env.duration, tool_timed_header, tool_print_timed, NULL);
cleanup:
	tracer__free(t);
	return err != 0;
}
