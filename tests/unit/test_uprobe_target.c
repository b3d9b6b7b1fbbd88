/* Resolving uprobe targets: paths, programs on PATH, library short
 * names, symbols and addresses. argv[1] is the built target-sample (PIE),
 * argv[2] the same program linked at a fixed address (-no-pie). */
#include "check.h"
#include "uprobe_target.h"

#include <bcc/bcc_elf.h>
#include <bcc/bcc_syms.h>
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

struct sym_addr {
	const char *name;
	uint64_t addr;
};

static int sym_addr_cb(const char *name, uint64_t start, uint64_t size, void *payload)
{
	struct sym_addr *s = payload;

	(void)size;
	if (strcmp(name, s->name))
		return 0;
	s->addr = start;
	return -1;
}

/* A symbol's virtual address, as nm prints it (0: not found). */
static uint64_t nm_addr(const char *path, const char *name)
{
	struct bcc_symbol_option all = { .use_symbol_type = BCC_SYM_ALL_TYPES };
	struct sym_addr s = { .name = name };

	bcc_elf_foreach_sym(path, sym_addr_cb, &all, &s);
	return s.addr;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], want[PATH_MAX], name[256];
	uint64_t off = 0, off2 = 0, func;

	if (argc < 3) {
		fprintf(stderr, "usage: test_uprobe_target TARGET-SAMPLE TARGET-SAMPLE-NOPIE\n");
		return 2;
	}
	/* a path is taken as given, and must exist */
	CHECK_INT(uprobe_target_resolve(argv[1], 0, path, sizeof(path)), 0);
	CHECK_STR(path, argv[1]);
	CHECK_INT(uprobe_target_resolve("/nonexistent/binary", 0, path, sizeof(path)), -ENOENT);

	/* a bare program name is looked up on PATH */
	setenv("PATH", "/nonexistent:/usr/bin:/bin", 1);
	CHECK_INT(uprobe_target_resolve("env", 0, path, sizeof(path)), 0);
	CHECK_STR(path, "/usr/bin/env");

	/* "c" is libc, found as bcc finds it: in this process's maps... */
	CHECK_INT(uprobe_target_resolve("c", getpid(), path, sizeof(path)), 0);
	CHECK(realpath(path, want) && strstr(want, "/libc.so") != NULL);
	/* ...or in the linker cache */
	CHECK_INT(uprobe_target_resolve("c", 0, path, sizeof(path)), 0);
	CHECK(strstr(path, "libc.so") != NULL);
	CHECK_INT(uprobe_target_resolve("no_such_library_xyz", 0, path, sizeof(path)), -ENOENT);
	CHECK_INT(uprobe_target_resolve(argv[1], 0, path, 4), -ENAMETOOLONG);

	/* symbols */
	CHECK_INT(uprobe_target_symbol(argv[1], "func", 0, &off), 0);
	CHECK(off > 0);
	CHECK_INT(uprobe_target_symbol(argv[1], "no_such_symbol", 0, &off), -ENOENT);
	CHECK_INT(uprobe_target_resolve("c", 0, path, sizeof(path)), 0);
	CHECK_INT(uprobe_target_symbol(path, "strlen", 0, &off), 0);
	CHECK_INT(uprobe_target_symbol("/etc/passwd", "func", 0, &off), -ENOEXEC);

	/* addresses are virtual, as nm prints them and bcc's attach_uprobe(addr=)
	 * takes them: in a program linked at 0x400000 the file offset differs */
	func = nm_addr(argv[2], "func");
	CHECK(func >= 0x400000);
	CHECK_INT(uprobe_target_symbol(argv[2], "func", 0, &off), 0);
	CHECK_INT(uprobe_target_addr(argv[2], func, 0, &off2), 0);
	CHECK_INT(off2, off);
	CHECK(off != func);
	CHECK_INT(uprobe_target_name(argv[2], func, name, sizeof(name)), 0);
	CHECK_STR(name, "func");
	CHECK_INT(uprobe_target_name(argv[2], func + 1, name, sizeof(name)), -ENOENT);
	/* only code: not the ELF header's segment, not data, not 0 */
	CHECK_INT(uprobe_target_addr(argv[2], 0x400000, 0, &off), -EFAULT);
	CHECK(nm_addr(argv[2], "__data_start") > 0);
	CHECK_INT(uprobe_target_addr(argv[2], nm_addr(argv[2], "__data_start"), 0, &off), -EFAULT);
	CHECK_INT(uprobe_target_addr(argv[2], 0, 0, &off), -EFAULT);
	CHECK_INT(uprobe_target_addr(argv[1], nm_addr(argv[1], "func"), 0, &off2), 0);
	CHECK_INT(uprobe_target_symbol(argv[1], "func", 0, &off), 0);
	CHECK_INT(off2, off);
	CHECK_INT(uprobe_target_addr("/etc/passwd", 0x1000, 0, &off), -ENOEXEC);
	return CHECK_DONE();
}
