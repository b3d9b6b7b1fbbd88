/* Holds one uprobe with a reference counter (ref_ctr_offset, as for a USDT
 * semaphore) at SYMBOL in BINARY, so that a test can see how a tool reports
 * the kernel's refusal of a second uprobe at the same address without one:
 * that is what a uprobe leaked by a killed tracer does until reboot.
 * Prints "holding PATH 0xOFFSET" once the uprobe is registered, then waits
 * for SIGINT or SIGTERM (at most 60 s) and releases it by closing the
 * event, on its own, as a probe must be released: killing a process while
 * it unregisters a uprobe can leak it.
 * Usage: uprobe_refctr BINARY SYMBOL REF_CTR_OFFSET */
#include "uprobe_target.h"

#include <errno.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PMU "/sys/bus/event_source/devices/uprobe"

/* The uprobe PMU's type, and where in config its ref_ctr_offset goes
 * (format/ref_ctr_offset says "config:32-63"). */
static int uprobe_pmu(__u32 *type, unsigned int *shift)
{
	FILE *f = fopen(PMU "/type", "re");
	int ok = f && fscanf(f, "%u", type) == 1;

	if (f)
		fclose(f);
	f = fopen(PMU "/format/ref_ctr_offset", "re");
	ok = ok && f && fscanf(f, "config:%u", shift) == 1;
	if (f)
		fclose(f);
	return ok ? 0 : -ENOENT;
}

int main(int argc, char **argv)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .sample_period = 1,
					.wakeup_events = 1 };
	unsigned long long ref_ctr;
	char path[PATH_MAX];
	unsigned int shift;
	uint64_t offset;
	sigset_t stop;
	int fd, sig;

	if (argc != 4) {
		fprintf(stderr, "usage: uprobe_refctr BINARY SYMBOL REF_CTR_OFFSET\n");
		return 2;
	}
	ref_ctr = strtoull(argv[3], NULL, 0);
	if (uprobe_target_resolve(argv[1], -1, path, sizeof(path)) ||
	    uprobe_target_symbol(path, argv[2], -1, &offset)) {
		fprintf(stderr, "uprobe_refctr: cannot find %s in %s\n", argv[2], argv[1]);
		return 1;
	}
	if (uprobe_pmu(&attr.type, &shift)) {
		fprintf(stderr, "uprobe_refctr: no uprobe PMU with ref_ctr_offset in this kernel\n");
		return 1;
	}
	/* the signals are taken with sigwait: none can end the process while
	 * it holds the uprobe */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGALRM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	attr.uprobe_path = (unsigned long)path;
	attr.probe_offset = offset;
	attr.config = ref_ctr << shift;
	fd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "uprobe_refctr: perf_event_open(%s, 0x%llx, ref_ctr_offset 0x%llx): "
			"%s\n", path, (unsigned long long)offset, ref_ctr, strerror(errno));
		return 1;
	}
	printf("holding %s 0x%llx\n", path, (unsigned long long)offset);
	fflush(stdout);
	alarm(60);
	sigwait(&stop, &sig);
	close(fd);
	return 0;
}
