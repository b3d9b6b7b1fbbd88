/* Which uapi linux/bpf.h a compile sees: libbcc's own copy, or the kernel
 * headers' own when theirs is newer. libbcc 0.26 force-includes its copy
 * under the kernel's include guard, so kernel headers newer than that copy
 * meet old uapi types: on 6.12, include/linux/bpf.h fails with "sizeof ...
 * incomplete type 'struct bpf_wq'" and struct bpf_list_node has libbcc's
 * 16 bytes instead of the kernel's 24 (bcc #4575, #4866, #5231, ...).
 * compat.c says how the headers' copy is made to win. */
#ifndef BCC_C_COMPAT_H
#define BCC_C_COMPAT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct compat {
	bool headers_win;     /* the headers' uapi bpf.h replaces libbcc's */
	char kpath[PATH_MAX]; /* the headers tree clang runs in, as libbcc finds it */
	char uapi[PATH_MAX];  /* its include/uapi/linux/bpf.h */
	char detail[512];     /* which copy is used and why (bcc-run --features) */
};

/* Decides for the headers libbcc will compile against. Never fails: when
 * in doubt (no headers, an unreadable file, copies that each declare
 * names the other lacks) libbcc's copy stays, as without bcc-c, and
 * detail says why. */
void compat_detect(struct compat *c);

/* How a uapi bpf.h (text[0..len)) compares with libbcc's copy, given as
 * its sorted, unique names (compat_libbcc_names): how many of those names
 * text lacks, how many names text has beyond them, and the first few of
 * each ("a, b, c"). Returns 0 or -ENOMEM. */
struct compat_cmp {
	size_t missing, extra;
	char missing_eg[128], extra_eg[128];
};
int compat_compare(const char *text, size_t len, const char *const *names, size_t nnames,
		   struct compat_cmp *out);

/* The clang flags that carry the choice into a compile: none when
 * libbcc's copy is used, else "-ivfsoverlay /proc/self/fd/N". The files
 * behind them are memfds of this process, released by compat_flags_close(). */
struct compat_flags {
	const char *argv[2];
	size_t argc;
	int fds[2];           /* -1 when not open */
	char overlay[32];     /* "/proc/self/fd/N" */
};
/* Returns 0 or a negative errno (memfd_create or write failed, or a
 * headers path YAML cannot quote); call compat_flags_close() after it
 * whatever it returned. */
int compat_flags_open(const struct compat *c, struct compat_flags *f);
void compat_flags_close(struct compat_flags *f);

/* libbcc's copy, as the build read it from libbcc.so (generated). */
extern const char *const compat_libbcc_names[];
extern const size_t compat_libbcc_nnames;

#endif
