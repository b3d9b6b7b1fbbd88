#include "cache.h"

#include "cache_trust.h"
#include "compat.h"
#include "cpus.h"
#include "headers.h"

#include <bcc/bcc_version.h>
#include <ctype.h>
#include <dirent.h>
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

#define DEFAULT_MAX_MB 64
#define MAX_ENTRY_SIZE (64 << 20)
#define ENTRY_NAME_LEN sizeof("0123456789abcdef.img")

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

/* libbcc sizes every BPF_PERF_OUTPUT by this count */
static unsigned possible_cpus(void)
{
	int n = cpus_read("possible", NULL);

	return n > 0 ? (unsigned)n : 0;
}

char *cache_key(const char *text, const char *const *cflags, size_t ncflags)
{
	char *out = NULL;
	struct compat compat;
	struct headers h;
	struct utsname un;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	uname(&un);
	fprintf(f, "bcc-c cache 1\nlibbcc %s\nrelease %s\nmachine %s\n", LIBBCC_VERSION,
		un.release, un.machine);
	/* libbcc sizes every BPF_PERF_OUTPUT table to it */
	fprintf(f, "possible_cpus %u\n", possible_cpus());
	/* the headers, found as libbcc finds them */
	headers_find(&h);
	if (h.env) {
		fprintf(f, "BCC_KERNEL_SOURCE %s\n", h.env);
		stamp(f, h.env, "include/generated/autoconf.h");
		stamp(f, h.env, "include/linux/kconfig.h");
		stamp(f, h.env, "Makefile");
	} else {
		stamp(f, h.build, "include/generated/autoconf.h");
		stamp(f, h.build, "include/generated/utsrelease.h");
		stamp(f, h.build, "Makefile");
		stamp(f, h.source, "include/linux/kconfig.h");
		stamp(f, h.source, "Makefile");
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

/* <hash of the key>.img */
static void entry_name(const char *key, char *buf)
{
	snprintf(buf, ENTRY_NAME_LEN, "%016" PRIx64 ".img",
		 image_hash(key, strlen(key), IMAGE_HASH_SEED));
}

/* An entry made for fewer CPUs than this host may bring up cannot take
 * a ring per CPU in its BPF_PERF_OUTPUT tables. A perf array the text
 * itself sizes below that is never stored, so never mistaken for one. */
static bool fits_cpus(const struct image *img)
{
	unsigned ncpus = possible_cpus();

	for (uint32_t i = 0; i < img->ntables; i++)
		if (img->tables[i].type == BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
		    img->tables[i].max_entries < ncpus)
			return false;
	return true;
}

static int read_entry(int fd, const char *key, struct image *img)
{
	struct stat st;
	size_t got = 0;
	ssize_t n = 1;
	char *buf;
	int err;

	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > MAX_ENTRY_SIZE)
		return -EINVAL;
	buf = malloc(st.st_size);
	if (!buf)
		return -ENOMEM;
	while (got < (size_t)st.st_size && (n = read(fd, buf + got, st.st_size - got)) > 0)
		got += (size_t)n;
	err = got == (size_t)st.st_size ? image_deserialize(buf, got, key, img) : -EINVAL;
	free(buf);
	/* another text with the same hash: a miss, not an error */
	if (err == -ESTALE)
		return -ENOENT;
	if (!err && !fits_cpus(img)) {
		image_free(img);
		return -ESTALE;
	}
	return err;
}

int cache_load(const char *key, struct image *img, char *why, size_t len)
{
	char dir[PATH_MAX], name[ENTRY_NAME_LEN];
	int dfd, fd, err = cache_dir(dir, sizeof(dir));

	if (err)
		return err;
	dfd = cache_trust_open_dir(dir, why, len);
	if (dfd < 0)
		return dfd == -EPERM ? dfd : -ENOENT;
	entry_name(key, name);
	fd = cache_trust_open_entry(dfd, dir, name, why, len);
	close(dfd);
	if (fd < 0)
		return fd == -EPERM ? fd : -ENOENT;
	err = read_entry(fd, key, img);
	/* the least recently used entries go first when the cache is full */
	if (!err)
		futimens(fd, NULL);
	close(fd);
	return err;
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

/* BCC_C_CACHE_MAX_MB (fractions too: 0.5), else DEFAULT_MAX_MB */
static int max_bytes(uint64_t *out, char *why, size_t len)
{
	const char *env = getenv("BCC_C_CACHE_MAX_MB");
	char *end;
	double mb;

	*out = (uint64_t)DEFAULT_MAX_MB << 20;
	if (!env)
		return 0;
	errno = 0;
	mb = strtod(env, &end);
	if (errno || end == env || *end || !(mb > 0) || mb > (1 << 30)) {
		snprintf(why, len, "not storing programs in the compile cache: BCC_C_CACHE_MAX_MB='%s' "
			 "is not a size in MiB (such as 64 or 0.5)", env);
		return -EINVAL;
	}
	*out = (uint64_t)(mb * (1 << 20));
	return 0;
}

/* Entries and the temporary files they are written to: never another
 * file someone keeps in the directory. */
static bool is_cache_file(const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < 16; i++)
		if (!isxdigit((unsigned char)name[i]))
			return false;
	return !strcmp(name + 16, ".img") ||
	       (!strncmp(name + 16, ".img.", 5) && n > 24 && !strcmp(name + n - 4, ".tmp"));
}

struct cache_file {
	char name[NAME_MAX + 1];
	struct timespec mtime;
	uint64_t size;
};

static int by_mtime(const void *a, const void *b)
{
	const struct timespec *x = &((const struct cache_file *)a)->mtime;
	const struct timespec *y = &((const struct cache_file *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

/* Removes the least recently used files (a hit touches its entry) until
 * the cache holds at most max bytes. The entry just written (keep) stays,
 * even alone above max. */
static void evict(int dfd, const char *keep, uint64_t max)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct cache_file *files = NULL, *more;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *de;
	struct stat st;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (!is_cache_file(de->d_name) ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			more = realloc(files, cap * sizeof(*files));
			if (!more)
				break;
			files = more;
		}
		snprintf(files[n].name, sizeof(files[n].name), "%s", de->d_name);
		files[n].mtime = st.st_mtim;
		files[n].size = (uint64_t)st.st_size;
		total += files[n++].size;
	}
	closedir(d);
	if (total > max)
		qsort(files, n, sizeof(*files), by_mtime);
	for (size_t i = 0; i < n && total > max; i++)
		if (strcmp(files[i].name, keep) &&
		    (!unlinkat(dfd, files[i].name, 0) || errno == ENOENT))
			total -= files[i].size;
	free(files);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int cache_store(const char *key, const struct image *img, char *why, size_t len)
{
	static unsigned seq;
	char dir[PATH_MAX], name[ENTRY_NAME_LEN], tmp[ENTRY_NAME_LEN + 32];
	uint64_t max;
	size_t size;
	void *buf;
	int dfd, fd, err;

	if (!img->portable || !fits_cpus(img))
		return -ENOTSUP;
	err = max_bytes(&max, why, len);
	if (!err)
		err = cache_dir(dir, sizeof(dir));
	if (!err)
		err = mkdirs(dir);
	if (err)
		return err;
	dfd = cache_trust_open_dir(dir, why, len);
	if (dfd < 0)
		return dfd;
	err = image_serialize(img, key, &buf, &size);
	if (err)
		goto out;
	entry_name(key, name);
	snprintf(tmp, sizeof(tmp), "%s.%d.%u.tmp", name, (int)getpid(), seq++);
	/* O_EXCL: never write through a file or link someone else put there */
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		free(buf);
		goto out;
	}
	err = write_all(fd, buf, size);
	free(buf);
	if (close(fd) && !err)
		err = -errno;
	if (!err && renameat(dfd, tmp, dfd, name))
		err = -errno;
	if (err)
		unlinkat(dfd, tmp, 0);
	else
		evict(dfd, name, max);
out:
	close(dfd);
	return err;
}
