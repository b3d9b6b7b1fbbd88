/* Resolving uprobe targets: paths, programs on PATH, library short
 * names, and symbols. argv[1] is the built target-sample. */
#include "check.h"
#include "uprobe_target.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[PATH_MAX], want[PATH_MAX];
	uint64_t off = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: test_uprobe_target TARGET-SAMPLE\n");
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
	return CHECK_DONE();
}
