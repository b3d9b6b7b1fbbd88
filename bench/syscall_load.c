/* Benchmark helper: waits for a line on stdin (the consumer is attached),
 * then calls getppid() COUNT times, as fast as it can or RATE times a
 * second, and prints the rate it made.
 * Usage: syscall_load COUNT [RATE] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 0;
	double rate = argc > 2 ? atof(argv[2]) : 0, start;
	char line[16];

	if (count <= 0 || rate < 0) {
		fprintf(stderr, "usage: syscall_load COUNT [RATE]\n");
		return 2;
	}
	printf("pid %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	start = now_s();
	for (long i = 0; i < count; i++) {
		/* paced: call i is due i / RATE seconds after the start; spinning
		 * keeps the schedule finer than a sleep could */
		while (rate && now_s() < start + i / rate)
			;
		syscall(SYS_getppid);
	}
	printf("rate %.0f\n", count / (now_s() - start));
	return 0;
}
