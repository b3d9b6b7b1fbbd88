#include "ifunc_trust.h"

#include <errno.h>
#include <limits.h>
#include <link.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ld.so --list of a library lists what it loads, and where it searched,
 * in a few lines a library */
#define LIST_MAX (1 << 20)
#define LIST_TIMEOUT_MS 10000

/* the fix, the same for every file: said once, at the end */
#define TRUST_FIX "put the library where only root can write (owned by root, and neither it " \
		  "nor a directory above it writable by its group or other users)"

/* Root's, and only root can change it: a file writable by no one else, a
 * directory too, or sticky (as /tmp), where no one else may rename or
 * remove root's entries, and the entry below is checked to be root's. */
static bool stat_trusted(const struct stat *st, bool leaf)
{
	if (st->st_uid != 0)
		return false;
	if (leaf)
		return S_ISREG(st->st_mode) && !(st->st_mode & (S_IWGRP | S_IWOTH));
	return S_ISDIR(st->st_mode) &&
	       (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_mode & S_ISVTX));
}

/* "'/tmp/x' (a directory above '/tmp/x/libx.so') is owned by nobody (uid
 * 65534)": what is wrong with p, which is where about (a sentence part) */
static void describe(const char *p, const char *about, const struct stat *st, char *why,
		     size_t len)
{
	struct passwd *pw = getpwuid(st->st_uid);
	char owner[96];

	if (st->st_uid != 0) {
		snprintf(owner, sizeof(owner), "owned by %s (uid %u)", pw ? pw->pw_name : "a user",
			 (unsigned)st->st_uid);
	} else if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
		snprintf(owner, sizeof(owner), "not a regular file");
	} else {
		snprintf(owner, sizeof(owner), "writable by %s (mode %04o)",
			 st->st_mode & S_IWOTH ? "other users" : "its group",
			 (unsigned)(st->st_mode & 07777));
	}
	snprintf(why, len, "bcc-c runs a library's code to find it only when no one but root can "
		 "change that code, and '%s'%s is %s; %s", p, about, owner, TRUST_FIX);
}

/* Checks real (a real path: no symbolic link in it), a file or (is_file
 * false) a directory, and every directory above it, up to /. what says why
 * real matters ("" for the library itself, ", which loading 'X' loads,"
 * for one it links). */
static int trust_chain(const char *real, bool is_file, const char *what, char *why, size_t len)
{
	char p[PATH_MAX], about[PATH_MAX + 64];
	bool leaf = is_file, first = true;
	struct stat st;

	if (snprintf(p, sizeof(p), "%s", real) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	for (;;) {
		if (lstat(p[0] ? p : "/", &st)) {
			snprintf(why, len, "cannot check who can change '%s': %s", p[0] ? p : "/",
				 strerror(errno));
			return -ENOEXEC;
		}
		if (!stat_trusted(&st, leaf)) {
			if (first)
				snprintf(about, sizeof(about), "%s", what);
			else
				snprintf(about, sizeof(about), " (a directory above '%s'%s)", real,
					 what);
			describe(p[0] ? p : "/", about, &st, why, len);
			return -EPERM;
		}
		if (!p[0])
			return 0;
		*strrchr(p, '/') = '\0';
		leaf = first = false;
	}
}

/* /proc/PID/root/... of a process with another mount namespace or root (a
 * container's file): its libraries are not the ones this host's dynamic
 * linker would load with it, and whose it is there says nothing here. */
static int trust_namespace(const char *path, char *why, size_t len)
{
	struct stat mine, theirs, root, their_root;
	char p[64];
	unsigned pid;
	int n = 0;

	if (sscanf(path, "/proc/%u/%n", &pid, &n) != 1 || n == 0)
		return 0;
	snprintf(p, sizeof(p), "/proc/%u/ns/mnt", pid);
	if (stat(p, &theirs) || stat("/proc/self/ns/mnt", &mine))
		goto err;
	snprintf(p, sizeof(p), "/proc/%u/root", pid);
	if (stat(p, &their_root) || stat("/", &root))
		goto err;
	if (theirs.st_ino == mine.st_ino && theirs.st_dev == mine.st_dev &&
	    their_root.st_ino == root.st_ino && their_root.st_dev == root.st_dev)
		return 0;
	snprintf(why, len, "'%s' is a file of process %u's own mount namespace or root directory "
		 "(a container's), and bcc-c loads nothing of another namespace to find it: this "
		 "host's dynamic linker would link it against this host's libraries, and whose the "
		 "file is in there says nothing about who can change it", path, pid);
	return -EPERM;
err:
	snprintf(why, len, "cannot tell which mount namespace '%s' is in: %s", p, strerror(errno));
	return -ENOEXEC;
}

/* The real path of path, which must be the very file path names: a
 * symbolic link through /proc (fd/N, PID/root) can name another. */
static int real_file(const char *path, char *real, size_t rlen, char *why, size_t len)
{
	struct stat a, b;
	char r[PATH_MAX];

	if (!realpath(path, r) || stat(path, &a) || stat(r, &b)) {
		snprintf(why, len, "cannot open it: %s", strerror(errno));
		return -ENOEXEC;
	}
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		snprintf(why, len, "'%s' is not the file its real path '%s' names (a link through "
			 "/proc?), so bcc-c does not know what it would load", path, r);
		return -EPERM;
	}
	if (snprintf(real, rlen, "%s", r) >= (int)rlen)
		return -ENAMETOOLONG;
	return 0;
}

