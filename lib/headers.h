/* Where the kernel headers libbcc compiles against are, found as libbcc
 * looks for them: BCC_KERNEL_SOURCE, else /lib/modules/$(uname -r)/source
 * when it and build/ exist, else build/. The one search that feature.c
 * (what --features reports), compat.c (which uapi bpf.h wins) and cache.c
 * (what a compile's key stamps) share. */
#ifndef BCC_C_HEADERS_H
#define BCC_C_HEADERS_H

#include <limits.h>

struct headers {
	const char *env;         /* BCC_KERNEL_SOURCE, or NULL */
	char kpath[PATH_MAX];    /* where libbcc runs clang */
	char build[PATH_MAX];    /* the tree holding include/generated */
	char source[PATH_MAX];   /* env, or /lib/modules/$(uname -r)/source */
	char release[256];       /* the running kernel's, uname -r */
	char headers_release[256]; /* UTS_RELEASE of build/, or "" */
	char uapi[PATH_MAX];     /* kpath's include/uapi/linux/bpf.h, kpath resolved */
};

/* Fills *h; never fails (a missing tree leaves its paths as named and
 * headers_release empty). */
void headers_find(struct headers *h);

#endif
