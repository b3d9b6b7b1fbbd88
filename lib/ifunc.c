#include "ifunc.h"

#include "ifunc_sandbox.h"
#include "ifunc_trust.h"

#include <bcc/bcc_elf.h>
#include <bcc/bcc_proc.h>
#include <bcc/bcc_syms.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
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

struct resolve_args {
	const char *path, *sym;
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

/* in the sandbox: the library's code runs here, as nobody */
static void resolve_main(void *arg)
{
	const struct resolve_args *a = arg;
	struct reply r = {0};

	child_resolve(a->path, a->sym, &r);
	if (write(3, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	_exit(0);
}

static int resolve_in_sandbox(const struct ifunc_sandbox *sb, const char *real,
			      const char *sym, struct reply *r, char *why, size_t len)
{
	struct resolve_args a = { .path = real, .sym = sym };
	ssize_t got = ifunc_sandbox_run(sb, resolve_main, &a, r, sizeof(*r), RESOLVE_TIMEOUT_MS);

	if (got == -ETIMEDOUT)
		snprintf(why, len, "loading it took more than %d s", RESOLVE_TIMEOUT_MS / 1000);
	else if (got == -EINTR)
		snprintf(why, len, "interrupted by a signal");
	else if (got < 0)
		snprintf(why, len, "cannot start a process to load it: %s", strerror((int)-got));
	else if (got != (ssize_t)sizeof(*r))
		snprintf(why, len, "the helper process loading it died");
	if (got < 0)
		return (int)got;
	return got == (ssize_t)sizeof(*r) ? 0 : -ECHILD;
}

int ifunc_resolve(const char *path, const char *sym, uint64_t *vaddr, char *why, size_t len)
{
	struct reply r = {0};
	struct ifunc_sandbox sb;
	char real[PATH_MAX];
	int err;

	why[0] = '\0';
	ifunc_sandbox_init(&sb);
	err = ifunc_trust_library(&sb, path, real, sizeof(real), why, len);
	if (!err)
		err = resolve_in_sandbox(&sb, real, sym, &r, why, len);
	if (err)
		return err;
	if (r.err) {
		snprintf(why, len, "%.*s", (int)sizeof(r.why), r.why);
		return r.err;
	}
	*vaddr = r.vaddr;
	return 0;
}