static int find_interp(struct dl_phdr_info *info, size_t size, void *data)
{
	char *interp = data;

	(void)size;
	/* the first object is the program, whose PT_INTERP names its ld.so */
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_INTERP)
			snprintf(interp, PATH_MAX, "%s",
				 (const char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr));
	return 1;
}

struct list_args {
	const char *interp, *lib, *libpath;
};

/* in the sandbox: ld.so --list prints where it finds each library, and
 * runs none of their code */
static void list_main(void *arg)
{
	const struct list_args *a = arg;
	const char *argv[7];
	/* libs: where it searched, found or not (a user could add one later) */
	char *envp[] = { "LD_DEBUG=libs", NULL };
	int n = 0;

	argv[n++] = a->interp;
	if (a->libpath) {
		argv[n++] = "--library-path";
		argv[n++] = a->libpath;
	}
	argv[n++] = "--list";
	argv[n++] = a->lib;
	argv[n] = NULL;
	if (dup2(3, STDOUT_FILENO) >= 0 && dup2(3, STDERR_FILENO) >= 0)
		execve(a->interp, (char *const *)argv, envp);
}

/* One line of ld.so --list: "\tlibc.so.6 => /lib/.../libc.so.6 (0x...)",
 * "\t/lib64/ld-linux-x86-64.so.2 (0x...)"; 1 when it names no file (the
 * vDSO, "not found": dlopen says so), 0 trusted, or a negative errno. */
static int trust_line(char *line, const char *lib, char *why, size_t len)
{
	char *p = strstr(line, "=> "), *end, real[PATH_MAX], what[PATH_MAX + 32];

	p = p ? p + 3 : line + strspn(line, "\t ");
	end = strstr(p, " (0x");
	if (*p != '/' || !end)
		return 1;
	*end = '\0';
	if (!realpath(p, real)) {
		snprintf(why, len, "cannot find '%s', which loading '%s' loads: %s", p, lib,
			 strerror(errno));
		return -ENOEXEC;
	}
	snprintf(what, sizeof(what), ", which loading '%s' loads,", lib);
	return trust_chain(real, true, what, why, len);
}

/* A directory ld.so searches for what lib loads, found or not: no one but
 * root may add a library to it, so it (or, when it does not exist, the
 * nearest directory above that does) must be root's. Relative ones are
 * from /, the sandbox's working directory. */
