/* A USDT probe guarded by a semaphore, for tests/live/usdt.sh.
 * usdt_sample N: prints its pid and waits for SIGUSR1 (at most 60 s);
 * then, only if a tracer has set the semaphore, fires probe
 * bcc_c_test:value N times with the arguments 1..N. Prints "fired N"
 * (0 when the semaphore was not set) and exits. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
/* sdt.h then records the semaphore of each probe in its note */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <unistd.h>

/* the idiom of dtrace -G: the kernel or the tracer counts tracers here */
unsigned short bcc_c_test_value_semaphore __attribute__((unused, section(".probes")));

static volatile sig_atomic_t go;


static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 5, fired = 0;

	signal(SIGUSR1, on_usr1);
	printf("pid = %d\n", (int)getpid());
	fflush(stdout);
	alarm(60);
	while (!go)
		pause();
	if (bcc_c_test_value_semaphore)
		for (fired = 0; fired < n; fired++)
			STAP_PROBE1(bcc_c_test, value, fired + 1);
	printf("fired %ld\n", fired);
	return 0;
}
