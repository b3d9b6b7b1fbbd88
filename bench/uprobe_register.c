/* Benchmark helper: the kernel's part of attaching one uprobe. Resolves
 * NAME:SYMBOL as the tools do, opens the uprobe PMU event there as libbcc
 * does (a start of either tool pays this), prints the milliseconds that
 * perf_event_open() alone took, and exits (closing it detaches).
 * Usage: uprobe_register NAME SYMBOL */
#include "uprobe_target.h"

#include <linux/perf_event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .sample_period = 1,
					.wakeup_events = 1 };
	FILE *f = fopen("/sys/bus/event_source/devices/uprobe/type", "re");
	char path[PATH_MAX];
	uint64_t offset;
	double t0;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: uprobe_register NAME SYMBOL\n");
		return 2;
	}
	if (uprobe_target_resolve(argv[1], -1, path, sizeof(path)) ||
	    uprobe_target_symbol(path, argv[2], -1, &offset)) {
		fprintf(stderr, "uprobe_register: cannot find %s in %s\n", argv[2], argv[1]);
		return 1;
	}
	if (!f || fscanf(f, "%u", &attr.type) != 1) {
		fprintf(stderr, "uprobe_register: no uprobe PMU in this kernel\n");
		return 1;
	}
	fclose(f);
	attr.uprobe_path = (unsigned long)path;
	attr.probe_offset = offset;
	t0 = now_ms();
	fd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		perror("uprobe_register: perf_event_open");
		return 1;
	}
	printf("%.3f\n", now_ms() - t0);
	return 0;
}
