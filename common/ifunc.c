#include "ifunc.h"

#include <bcc/bcc_elf.h>
#include <bcc/bcc_proc.h>
#include <bcc/bcc_syms.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A shared library's constructors run in the child; one that hangs must
 * not hang the tracer. */
#define RESOLVE_TIMEOUT_MS 10000

int ifunc_check(const char *path, const char *sym, pid_t pid)
{
	struct bcc_symbol_option only_ifunc = {
		.use_symbol_type = 1u << STT_GNU_IFUNC,
	};
	struct bcc_symbol s = {0};

	if (bcc_elf_get_type(path) < 0)
		return -ENOEXEC;
	if (bcc_resolve_symname(path, sym, 0, pid > 0 ? pid : 0, &only_ifunc, &s) < 0)
		return 0;
	bcc_procutils_free(s.module);
	return 1;
}

/* What the child sends back: one write, smaller than PIPE_BUF, so it
 * arrives whole or not at all. */
struct reply {
	int err;
	uint64_t vaddr;
	char why[512];
};

static void child_resolve(const char *path, const char *sym, struct reply *r)
{
	struct link_map *lib, *impl = NULL;
	Dl_info info;
	void *h, *addr;

	h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
	if (!h) {
		r->err = -ENOEXEC;
		snprintf(r->why, sizeof(r->why), "%s", dlerror());
		return;
	}
	/* dlsym runs the resolver of an IFUNC and returns what it picked */
	addr = dlsym(h, sym);
	if (!addr) {
		r->err = -ENOENT;
		snprintf(r->why, sizeof(r->why), "dlsym found no '%s'", sym);
		return;
	}
	if (dlinfo(h, RTLD_DI_LINKMAP, &lib) ||
	    !dladdr1(addr, &info, (void **)&impl, RTLD_DL_LINKMAP) || !impl) {
		r->err = -EXDEV;
		snprintf(r->why, sizeof(r->why), "its implementation at %p is in no loaded file",
			 addr);
		return;
	}
	if (impl != lib) {
		r->err = -EXDEV;
		snprintf(r->why, sizeof(r->why), "its implementation is in '%s'",
			 info.dli_fname ? info.dli_fname : "another file");
		return;
	}
	r->vaddr = (uint64_t)(uintptr_t)addr - impl->l_addr;
}

/* The child keeps only the pipe: without the tracer's perf event and BPF
 * fds it holds no probe, so ending it, even by SIGKILL, detaches nothing. */
static void __attribute__((noreturn)) child_main(int fd, const char *path, const char *sym)
{
	struct reply r = {0};
	int null;

	if (fd != 3 && dup2(fd, 3) < 0)
		_exit(1);
	closefrom(4);
	/* a library's constructors may print */
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	child_resolve(path, sym, &r);
	if (write(3, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	_exit(0);
}

static int wait_reply(int fd, pid_t child, struct reply *r)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int ready;

	/* a signal of the tracer's (Ctrl-C) only sets a flag: keep waiting */
	do
		ready = poll(&p, 1, RESOLVE_TIMEOUT_MS);
	while (ready < 0 && errno == EINTR);
	if (ready == 0) {
		kill(child, SIGKILL);
		return -ETIMEDOUT;
	}
	do
		n = read(fd, r, sizeof(*r));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*r) ? 0 : -ECHILD;
}

int ifunc_resolve(const char *path, const char *sym, uint64_t *vaddr, char *why, size_t len)
{
	struct reply r = {0};
	int fds[2], status, err;
	pid_t child;

	why[0] = '\0';
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	child = fork();
	if (child < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		snprintf(why, len, "fork: %s", strerror(-err));
		return err;
	}
	if (child == 0)
		child_main(fds[1], path, sym);
	close(fds[1]);
	err = wait_reply(fds[0], child, &r);
	close(fds[0]);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (err == -ETIMEDOUT) {
		snprintf(why, len, "loading it took more than %d s", RESOLVE_TIMEOUT_MS / 1000);
		return err;
	}
	if (err) {
		snprintf(why, len, "the helper process loading it died");
		return err;
	}
	if (r.err) {
		snprintf(why, len, "%.*s", (int)sizeof(r.why), r.why);
		return r.err;
	}
	*vaddr = r.vaddr;
	return 0;
}
