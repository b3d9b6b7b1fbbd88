/* How the headers' uapi linux/bpf.h is made to win, from libbcc 0.26's
 * source (src/cc/frontends/clang/loader.cc and kbuild_helper.cc): clang
 * runs with the headers tree as its working directory and includes, in
 * this order, "./include/linux/kconfig.h" (a file of the headers, relative
 * to that directory), libbcc's copy of uapi bpf.h ("/virtual/include/bcc/
 * bpf.h", its compat/linux/virtual_bpf.h, guarded by the kernel's own
 * _UAPI__LINUX_BPF_H__), bpf_workaround.h, helpers.h, and only then the
 * cflags we pass. So our own -include comes too late, and a header adding
 * only the missing types cannot fix the sizes of types libbcc's copy
 * already defined (struct bpf_list_node). kconfig.h is the one file read
 * before libbcc's copy, and libbcc passes our cflags on to clang: with
 * -ivfsoverlay, clang reads a two-line wrapper in place of the headers'
 * include/linux/kconfig.h, which includes the real kconfig.h and then the
 * headers' include/uapi/linux/bpf.h. That defines the guard, so libbcc's
 * copy compiles to nothing and every type comes from the headers.
 *
 * Nothing on disk changes, and every include path and flag stays as
 * libbcc sets them (an overlay copy of the headers tree would have to be
 * given as BCC_KERNEL_SOURCE, which changes libbcc's include paths and
 * loses the build/ half of Debian's split headers). The overlay and the
 * wrapper live in memfds of the compiling process: no file another user
 * could edit between our write and clang's read, none left behind.
 *
 * "Newer" is decided by names, since neither copy carries a version and
 * the release says little (6.1.192's copy has backported names 0.26's
 * lacks, and lacks bpf_list_node, which 0.26's has): the headers' copy
 * wins when it declares every name libbcc's declares and more. Then the
 * helpers libbcc's own headers use are all there; when each copy lacks
 * names of the other, libbcc's stays, which is what happens without
 * bcc-c. */
#include "compat.h"

#include "headers.h"
#include "uapi_names.h"

#include <bcc/bcc_version.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path the wrapper includes the real kconfig.h by: the overlay maps
 * it to the real file, which the wrapper's own path cannot reach. */
#define REAL_KCONFIG "/bcc-c-compat/kernel-kconfig.h"

struct span {
	const char *p;
	size_t len;
};

