// Throws C++ exceptions, for tests/live/usdt_libstdcxx.sh: libstdc++'s
// USDT probe libstdcxx:throw fires in __cxa_throw with the exception
// object and its std::type_info.
// throw_sample [--now] N: prints its pid and waits for SIGUSR1 (at most
// 60 s; --now: does not wait); prints the address of bcc_c_error's
// type_info, throws and catches bcc_c_error{1..N}, prints "caught N".
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <typeinfo>
#include <unistd.h>

struct bcc_c_error {
	int code;
};

static volatile sig_atomic_t go;

static void on_usr1(int)
{
	go = 1;
}

int main(int argc, char **argv)
{
	int now = argc > 1 && !strcmp(argv[1], "--now");
	long n = argc > 1 + now ? strtol(argv[1 + now], nullptr, 10) : 5, caught = 0;

	/* SIGUSR1 stays blocked until sigsuspend(): one sent between the test
	 * of go and a pause() would be lost, and the process would wait for
	 * alarm() to end it */
	sigset_t usr1, none;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &usr1, nullptr);
	signal(SIGUSR1, on_usr1);
	printf("pid = %d\n", (int)getpid());
	fflush(stdout);
	alarm(60);
	while (!now && !go)
		sigsuspend(&none);
	sigprocmask(SIG_UNBLOCK, &usr1, nullptr);
	printf("typeinfo = %lu\n", (unsigned long)&typeid(bcc_c_error));
	for (long i = 1; i <= n; i++) {
		try {
			throw bcc_c_error{ (int)i };
		} catch (const bcc_c_error &e) {
			caught += e.code == i;
		}
	}
	printf("caught %ld\n", caught);
	return 0;
}
