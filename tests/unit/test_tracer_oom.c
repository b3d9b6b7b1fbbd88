/* Out of memory in the tracer: every failure leaves a message (it left
 * "error: " empty). Linked with -Wl,--wrap for malloc, calloc, realloc,
 * strdup and vasprintf, so the runtime's own allocations fail on demand
 * (libc's and libbcc's are untouched). Needs no privileges: tracer__load()
 * runs out of memory before it reaches the kernel. compile_text()'s two
 * paths need the compiler (libbcc.so, which ASan refuses to load) and end
 * the same way, through tracer__fail(). */
#include "check.h"
#include "tracer_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

static long allocs, fail_at; /* fail the fail_at-th allocation; -1: all */

static bool fail_now(void)
{
	if (!fail_at)
		return false;
	allocs++;
	if (fail_at > 0 && allocs != fail_at)
		return false;
	errno = ENOMEM;
	return true;
}

static void arm(long n)
{
	allocs = 0;
	fail_at = n;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
int __real_vasprintf(char **out, const char *fmt, va_list ap);

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

int __wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
	return fail_now() ? -1 : __real_vasprintf(out, fmt, ap);
}

static void test_compile(void)
{
	BCC_C_OPTS(tracer_src, src, .text = "", .name = "x.bpf.c", .no_cache = true);
	struct tracer *t = tracer__new();

	arm(1); /* the copy of the name */
	CHECK_INT(tracer__compile(t, &src), -ENOMEM);
	arm(0);
	CHECK_STR(tracer__errmsg(t), "cannot compile 'x.bpf.c': out of memory");
	tracer__free(t);

	/* no memory for the message either */
	t = tracer__new();
	arm(-1);
	CHECK_INT(tracer__compile(t, &src), -ENOMEM);
	arm(0);
	CHECK_STR(tracer__errmsg(t), "out of memory (while writing the message of an error)");
	/* a later failure replaces it (and the static one is never freed) */
	CHECK_INT(tracer__fail(t, -EINVAL, "later %d", 1), -EINVAL);
	CHECK_STR(tracer__errmsg(t), "later 1");
	tracer__free(t);
}

/* A tracer holding one function "f" (BPF_EXIT), as a compile leaves it. */
static struct tracer *fake_compiled(void)
{
	struct tracer *t = tracer__new();
	struct image_func *f = calloc(1, sizeof(*f));

	f->name = strdup("f");
	f->insns = calloc(1, sizeof(*f->insns));
	f->insns[0].code = BPF_JMP | BPF_EXIT;
	f->ninsns = 1;
	t->img.funcs = f;
	t->img.nfuncs = 1;
	t->img.license = strdup("GPL");
	t->name = strdup("x.bpf.c");
	t->compiled = true;
	return t;
}

static void test_load(void)
{
	/* its three allocations before the kernel: the program list, the
	 * name, the instructions */
	for (long k = 1; k <= 3; k++) {
		struct tracer *t = fake_compiled();

		arm(k);
		CHECK_INT(tracer__load(t, "f", BPF_PROG_TYPE_KPROBE), -ENOMEM);
		arm(0);
		CHECK_STR(tracer__errmsg(t), "cannot load 'f': out of memory while preparing its "
					     "instructions");
		CHECK_INT(t->nprogs, 0);
		tracer__free(t);
	}
}

static void test_add_link(void)
{
	struct tracer *t = tracer__new();
	int fd = open("/dev/null", O_RDONLY);

	arm(1);
	CHECK_INT(tracer_add_link(t, PROBE_RAW_TRACEPOINT, NULL, fd), -ENOMEM);
	arm(0);
	CHECK_STR(tracer__errmsg(t), "cannot attach raw tracepoint: out of memory while recording "
				     "the probe (it was detached)");
	CHECK(fcntl(fd, F_GETFD) < 0 && errno == EBADF); /* released */
	CHECK_INT(t->nlinks, 0);
	tracer__free(t);
}

int main(void)
{
	test_compile();
	test_load();
	test_add_link();
	return CHECK_DONE();
}