struct scan {
	const char *const *names;
	size_t nnames;
	bool *seen;
	struct span *extra;
	size_t nextra, cap;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int name_cmp(const void *key, const void *elem)
{
	const struct span *k = key;
	const char *name = *(const char *const *)elem;
	int c = strncmp(k->p, name, k->len);

	return c ? c : -(name[k->len] != '\0');
}

static int on_name(const char *name, size_t len, void *ctx)
{
	struct scan *s = ctx;
	struct span key = { name, len };
	const char *const *hit = bsearch(&key, s->names, s->nnames, sizeof(*s->names), name_cmp);

	if (hit) {
		s->seen[hit - s->names] = true;
		return 0;
	}
	if (s->nextra == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct span *e = realloc(s->extra, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		s->extra = e;
		s->cap = cap;
	}
	s->extra[s->nextra++] = key;
	return 0;
}

/* Appends name to the "a, b, c" list in buf, up to 3 names. */
static void example(char *buf, size_t size, size_t *count, const char *name, int len)
{
	size_t used = strlen(buf);

	if ((*count)++ < 3)
		snprintf(buf + used, size - used, "%s%.*s", used ? ", " : "", len, name);
}

int compat_compare(const char *text, size_t len, const char *const *names, size_t nnames,
		   struct compat_cmp *out)
{
	struct scan s = { .names = names, .nnames = nnames };
	int err;

	memset(out, 0, sizeof(*out));
	s.seen = calloc(nnames ? nnames : 1, sizeof(*s.seen));
	if (!s.seen)
		return -ENOMEM;
	err = uapi_names_scan(text, len, on_name, &s);
	if (!err) {
		for (size_t i = 0; i < nnames; i++)
			if (!s.seen[i])
				example(out->missing_eg, sizeof(out->missing_eg), &out->missing,
					names[i], (int)strlen(names[i]));
		/* a name can be declared twice (#ifdef branches): count it once */
		if (s.nextra)
			qsort(s.extra, s.nextra, sizeof(*s.extra), span_cmp);
		for (size_t i = 0; i < s.nextra; i++)
			if (!i || span_cmp(&s.extra[i], &s.extra[i - 1]))
				example(out->extra_eg, sizeof(out->extra_eg), &out->extra,
					s.extra[i].p, (int)s.extra[i].len);
	}
	free(s.extra);
	free(s.seen);
	return err;
}

/* The file at path mapped whole (read-only): *len bytes at *buf, to be
 * unmapped; a copy would cost more than the scan. */
static int map_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = -errno;
	else if (!S_ISREG(st.st_mode) || st.st_size == 0 || st.st_size > (16 << 20))
		err = -EINVAL;
	else if ((*buf = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		err = -errno;
	close(fd);
	*len = err ? 0 : (size_t)st.st_size;
	return err;
}

void compat_detect(struct compat *c)
{
	struct compat_cmp cmp;
	struct headers h;
	char *text = NULL;
	size_t len;
	int err;

	memset(c, 0, sizeof(*c));
	headers_find(&h);
	snprintf(c->kpath, sizeof(c->kpath), "%s", h.kpath);
	snprintf(c->uapi, sizeof(c->uapi), "%s", h.uapi);
	if (!compat_libbcc_nnames) {
		snprintf(c->detail, sizeof(c->detail), "libbcc %s's own copy: the build found no "
			 "copy in libbcc.so to compare the headers' with", LIBBCC_VERSION);
		return;
	}
	err = map_file(c->uapi, &text, &len);
	if (err) {
		snprintf(c->detail, sizeof(c->detail), "libbcc %s's own copy: cannot read the "
			 "headers' %s: %s", LIBBCC_VERSION, c->uapi, strerror(-err));
		return;
	}
	err = compat_compare(text, len, compat_libbcc_names, compat_libbcc_nnames, &cmp);
	munmap(text, len);
	if (err)
		snprintf(c->detail, sizeof(c->detail), "libbcc %s's own copy: cannot compare the "
			 "headers' %s with it: %s", LIBBCC_VERSION, c->uapi, strerror(-err));
	else if (cmp.missing)
		snprintf(c->detail, sizeof(c->detail), "libbcc %s's own copy: the headers' %s "
			 "lacks %zu of its names (%s)", LIBBCC_VERSION, c->uapi, cmp.missing,
			 cmp.missing_eg);
	else if (!cmp.extra)
		snprintf(c->detail, sizeof(c->detail), "libbcc %s's own copy: the headers' %s "
			 "declares nothing it lacks", LIBBCC_VERSION, c->uapi);
	else {
		c->headers_win = true;
		snprintf(c->detail, sizeof(c->detail), "the headers' %s: it is newer than libbcc "
			 "%s's copy (it declares all %zu of that copy's names and %zu more: %s, "
			 "...), so it is included first and libbcc's is skipped", c->uapi,
			 LIBBCC_VERSION, compat_libbcc_nnames, cmp.extra, cmp.extra_eg);
	}
}

/* A memfd holding s; returns the fd or a negative errno. */
static int memfd_with(const char *name, const char *s)
{
	size_t len = strlen(s);
	int fd = memfd_create(name, MFD_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	if (write(fd, s, len) != (ssize_t)len) {
		err = errno ? -errno : -EIO;
		close(fd);
		return err;
	}
	return fd;
}

int compat_flags_open(const struct compat *c, struct compat_flags *f)
{
	char real[PATH_MAX], cwd[PATH_MAX], *text = NULL;
	const char *pwd = getenv("PWD");
	FILE *m;
	size_t len;
	int err = 0;

	memset(f, 0, sizeof(*f));
	f->fds[0] = f->fds[1] = -1;
	if (!c->headers_win)
		return 0;
	if (!realpath(c->kpath, real))
		return -errno;
	/* the overlay quotes paths in '...' */
	if (strpbrk(real, "'\\\n") || strpbrk(c->kpath, "'\\\n"))
		return -EINVAL;

	if (asprintf(&text, "#include \"" REAL_KCONFIG "\"\n#include \"%s\"\n", c->uapi) < 0)
		return -ENOMEM;
	f->fds[0] = memfd_with("bcc-c-kconfig", text);
	free(text);
	if (f->fds[0] < 0)
		return f->fds[0];

	/* clang names libbcc's "./include/linux/kconfig.h" from its working
	 * directory: the real path libbcc changed to, or $PWD when that is the
	 * same directory (LLVM prefers it then); kpath as libbcc names it is
	 * mapped too, for "#include <linux/kconfig.h>" through -I paths */
	m = open_memstream(&text, &len);
	if (!m)
		return -ENOMEM;
	fprintf(m, "{ 'version': 0, 'roots': [\n");
	fprintf(m, "  { 'name': '%s/include/linux/kconfig.h', 'type': 'file', "
		   "'external-contents': '/proc/self/fd/%d' },\n", real, f->fds[0]);
	if (strcmp(real, c->kpath))
		fprintf(m, "  { 'name': '%s/include/linux/kconfig.h', 'type': 'file', "
			   "'external-contents': '/proc/self/fd/%d' },\n", c->kpath, f->fds[0]);
	if (pwd && pwd[0] == '/' && !strpbrk(pwd, "'\\\n") && realpath(pwd, cwd) &&
	    !strcmp(cwd, real) && strcmp(pwd, real) && strcmp(pwd, c->kpath))
		fprintf(m, "  { 'name': '%s/include/linux/kconfig.h', 'type': 'file', "
			   "'external-contents': '/proc/self/fd/%d' },\n", pwd, f->fds[0]);
	fprintf(m, "  { 'name': '" REAL_KCONFIG "', 'type': 'file', "
		   "'external-contents': '%s/include/linux/kconfig.h' }\n] }\n", real);
	if (fclose(m))
		err = -ENOMEM;
	f->fds[1] = err ? -1 : memfd_with("bcc-c-overlay", text);
	free(text);
	if (err || f->fds[1] < 0)
		return err ? err : f->fds[1];
	snprintf(f->overlay, sizeof(f->overlay), "/proc/self/fd/%d", f->fds[1]);
	f->argv[0] = "-ivfsoverlay";
	f->argv[1] = f->overlay;
	f->argc = 2;
	return 0;
}

void compat_flags_close(struct compat_flags *f)
{
	for (int i = 0; i < 2; i++)
		if (f->fds[i] >= 0)
			close(f->fds[i]);
	f->fds[0] = f->fds[1] = -1;
	f->argc = 0;
}
