/* perf_events: prints every file a process opens, sent by the BPF program
 * through a BPF_PERF_OUTPUT table. A complete program on libbcc-c:
 *
 *   perf_events [SECONDS]           (default: until Ctrl-C)
 *
 * Build: make (uses pkg-config --cflags --libs bcc-c). Run as root. */
#include <bcc-c/perf_buf.h>
#include <bcc-c/tracer.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One definition of the event for both sides: the BPF text gets it as a
 * string, this program as code. */
#define EVENT_STRUCT struct event { u32 pid; char comm[16]; char path[128]; }
#define STR_(x) #x
#define STR(x) STR_(x)

static const char text[] =
	STR(EVENT_STRUCT) ";\n"
	"BPF_PERF_OUTPUT(events);\n"
	"\n"
	"TRACEPOINT_PROBE(syscalls, sys_enter_openat)\n"
	"{\n"
	"	struct event e = {};\n"
	"\n"
	"	e.pid = bpf_get_current_pid_tgid() >> 32;\n"
	"	bpf_get_current_comm(&e.comm, sizeof(e.comm));\n"
	"	bpf_probe_read_user_str(&e.path, sizeof(e.path), args->filename);\n"
	"	events.perf_submit(args, &e, sizeof(e));\n"
	"	return 0;\n"
	"}\n";

typedef uint32_t u32;
EVENT_STRUCT;

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int print(enum tracer_print_level level, const char *fmt, va_list ap)
{
	if (level == TRACER_DEBUG)
		return 0;
	fputs("perf_events: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return 0;
}

/* Called for each event; data is not aligned, so it is copied out. */
static void on_event(void *ctx, int cpu, const void *data, size_t size)
{
	struct event e = {};

	(void)ctx;
	(void)cpu;
	memcpy(&e, data, size < sizeof(e) ? size : sizeof(e));
	printf("%-7u %-16.16s %.*s\n", e.pid, e.comm, (int)sizeof(e.path), e.path);
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	(void)ctx;
	fprintf(stderr, "perf_events: lost %llu events on CPU %d\n", (unsigned long long)lost,
		cpu);
}

int main(int argc, char **argv)
{
	const BCC_C_OPTS(tracer_src, src, .text = text, .name = "perf_events.bpf.c");
	const struct perf_buf_opts opts = { .page_cnt = 64, .sample = on_event, .lost = on_lost };
	struct perf_buf *pb = NULL;
	struct tracer *t;
	time_t end = 0;
	int err;

	if (argc > 2 || (argc == 2 && atoi(argv[1]) <= 0)) {
		fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
		return 2;
	}
	if (argc == 2)
		end = time(NULL) + atoi(argv[1]);
	tracer_set_print(print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	t = tracer__new();
	if (!t) {
		perror("perf_events");
		return 1;
	}
	/* compiles, then attaches TRACEPOINT_PROBE by its name, as bcc does */
	err = tracer__compile(t, &src);
	if (!err) {
		err = tracer__autoattach(t); /* the number attached, or a negative errno */
		err = err < 0 ? err : 0;
	}
	if (!err)
		err = perf_buf__open(t, "events", &opts, &pb);
	if (err) {
		fprintf(stderr, "perf_events: %s\n", tracer__errmsg(t));
		goto cleanup;
	}
	fprintf(stderr, "perf_events: ready\n");
	printf("%-7s %-16s %s\n", "PID", "COMM", "PATH");
	while (!exiting && (!end || time(NULL) < end)) {
		err = perf_buf__poll(pb, 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "perf_events: cannot read events: %s\n", strerror(-err));
			goto cleanup;
		}
	}
	err = perf_buf__consume(pb); /* what arrived before the end */
	err = err < 0 ? err : 0;
cleanup:
	perf_buf__free(pb);
	tracer__free(t);
	return err != 0;
}
