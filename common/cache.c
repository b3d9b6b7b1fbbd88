#include "cache.h"

#include "compat.h"

#include <bcc/bcc_version.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

/* "path ino size mtime" of a file, so new headers in place change the key */
static void stamp(FILE *out, const char *dir, const char *file)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!realpath(path, real) || stat(real, &st)) {
		fprintf(out, "%s missing\n", path);
		return;
	}
	fprintf(out, "%s %ju %jd %jd.%09ld\n", real, (uintmax_t)st.st_ino, (intmax_t)st.st_size,
		(intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

char *cache_key(const char *text, const char *const *cflags, size_t ncflags)
{
	const char *env = getenv("BCC_KERNEL_SOURCE");
	char kdir[PATH_MAX], *out = NULL;
	struct compat compat;
	struct utsname un;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	uname(&un);
	fprintf(f, "bcc-c cache 1\nlibbcc %s\nrelease %s\nmachine %s\n", LIBBCC_VERSION,
		un.release, un.machine);
	/* the headers, found as libbcc finds them */
	if (env) {
		fprintf(f, "BCC_KERNEL_SOURCE %s\n", env);
		snprintf(kdir, sizeof(kdir), "%s", env);
	} else {
		snprintf(kdir, sizeof(kdir), "/lib/modules/%s", un.release);
	}
	if (env) {
		stamp(f, kdir, "include/generated/autoconf.h");
		stamp(f, kdir, "include/linux/kconfig.h");
		stamp(f, kdir, "Makefile");
	} else {
		stamp(f, kdir, "build/include/generated/autoconf.h");
		stamp(f, kdir, "build/include/generated/utsrelease.h");
		stamp(f, kdir, "build/Makefile");
		stamp(f, kdir, "source/include/linux/kconfig.h");
		stamp(f, kdir, "source/Makefile");
	}
	/* only when the headers' uapi bpf.h replaces libbcc's, so that every
	 * other key stays as it was */
	compat_detect(&compat);
	if (compat.headers_win)
		fprintf(f, "compat headers' uapi bpf.h %s\n", compat.uapi);
	for (size_t i = 0; i < ncflags; i++)
		fprintf(f, "cflag %s\n", cflags[i]);
	fprintf(f, "text %zu\n%s", strlen(text), text);
	fclose(f);
	return out;
}

int cache_dir(char *buf, size_t len)
{
	const char *env = getenv("BCC_C_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (env)
		return !env[0] || !strcmp(env, "off") ? -ENOENT :
		       (snprintf(buf, len, "%s", env), 0);
	if (geteuid() == 0)
		snprintf(buf, len, "/var/cache/bcc-c");
	else if (xdg && xdg[0])
		snprintf(buf, len, "%s/bcc-c", xdg);
	else if (home && home[0])
		snprintf(buf, len, "%s/.cache/bcc-c", home);
	else
		return -ENOENT;
	return 0;
}

bool cache_enabled(void)
{
	char dir[PATH_MAX];

	return !getenv("BCC_C_NO_CACHE") && cache_dir(dir, sizeof(dir)) == 0;
}

static int entry_path(const char *key, char *buf, size_t len)
{
	char dir[PATH_MAX];
	int err = cache_dir(dir, sizeof(dir));

	if (err)
		return err;
	snprintf(buf, len, "%s/%016" PRIx64 ".img", dir,
		 image_hash(key, strlen(key), IMAGE_HASH_SEED));
	return 0;
}

int cache_load(const char *key, struct image *img)
{
	char path[PATH_MAX];
	struct stat st;
	void *buf;
	ssize_t n;
	int fd, err = entry_path(key, path, sizeof(path));

	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > (64 << 20)) {
		close(fd);
		return -EINVAL;
	}
	buf = malloc(st.st_size);
	n = buf ? read(fd, buf, st.st_size) : -1;
	close(fd);
	err = n == st.st_size ? image_deserialize(buf, (size_t)n, key, img) : -EINVAL;
	free(buf);
	/* another text with the same hash: a miss, not an error */
	return err == -ESTALE ? -ENOENT : err;
}

static int mkdirs(const char *dir)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	/* entries are programs the kernel will run: only their owner may write */
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int cache_store(const char *key, const struct image *img)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX + 32];
	void *buf;
	size_t len;
	int fd, err;

	if (!img->portable)
		return -ENOTSUP;
	err = cache_dir(dir, sizeof(dir));
	if (!err)
		err = mkdirs(dir);
	if (!err)
		err = entry_path(key, path, sizeof(path));
	if (!err)
		err = image_serialize(img, key, &buf, &len);
	if (err)
		return err;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	err = write(fd, buf, len) == (ssize_t)len ? 0 : -EIO;
	free(buf);
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
