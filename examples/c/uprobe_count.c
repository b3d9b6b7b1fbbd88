/* uprobe_count: counts the calls of a function, per process, in a BPF_HASH
 * and prints the counts at Ctrl-C. A complete program on libbcc-c:
 *
 *   uprobe_count BINARY SYMBOL      e.g. uprobe_count c strlen
 *
 * BINARY is a path, a program on PATH or a library name ("c" is libc).
 * Build: make (uses pkg-config --cflags --libs bcc-c). Run as root. */
#include <bcc-c/table.h>
#include <bcc-c/tracer.h>

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* The BPF program, in bcc's dialect, compiled at run time by libbcc. */
static const char text[] =
	"BPF_HASH(counts, u32, u64);\n"
	"\n"
	"int count(struct pt_regs *ctx)\n"
	"{\n"
	"	u32 pid = bpf_get_current_pid_tgid() >> 32;\n"
	"\n"
	"	counts.increment(pid);\n"
	"	return 0;\n"
	"}\n";

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

/* The library prints nothing itself: its messages (a compile's warnings,
 * where an IFUNC's probe went) come here. */
static int print(enum tracer_print_level level, const char *fmt, va_list ap)
{
	if (level == TRACER_DEBUG)
		return 0;
	fputs("uprobe_count: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return 0;
}

int main(int argc, char **argv)
{
	const BCC_C_OPTS(tracer_src, src, .text = text, .name = "uprobe_count.bpf.c");
	const BCC_C_OPTS(tracer_uprobe, probe, .fn_name = "count", .binary = argv[1],
			 .symbol = argv[2]);
	struct tracer_table counts;
	uint32_t key, next;
	const uint32_t *prev = NULL;
	struct tracer *t;
	uint64_t calls;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: %s BINARY SYMBOL\n", argv[0]);
		return 2;
	}
	tracer_set_print(print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	t = tracer__new();
	if (!t) {
		perror("uprobe_count");
		return 1;
	}
	err = tracer__compile(t, &src);
	if (!err)
		err = tracer__attach_uprobe(t, &probe);
	if (!err)
		err = tracer__table(t, "counts", &counts);
	if (err) {
		fprintf(stderr, "uprobe_count: %s\n", tracer__errmsg(t));
		goto cleanup;
	}
	fprintf(stderr, "uprobe_count: ready: counting calls of %s in %s, Ctrl-C to print\n",
		argv[2], argv[1]);
	while (!exiting)
		pause();

	printf("%-8s %s\n", "PID", "CALLS");
	while (table__next_key(&counts, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (table__lookup(&counts, &key, &calls) == 0)
			printf("%-8u %llu\n", key, (unsigned long long)calls);
	}
cleanup:
	tracer__free(t); /* detaches the uprobe, unloads the program */
	return err != 0;
}
