/* Build step: libbcc_uapi_names LIBBCC_SO OUT.c
 * Writes the sorted names that libbcc's own copy of uapi linux/bpf.h
 * declares (compat/linux/virtual_bpf.h, which libbcc.so holds as a string
 * and force-includes in every compile) as a C array for common/compat.c.
 * Debian ships that copy only inside libbcc.so, so it is read from there.
 * A libbcc without it gives an empty list: then the headers' copy never
 * replaces libbcc's (compat.c says why). */
#include "uapi_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#define GUARD "_UAPI__LINUX_BPF_H__"
#define HEAD "#ifndef " GUARD "\n#define " GUARD "\n"
#define TAIL "#endif /* " GUARD " */"

struct names {
	char **v;
	size_t n, cap;
};

static int add(const char *name, size_t len, void *ctx)
{
	struct names *ns = ctx;

	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 512;
		ns->v = realloc(ns->v, ns->cap * sizeof(*ns->v));
		if (!ns->v)
			return -1;
	}
	ns->v[ns->n] = strndup(name, len);
	return ns->v[ns->n++] ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	struct names ns = { 0 };
	const char *lib, *head = NULL, *tail = NULL;
	struct stat st;
	size_t n;
	FILE *out;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s LIBBCC_SO OUT.c\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 1;
	}
	lib = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (lib == MAP_FAILED) {
		perror(argv[1]);
		return 1;
	}
	head = memmem(lib, st.st_size, HEAD, strlen(HEAD));
	if (head)
		tail = memmem(head, st.st_size - (head - lib), TAIL, strlen(TAIL));
	if (!tail)
		fprintf(stderr, "warning: %s holds no copy of uapi linux/bpf.h (guard " GUARD
			"): kernel headers newer than libbcc will not be used for it\n", argv[1]);
	else if (uapi_names_scan(head, tail - head, add, &ns)) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 1;
	}
	qsort(ns.v, ns.n, sizeof(*ns.v), cmp);
	n = 0;
	for (size_t i = 0; i < ns.n; i++)
		if (!n || strcmp(ns.v[i], ns.v[n - 1]))
			ns.v[n++] = ns.v[i];

	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	fprintf(out, "/* generated from %s by cmake/libbcc_uapi_names.c: do not edit */\n"
		     "#include \"compat.h\"\n\nconst char *const compat_libbcc_names[] = {\n",
		argv[1]);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "\t\"%s\",\n", ns.v[i]);
	/* never an empty initializer */
	fprintf(out, "\tNULL\n};\nconst size_t compat_libbcc_nnames = %zu;\n", n);
	return fclose(out) ? 1 : 0;
}
