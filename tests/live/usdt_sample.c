/* USDT probes guarded by semaphores, for tests/live/usdt.sh.
 * usdt_sample [--now] N: prints its pid and waits for SIGUSR1 (at most
 * 60 s; --now: does not wait, for a tracer attached by path before the
 * process started); then prints "enabled = 1" when a tracer has set the
 * semaphore of probe bcc_c_test:value (0 otherwise) and, only if it has,
 * fires that probe N times with the arguments 1..N and probe
 * bcc_c_test:args once with one argument of each kind below. Prints
 * "fired N" (0 when the semaphore was not set) and exits. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* sdt.h then records the semaphore of each probe in its note */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <unistd.h>

/* the idiom of dtrace -G: the kernel or the tracer counts tracers here */
unsigned short bcc_c_test_value_semaphore __attribute__((unused, section(".probes")));
unsigned short bcc_c_test_args_semaphore __attribute__((unused, section(".probes")));
/* as dtrace -h writes it for each probe */
#define BCC_C_TEST_VALUE_ENABLED() __builtin_expect(bcc_c_test_value_semaphore, 0)
#define BCC_C_TEST_ARGS_ENABLED() __builtin_expect(bcc_c_test_args_semaphore, 0)

/* Read through volatile so that the compiler cannot fold them into
 * constants: the note then describes registers and memory operands. */
static volatile int8_t small = -8;
static volatile uint16_t port = 65000;
static volatile int32_t negative = -123456;
static volatile uint64_t big = 5000000000ULL;
/* passed without a copy: sdt.h may describe it as 'sym(%rip)' */
int64_t bcc_c_test_global = -5000000000LL;
/* through pointers: 'off(%reg)' and '(%base,%index,scale)' */
static struct pair {
	int32_t a;
	int16_t b;
} pair = { 7, -300 };
static struct pair *volatile pairp = &pair;
static int32_t cells[4] = { 10, 20, 30, 40 };
static int32_t *volatile cellp = cells;
static volatile int cell = 2;

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

int main(int argc, char **argv)
{
	int now = argc > 1 && !strcmp(argv[1], "--now");
	long n = argc > 1 + now ? strtol(argv[1 + now], NULL, 10) : 5, fired = 0;
	const char *text = "hello usdt";

	/* SIGUSR1 stays blocked until sigsuspend(): one sent between the test
	 * of go and a pause() would be lost, and the process would wait for
	 * alarm() to end it */
	sigset_t usr1, none;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	signal(SIGUSR1, on_usr1);
	printf("pid = %d\n", (int)getpid());
	fflush(stdout);
	alarm(60);
	while (!now && !go)
		sigsuspend(&none);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	printf("enabled = %d\n", BCC_C_TEST_VALUE_ENABLED() ? 1 : 0);
	if (BCC_C_TEST_VALUE_ENABLED())
		for (fired = 0; fired < n; fired++)
			STAP_PROBE1(bcc_c_test, value, fired + 1);
	if (BCC_C_TEST_ARGS_ENABLED())
		STAP_PROBE9(bcc_c_test, args, small, port, negative, big, bcc_c_test_global,
			    text, 42, pairp->b, cellp[cell]);
	printf("fired %ld\n", fired);
	return 0;
}
