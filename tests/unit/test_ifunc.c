/* IFUNC symbols: which symbols are IFUNCs, and where the implementation
 * the resolver picks lies in the file. argv[1] is the built
 * libifunc_sample.so, argv[2] a PIE program (target-sample). */
#include "check.h"
#include "ifunc.h"
#include "uprobe_target.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

/* Where this process's own calls to wmemchr go, as a virtual address of
 * libc: its dynamic linker resolved the IFUNC for it. (wmemchr: an IFUNC
 * the sanitizers do not intercept, unlike strlen.) */
static uint64_t own_wmemchr(void)
{
	wchar_t *(*volatile fn)(const wchar_t *, wchar_t, size_t) = wmemchr;
	struct link_map *lm = NULL;
	Dl_info info;

	if (!dladdr1((void *)fn, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm)
		return 0;
	return (uint64_t)(uintptr_t)fn - lm->l_addr;
}

int main(int argc, char **argv)
{
	char libc[PATH_MAX], name[256], why[512];
	uint64_t vaddr = 0, off = 0, want = 0;
	const char *lib, *pie;

	if (argc < 3) {
		fprintf(stderr, "usage: test_ifunc LIBIFUNC_SAMPLE TARGET-SAMPLE\n");
		return 2;
	}
	lib = argv[1];
	pie = argv[2];

	/* the resolver is the IFUNC; the implementations are plain functions */
	CHECK_INT(ifunc_check(lib, "ifunc_sample", 0), 1);
	CHECK_INT(ifunc_check(lib, "ifunc_sample_b", 0), 0);
	CHECK_INT(ifunc_check(lib, "no_such_symbol", 0), 0);
	CHECK_INT(ifunc_check(pie, "func", 0), 0);
	CHECK_INT(ifunc_check("/etc/passwd", "func", 0), -ENOEXEC);

	/* the implementation picked, found by its name in the symbol table,
	 * and the file offset a uprobe takes */
	CHECK_INT(ifunc_resolve(lib, "ifunc_sample", &vaddr, why, sizeof(why)), 0);
	CHECK_INT(uprobe_target_name(lib, vaddr, name, sizeof(name)), 0);
	CHECK_STR(name, "ifunc_sample_b");
	CHECK_INT(uprobe_target_addr(lib, vaddr, 0, &off), 0);
	CHECK_INT(uprobe_target_symbol(lib, "ifunc_sample_b", 0, &want), 0);
	CHECK_INT(off, want);

	/* what cannot be resolved says why */
	CHECK_INT(ifunc_resolve(lib, "no_such_symbol", &vaddr, why, sizeof(why)), -ENOENT);
	CHECK(why[0] != '\0');
	CHECK_INT(ifunc_resolve(pie, "func", &vaddr, why, sizeof(why)), -ENOEXEC);
	CHECK(strstr(why, "executable") != NULL);
	CHECK_INT(ifunc_resolve("/nonexistent/lib.so", "x", &vaddr, why, sizeof(why)), -ENOEXEC);

	/* glibc's strlen and memcpy (the default version, memcpy@@GLIBC_2.14;
	 * memcpy@GLIBC_2.2.5 is plain code) are IFUNCs; the helper process
	 * picks what this process's linker picked, in an executable segment */
	CHECK_INT(uprobe_target_resolve("c", 0, libc, sizeof(libc)), 0);
	CHECK_INT(ifunc_check(libc, "strlen", 0), 1);
	CHECK_INT(ifunc_check(libc, "memcpy", 0), 1);
	CHECK_INT(ifunc_check(libc, "getpid", 0), 0);
	CHECK_INT(ifunc_resolve(libc, "wmemchr", &vaddr, why, sizeof(why)), 0);
	CHECK_INT(vaddr, own_wmemchr());
	CHECK_INT(ifunc_resolve(libc, "strlen", &vaddr, why, sizeof(why)), 0);
	CHECK_INT(uprobe_target_addr(libc, vaddr, 0, &off), 0);
	CHECK_INT(ifunc_resolve(libc, "memcpy", &vaddr, why, sizeof(why)), 0);
	CHECK_INT(uprobe_target_addr(libc, vaddr, 0, &off), 0);
	return CHECK_DONE();
}
