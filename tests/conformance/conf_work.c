/* The conformance suite's workload: a program whose every call and system
 * call after the start signal is known, so that bcc-run and Python bcc,
 * each tracing one run of it, must see the same things.
 *
 * bcc-conf-wl MODE: prints "pid = N", waits for SIGUSR1 (at most 60 s;
 * the tracer attaches meanwhile), does MODE's work, prints "done", and
 * waits for SIGTERM (so that its user stacks can still be symbolized
 * when the tracers print them at exit). Built as bcc-conf-wl, so its comm is "bcc-conf-wl": the texts
 * filter on that name, which, unlike a pid, leaves the compile cache one
 * entry per text.
 *
 * Modes:
 *   calls     conf_func_a() 7 times, conf_func_b() 3 times from conf_outer()
 *   stack     calls, then getppid() 11 times from conf_getppid_loop()
 *   syscalls  getppid() 11 times, write() of 1, 3, 17, 100, 1000 and 5000
 *             bytes to /dev/null (each size as many times as its place,
 *             1..6), kill(self, 0) 4 times, open of 3 known paths (one
 *             missing), fork() twice (the children _exit at once)
 *   strlen    strlen() of "bcc-conf-s" + n letters, n = 0..19, (n % 4) + 1
 *             times each, through a pointer the compiler cannot inline
 *   sslwrite  SSL_write() (our own, as OpenSSL's) of 3 messages: 5 bytes,
 *             40 bytes, 300 bytes (more than sslsniff's 256-byte buffer)
 *   usdt      USDT probe bcc_conf:value with arguments 1..9, only while
 *             its semaphore is set, and bcc_conf:pair with (n, n * n)
 *             always
 *   malloc    conf_alloc() of 100, 200 and 300 bytes, then of 4000 bytes
 *             from conf_alloc_big(), each freed
 *   gai       getaddrinfo("localhost") 3 times
 *   tcp       a listener on ::1 and one on 127.0.0.1 (port 47913), one
 *             connection to each, both closed by the client first
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
/* sdt.h then records the semaphore of each probe in its note */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

#define CONF_PORT 47913

unsigned short bcc_conf_value_semaphore __attribute__((unused, section(".probes")));
/* sdt.h gives every probe one; pair fires whatever it holds */
unsigned short bcc_conf_pair_semaphore __attribute__((unused, section(".probes")));

static volatile sig_atomic_t go;
static volatile int sink;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

__attribute__((noinline)) int conf_func_a(int n)
{
	sink += n;
	return n + 1;
}

__attribute__((noinline)) int conf_func_b(int n)
{
	sink -= n;
	return n - 1;
}

__attribute__((noinline)) void conf_outer(void)
{
	for (int i = 0; i < 7; i++)
		conf_func_a(i);
	for (int i = 0; i < 3; i++)
		conf_func_b(i);
}

__attribute__((noinline)) void conf_getppid_loop(void)
{
	for (int i = 0; i < 11; i++)
		sink += getppid();
}

__attribute__((noinline)) void *conf_alloc(size_t n)
{
	void *p = malloc(n);

	sink += p != NULL;
	return p;
}

__attribute__((noinline)) void conf_alloc_big(void)
{
	free(conf_alloc(4000));
}

/* sslsniff probes OpenSSL's SSL_write(ssl, buf, num); this one has its
 * signature and does nothing else */
__attribute__((noinline)) int SSL_write(void *ssl, const void *buf, int num)
{
	(void)ssl;
	sink += ((const char *)buf)[0];
	return num;
}

static void do_syscalls(void)
{
	static const size_t sizes[] = { 1, 3, 17, 100, 1000, 5000 };
	static const char *const paths[] = { "/etc/hostname", "/bcc-conf-missing", "/dev/null" };
	static char buf[5000];
	int fd = open("/dev/null", O_WRONLY);

	for (int i = 0; i < 11; i++)
		getppid();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (size_t j = 0; j <= i; j++)
			if (write(fd, buf, sizes[i]) < 0)
				perror("write");
	close(fd);
	for (int i = 0; i < 4; i++)
		kill(getpid(), 0);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		fd = open(paths[i], O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	for (int i = 0; i < 2; i++) {
		pid_t child = fork();

		if (child == 0)
			_exit(0);
		if (child > 0)
			waitpid(child, NULL, 0);
	}
}

static void do_strlen(void)
{
	size_t (*volatile len)(const char *) = strlen;
	/* zeros after the string: strlen_count reads 80 bytes of it */
	static char s[128] = "bcc-conf-s";

	for (int n = 0; n < 20; n++) {
		s[10 + n] = '\0';
		for (int k = 0; k <= n % 4; k++)
			sink += (int)len(s);
		s[10 + n] = (char)('a' + n);
	}
}

static void do_sslwrite(void)
{
	static char big[300];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('A' + i % 26);
	SSL_write(NULL, "hello", 5);
	SSL_write(NULL, "GET /index.html HTTP/1.1\r\nHost: conf\r\n\r\n", 40);
	SSL_write(NULL, big, sizeof(big));
}

static void do_usdt(void)
{
	for (long n = 1; n <= 9; n++) {
		if (bcc_conf_value_semaphore)
			STAP_PROBE1(bcc_conf, value, n);
		STAP_PROBE2(bcc_conf, pair, n, n * n);
	}
}

static void do_gai(void)
{
	for (int i = 0; i < 3; i++) {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;

		if (getaddrinfo("localhost", NULL, &hints, &res) == 0)
			freeaddrinfo(res);
	}
}

static int tcp_once(int family)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int one = 1, l, c, a;
	char byte;

	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons(CONF_PORT);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s4->sin_port = htons(CONF_PORT);
		sl = sizeof(*s4);
	}
	l = socket(family, SOCK_STREAM, 0);
	c = socket(family, SOCK_STREAM, 0);
	if (l < 0 || c < 0)
		return -1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&ss, sl) || listen(l, 1) ||
	    connect(c, (struct sockaddr *)&ss, sl))
		return -1;
	a = accept(l, NULL, NULL);
	if (a < 0)
		return -1;
	close(c);
	/* the client's FIN has come once read() sees the end */
	if (read(a, &byte, 1) != 0)
		return -1;
	close(a);
	close(l);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

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
	while (!go)
		sigsuspend(&none);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	if (!strcmp(mode, "calls")) {
		conf_outer();
	} else if (!strcmp(mode, "stack")) {
		conf_outer();
		conf_getppid_loop();
	} else if (!strcmp(mode, "syscalls")) {
		do_syscalls();
	} else if (!strcmp(mode, "strlen")) {
		do_strlen();
	} else if (!strcmp(mode, "sslwrite")) {
		do_sslwrite();
	} else if (!strcmp(mode, "usdt")) {
		do_usdt();
	} else if (!strcmp(mode, "malloc")) {
		for (size_t n = 100; n <= 300; n += 100)
			free(conf_alloc(n));
		conf_alloc_big();
	} else if (!strcmp(mode, "gai")) {
		do_gai();
	} else if (!strcmp(mode, "tcp")) {
		if (tcp_once(AF_INET6) || tcp_once(AF_INET)) {
			perror("tcp");
			return 1;
		}
	} else {
		fprintf(stderr, "bcc-conf-wl: unknown mode '%s'\n", mode);
		return 2;
	}
	printf("done\n");
	fflush(stdout);
	alarm(60);
	for (;;)
		pause();
}