static int trust_search_dir(const char *dir, const char *lib, char *why, size_t len)
{
	char p[PATH_MAX], real[PATH_MAX], what[PATH_MAX + 64];
	char *slash;

	snprintf(p, sizeof(p), "%s%s", dir[0] == '/' ? "" : "/", dir);
	while (!realpath(p, real)) {
		if (errno != ENOENT && errno != ENOTDIR) {
			snprintf(why, len, "cannot check who can change '%s', a directory the "
				 "dynamic linker searches: %s", p, strerror(errno));
			return -ENOEXEC;
		}
		slash = strrchr(p, '/');
		slash[slash == p] = '\0';
	}
	snprintf(what, sizeof(what), ", a directory the dynamic linker searches for what '%s' "
		 "loads,", lib);
	return trust_chain(real, false, what, why, len);
}

/* "   1234:\t search path=/a/tls:/a\t\t(RUNPATH from file /x.so)", as
 * LD_DEBUG=libs says it; 1 when the line is no such line. */
static int trust_search_line(const char *line, const char *lib, char *why, size_t len)
{
	const char *p = strstr(line, "search path=");
	char dir[PATH_MAX];
	int err = 0;

	if (!p)
		return 1;
	for (p += strlen("search path="); *p && *p != '\t' && !err; p += *p == ':') {
		size_t n = strcspn(p, ":\t");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, p);
		p += n;
		if (dir[0])
			err = trust_search_dir(dir, lib, why, len);
	}
	return err;
}

/* Every file ld.so would load with lib, with the library path this
 * process's ld.so uses (its LD_LIBRARY_PATH at start): those not loaded
 * here yet are loaded in the child and run their constructors there. */
static int trust_deps(const struct ifunc_sandbox *sb, const char *lib, char *why, size_t len)
{
	struct ifunc_sandbox exec_sb = *sb;
	char interp[PATH_MAX] = "", *out, *line, *save;
	struct list_args a = { .interp = interp, .lib = lib };
	int err = 0, listed = 0, statically_linked;
	ssize_t got;

	dl_iterate_phdr(find_interp, interp);
	if (!interp[0]) {
		snprintf(why, len, "this program has no dynamic linker to list what it loads");
		return -ENOEXEC;
	}
	a.libpath = getenv("LD_LIBRARY_PATH");
	if (a.libpath && !a.libpath[0])
		a.libpath = NULL;
	out = malloc(LIST_MAX + 1);
	if (!out)
		return -ENOMEM;
	exec_sb.allow_exec = true;
	got = ifunc_sandbox_run(&exec_sb, list_main, &a, out, LIST_MAX, LIST_TIMEOUT_MS);
	if (got < 0 || got == LIST_MAX) {
		free(out);
		snprintf(why, len, "listing what it loads failed: %s",
			 got < 0 ? strerror((int)-got) : "too long a list");
		return got < 0 ? (int)got : -E2BIG;
	}
	out[got] = '\0';
	/* what ld.so says of a library that links nothing */
	statically_linked = !strncmp(out, "\tstatically linked\n", 19);
	for (line = strtok_r(out, "\n", &save); line && !err; line = strtok_r(NULL, "\n", &save)) {
		int r = trust_search_line(line, lib, why, len);

		if (r == 1)
			r = trust_line(line, lib, why, len);
		listed += r != 1;
		err = r == 1 ? 0 : r;
	}
	if (!err && !listed && !statically_linked) {
		/* not a dynamic object: ld.so said why */
		snprintf(why, len, "%.*s", (int)strcspn(out, "\n"), out);
		err = -ENOEXEC;
	}
	free(out);
	return err;
}

int ifunc_trust_library(const struct ifunc_sandbox *sb, const char *path, char *real,
			size_t rlen, char *why, size_t len)
{
	char abs[PATH_MAX];
	int err;

	if (path[0] != '/' && getcwd(abs, sizeof(abs)))
		snprintf(abs + strlen(abs), sizeof(abs) - strlen(abs), "/%s", path);
	else
		snprintf(abs, sizeof(abs), "%s", path);
	err = trust_namespace(abs, why, len);
	if (!err)
		err = real_file(path, real, rlen, why, len);
	if (!err)
		err = trust_chain(real, true, "", why, len);
	return err ? err : trust_deps(sb, real, why, len);
}
