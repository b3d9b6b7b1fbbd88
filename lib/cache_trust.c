#include "cache_trust.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool foreign_owner(const struct stat *st)
{
	return st->st_uid != geteuid() && st->st_uid != 0;
}

static bool others_write(const struct stat *st)
{
	return st->st_mode & (S_IWGRP | S_IWOTH);
}

static void user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
}

/* "owned by nobody (uid 65534), not by root and writable by other users
 * (mode 0777)": what makes st untrusted */
static void describe(const struct stat *st, char *buf, size_t len)
{
	char owner[64], me[64];
	int n = 0;

	buf[0] = '\0';
	if (foreign_owner(st)) {
		user_name(st->st_uid, owner, sizeof(owner));
		user_name(geteuid(), me, sizeof(me));
		n = snprintf(buf, len, "owned by %s (uid %u), not by %s%s", owner,
			     (unsigned)st->st_uid, me, geteuid() ? " or root" : "");
		if (n < 0 || (size_t)n >= len)
			return;
	}
	if (others_write(st))
		snprintf(buf + n, len - (size_t)n, "%swritable by %s (mode %04o)", n ? " and " : "",
			 st->st_mode & S_IWOTH ? "other users" : "its group",
			 (unsigned)(st->st_mode & 07777));
}

int cache_trust_open_dir(const char *path, char *why, size_t len)
{
	char problem[256], me[64], fix[2 * PATH_MAX + 128];
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err, n = 0;

	if (fd < 0)
		return -errno;
	/* the directory checked is the one opened, and the one then used */
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!foreign_owner(&st) && !others_write(&st))
		return fd;
	close(fd);
	describe(&st, problem, sizeof(problem));
	user_name(geteuid(), me, sizeof(me));
	if (foreign_owner(&st))
		n = snprintf(fix, sizeof(fix), "chown %s '%s'", me, path);
	if (others_write(&st))
		snprintf(fix + n, sizeof(fix) - (size_t)n, "%schmod 700 '%s'", n ? " && " : "",
			 path);
	snprintf(why, len, "not using the compile cache '%s': it is %s, so another user could put "
		 "programs there that the kernel would run as %s; compiling instead (fix: %s, or "
		 "set BCC_C_CACHE_DIR to a directory only %s can write)", path, problem, me, fix, me);
	return -EPERM;
}

int cache_trust_open_entry(int dfd, const char *dir, const char *name, char *why, size_t len)
{
	char problem[256];
	struct stat st;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), err;

	if (fd < 0 && errno == ELOOP) {
		snprintf(why, len, "not using compile cache entry '%s/%s': it is a symbolic link; "
			 "compiling instead, and the new entry replaces it", dir, name);
		return -EPERM;
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISREG(st.st_mode) && !foreign_owner(&st) && !others_write(&st))
		return fd;
	close(fd);
	if (S_ISREG(st.st_mode))
		describe(&st, problem, sizeof(problem));
	else
		snprintf(problem, sizeof(problem), "not a regular file");
	snprintf(why, len, "not using compile cache entry '%s/%s': it is %s; compiling instead, "
		 "and the new entry replaces it", dir, name, problem);
	return -EPERM;
}
