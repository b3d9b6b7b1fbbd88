/* IFUNC symbols: which symbols are IFUNCs, and where the implementation
 * the resolver picks lies in the file. argv[1] is the built
 * libifunc_sample.so, argv[2] a PIE program (target-sample), argv[3]
 * libifunc_mark.so, whose code says who ran it, and argv[4]
 * libifunc_needs_mark.so, which links it. As root (the cases that chown),
 * finding an IFUNC never runs a library a user could change, and runs a
 * root's one as nobody. */
#include "check.h"
#include "ifunc.h"
#include "uprobe_target.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
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

/* A copy of the library at src, as dir/name, in a new directory under
 * /tmp: both owned by pw, as a user would put a library there. */
static int place_copy(const char *src, const struct passwd *pw, char *dir, char *lib,
		      size_t len)
{
	char buf[65536];
	int in, out = -1, err = -1;
	ssize_t n;

	snprintf(dir, len, "/tmp/bcc-c-ifunc-XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755) || chown(dir, pw->pw_uid, pw->pw_gid))
		return -1;
	snprintf(lib, len, "%s/%s", dir, strrchr(src, '/') + 1);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in >= 0)
		out = open(lib, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	if (out >= 0 && !fchown(out, pw->pw_uid, pw->pw_gid) && !close(out))
		err = 0;
	if (in >= 0)
		close(in);
	return err;
}

static void remove_copy(const char *dir, const char *lib)
{
	char mark[PATH_MAX + 8];

	snprintf(mark, sizeof(mark), "%s.mark", lib);
	unlink(mark);
	unlink(lib);
	rmdir(dir);
}

/* What the library's constructor wrote next to it, "" when nothing. */
static const char *mark_of(const char *lib)
{
	static char text[256];
	char path[PATH_MAX + 8];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "%s.mark", lib);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
	}
	text[n > 0 ? n : 0] = '\0';
	return text;
}

/* A user's library: refused, with the file and its owner named, and none
 * of its code run (its constructor would leave a mark). */
static void check_users_library(const char *mark_lib, const struct passwd *pw)
{
	char dir[PATH_MAX], lib[PATH_MAX], why[1024];
	uint64_t vaddr = 0;

	CHECK_INT(place_copy(mark_lib, pw, dir, lib, sizeof(dir)), 0);
	CHECK_INT(ifunc_resolve(lib, "ifunc_mark", &vaddr, why, sizeof(why)), -EPERM);
	CHECK(strstr(why, lib) != NULL);
	CHECK(strstr(why, "owned by nobody (uid 65534)") != NULL);
	CHECK(strstr(why, "only root can write") != NULL);
	CHECK_STR(mark_of(lib), "");
	printf("a user's library: %s\n", why);
	/* root's file in the user's directory: the user could swap it */
	CHECK_INT(chown(lib, 0, 0), 0);
	CHECK_INT(ifunc_resolve(lib, "ifunc_mark", &vaddr, why, sizeof(why)), -EPERM);
	CHECK(strstr(why, "a directory above") != NULL);
	CHECK_STR(mark_of(lib), "");
	remove_copy(dir, lib);
}

/* Root's library in root's directory: resolved, by code that ran as
 * nobody (its resolver picks ifunc_mark_user), never as root. */
static void check_roots_library(const char *mark_lib)
{
	struct passwd root = { .pw_uid = 0, .pw_gid = 0 };
	char dir[PATH_MAX], lib[PATH_MAX], why[1024], name[256] = "";
	uint64_t vaddr = 0;

	CHECK_INT(place_copy(mark_lib, &root, dir, lib, sizeof(dir)), 0);
	CHECK_INT(ifunc_resolve(lib, "ifunc_mark", &vaddr, why, sizeof(why)), 0);
	CHECK_INT(uprobe_target_name(lib, vaddr, name, sizeof(name)), 0);
	CHECK_STR(name, "ifunc_mark_user");
	/* nobody may not write in root's directory, nor open for writing at all */
	CHECK(strstr(mark_of(lib), "uid 0 ") == NULL);
	printf("root's library: resolved to %s; mark: '%s'\n", name, mark_of(lib));
	remove_copy(dir, lib);
}

/* Root's library that loads a user's one (found first through
 * LD_LIBRARY_PATH, as RUNPATH would): refused, naming the user's
 * directory, where the user could put any library later. */
/* Whether nobody, whom a lookup's sandbox runs as, can read path: a build
 * tree cloned into a 0700 directory (mktemp -d) is root's, but the
 * sandboxed loader cannot open it, so its cases cannot run there. */
static bool nobody_reads(const char *path)
{
	const struct passwd *pw = getpwnam("nobody");
	int status;
	pid_t pid;

	if (!pw || geteuid() != 0)
		return true; /* no drop: the lookup reads as this user does */
	pid = fork();
	if (pid == 0)
		_exit(setgroups(0, NULL) || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) ||
		      setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) || access(path, R_OK));
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static void check_users_dependency(const char *mark_lib, const char *needs_mark,
				   const struct passwd *pw)
{
	char dir[PATH_MAX], lib[PATH_MAX], why[1024];
	uint64_t vaddr = 0;

	if (!nobody_reads(needs_mark)) {
		printf("SKIP: a user's library loaded by root's: nobody cannot read '%s' "
		       "(a build tree in a directory only root can enter)\n", needs_mark);
		return;
	}
	CHECK_INT(place_copy(mark_lib, pw, dir, lib, sizeof(dir)), 0);
	setenv("LD_LIBRARY_PATH", dir, 1);
	CHECK_INT(ifunc_resolve(needs_mark, "ifunc_sample", &vaddr, why, sizeof(why)), -EPERM);
	unsetenv("LD_LIBRARY_PATH");
	CHECK(strstr(why, dir) != NULL);
	CHECK(strstr(why, "a directory the dynamic linker searches") != NULL);
	CHECK_STR(mark_of(lib), "");
	printf("a user's library loaded by root's: %s\n", why);
	remove_copy(dir, lib);
}

/* The libraries of the build tree, which an IFUNC lookup may load only
 * when only root can change them (a root's build, as here). */
static void check_build_tree(const char *lib, const char *pie)
{
	uint64_t vaddr = 0, off = 0, want = 0;
	char name[256], why[1024];

	if (!nobody_reads(lib)) {
		printf("SKIP: the cases of the build tree's libraries: nobody cannot read '%s' "
		       "(a build tree in a directory only root can enter)\n", lib);
		return;
	}
	if (ifunc_resolve(lib, "ifunc_sample", &vaddr, why, sizeof(why)) == -EPERM) {
		printf("SKIP: the cases of the build tree's libraries: %s\n", why);
		return;
	}
	/* the implementation picked, found by its name in the symbol table,
	 * and the file offset a uprobe takes */
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

}

int main(int argc, char **argv)
{
	char libc[PATH_MAX], why[512];
	uint64_t vaddr = 0, off = 0;
	const char *lib, *pie;

	if (argc < 5) {
		fprintf(stderr, "usage: test_ifunc LIBIFUNC_SAMPLE TARGET-SAMPLE LIBIFUNC_MARK "
			"LIBIFUNC_NEEDS_MARK\n");
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

	check_build_tree(lib, pie);

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

	if (geteuid() != 0 || !getpwnam("nobody")) {
		printf("SKIP: the cases of a user's library need root and the user nobody\n");
		return CHECK_DONE();
	}
	check_users_library(argv[3], getpwnam("nobody"));
	check_roots_library(argv[3]);
	check_users_dependency(argv[3], argv[4], getpwnam("nobody"));
	return CHECK_DONE();
}
