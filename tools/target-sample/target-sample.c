/* The tutorial's uprobe target: calls func(counter) with 1, 2, 3, ...
 * once a second and prints what it returns. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"Usage: target-sample [-i MILLISECONDS] [-n COUNT] [-t SECONDS]\n"
	"Calls func(counter) with counter 1, 2, 3, ... and prints \"ret=N\".\n"
	"  -i MS      interval between calls (default 1000; 0: as fast as possible,\n"
	"             printing nothing per call)\n"
	"  -n COUNT   stop after COUNT calls (default: run until killed)\n"
	"  -t SECONDS stop after SECONDS and print \"calls=N\" (load tests)\n"
	"Examples:\n"
	"  target-sample            # the tutorial's target\n"
	"  target-sample -i 0 -n 100000   # a burst, for throughput tests\n";

/* noinline and used: the uprobe needs a real symbol and a real call */
__attribute__((noinline, used)) unsigned int func(unsigned int counter)
{
	__asm__ volatile("" ::: "memory");
	return counter;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long parse(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "target-sample: invalid number '%s'\n%s", s, usage);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long interval_ms = 1000, count = -1, seconds = -1;
	unsigned int counter = 0;
	double end = 0;
	int opt;

	while ((opt = getopt(argc, argv, "hi:n:t:")) != -1) {
		switch (opt) {
		case 'i':
			interval_ms = parse(optarg);
			break;
		case 'n':
			count = parse(optarg);
			break;
		case 't':
			seconds = parse(optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid = %d\n", (int)getpid());
	if (seconds >= 0)
		end = now() + seconds;
	while ((count < 0 || (long)counter < count) && (!end || (counter & 1023) || now() < end)) {
		struct timespec ts = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
		unsigned int ret = func(++counter);

		if (interval_ms) {
			printf("ret=%u\n", ret);
			nanosleep(&ts, NULL);
		}
	}
	if (end)
		printf("calls=%u\n", counter);
	return 0;
}
