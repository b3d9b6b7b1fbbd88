/* Benchmark helper: the C side of the throughput test. Attaches
 * throughput.bpf.c's on_func to func() in BINARY, prints "ready", reads
 * the perf buffer with PAGES pages per CPU until COUNT events were
 * received or lost (or 3 s pass without any), and prints
 * "received N lost M seconds S", S from the first event to the last.
 * BINARY "-": no uprobe, the text attaches itself (a tracepoint); CFLAGS
 * are passed to the compile.
 * Usage: perf_consumer TEXT BINARY PAGES COUNT [CFLAG...] */
#include "log.h"
#include "perf_buf.h"
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void on_event(void *ctx, int cpu, const void *data, size_t size)
{
	(void)ctx;
	(void)cpu;
	(void)data;
	(void)size;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	BCC_C_OPTS(tracer_uprobe, probe, .fn_name = "on_func", .symbol = "func");
	struct tool_opts opts = { .duration = -1 };
	struct tracer *t = NULL;
	struct perf_buf *pb = NULL;
	double start = 0, last = 0;
	int err;

	if (argc < 5) {
		fprintf(stderr, "usage: perf_consumer TEXT BINARY PAGES COUNT [CFLAG...]\n");
		return 2;
	}
	tool_init("perf_consumer");
	opts.bpf_file = argv[1];
	err = tool_open(&t, &opts, NULL, argv[1], (const char *const *)argv + 5,
			(size_t)(argc - 5));
	if (err)
		return 1;
	probe.binary = argv[2];
	if (strcmp(argv[2], "-"))
		err = tracer__attach_uprobe(t, &probe);
	if (!err)
		err = perf_buf__open(t, "events", &(struct perf_buf_opts){
			.page_cnt = (size_t)atoi(argv[3]), .sample = on_event }, &pb);
	if (err) {
		tool_fail(t, err);
		goto out;
	}
	printf("ready\n");
	fflush(stdout);
	while (!tool_exiting) {
		uint64_t before = perf_buf__received(pb) + perf_buf__lost(pb);

		perf_buf__poll(pb, 100);
		if (perf_buf__received(pb) + perf_buf__lost(pb) != before) {
			last = now();
			if (!start)
				start = last;
		}
		if (perf_buf__received(pb) + perf_buf__lost(pb) >= strtoull(argv[4], NULL, 10) ||
		    (start && now() - last > 3))
			break;
	}
	printf("received %llu lost %llu seconds %.6f\n",
	       (unsigned long long)perf_buf__received(pb), (unsigned long long)perf_buf__lost(pb),
	       start ? last - start : 0.0);
out:
	perf_buf__free(pb);
	tracer__free(t);
	return err != 0;
}
