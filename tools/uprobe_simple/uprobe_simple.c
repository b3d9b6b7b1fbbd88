/* uprobe_simple: trace func() in a program: its argument on entry and its
 * return value on exit, read back from trace_pipe. */
#include "log.h"
#include "tool.h"
#include "version.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern const char bpf_text_uprobe_simple[];

static const char usage[] =
	"Usage: uprobe_simple [-b BINARY] [-p PID] [-d SECONDS] [-f FILE] [--no-cache]\n"
	"Trace func() in BINARY: print its argument and its return value.\n"
	"  -b BINARY   program to trace (default: target-sample beside this tool,\n"
	"              else the installed one in ../" BCC_C_HELPERDIR "/ from it)\n"
	"  -p PID      trace only this process\n"
	"  -d SECONDS  stop after SECONDS (default: until Ctrl-C)\n"
	"  -f FILE     use this BPF text instead of the built-in one\n"
	"  --no-cache  compile even when the compile cache has it\n"
	"  --version   print the versions (bcc-c, libbcc) and whether the cache is on\n"
	"  -h          print this help\n"
	"Examples:\n"
	"  ./build/bin/target-sample &   # the tutorial's target\n"
	"  sudo ./build/bin/uprobe_simple\n"
	"  sudo ./build/bin/uprobe_simple -b ./a.out -p 1234 -d 10\n";

static struct env {
	const char *binary;
	long pid;
} env;

static int parse_opt(int opt, const char *arg, void *ctx)
{
	(void)ctx;
	if (opt == 'b') {
		env.binary = arg;
		return 0;
	}
	return tool_parse_long(arg, 1, INT_MAX, "PID", &env.pid);
}

/* target-sample is built next to this tool; make install puts it among
 * the helpers, off PATH: PREFIX/lib/bcc-c beside PREFIX/sbin, whatever
 * PREFIX (/usr for the package, /usr/local for make install). */
static int default_binary(char *buf, size_t len)
{
	const char *const where[] = { "%s/target-sample", "%s/../" BCC_C_HELPERDIR "/target-sample" };
	char self[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *dir;

	if (n < 0)
		return -1;
	self[n] = '\0';
	dir = dirname(self);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if (snprintf(path, sizeof(path), where[i], dir) < (int)sizeof(path) &&
		    access(path, X_OK) == 0 && realpath(path, real))
			return snprintf(buf, len, "%s", real) >= (int)len ? -1 : 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	BCC_C_OPTS(tracer_uprobe, entry, .fn_name = "printarg", .symbol = "func");
	BCC_C_OPTS(tracer_uprobe, ret, .fn_name = "printret", .symbol = "func", .retprobe = 1);
	char binary[PATH_MAX];
	struct tracer *t = NULL;
	struct tool_opts opts;
	enum tool_parse_result r;
	int err;

	tool_init("uprobe_simple");
	r = tool_parse(argc, argv, usage, "b:p:", NULL, parse_opt, NULL, &opts);
	if (r != TOOL_RUN)
		return r == TOOL_HELP ? 0 : 2;
	if (!env.binary) {
		if (default_binary(binary, sizeof(binary))) {
			log_error("cannot find target-sample beside this tool or in ../%s/ from "
				  "it; give -b BINARY", BCC_C_HELPERDIR);
			return 1;
		}
		env.binary = binary;
	}

	err = tool_open(&t, &opts, bpf_text_uprobe_simple, "bpf_text/uprobe_simple.bpf.c",
			NULL, 0);
	if (err)
		goto cleanup;
	entry.binary = ret.binary = env.binary;
	entry.pid = ret.pid = (pid_t)env.pid;
	err = tracer__attach_uprobe(t, &entry);
	if (!err)
		err = tracer__attach_uprobe(t, &ret);
	if (err) {
		err = tool_fail(t, err);
		goto cleanup;
	}
	err = tool_trace_pipe_loop(opts.duration, TOOL_TIMED_HEADER, tool_print_timed, NULL);
cleanup:
	tracer__free(t);
	return err != 0;
}
