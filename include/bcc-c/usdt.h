/* USDT probes, as bcc's USDT class enables them: libbcc's bcc_usdt_*
 * (in libbcc_bpf.so, no compiler needed) finds a probe in a binary or a
 * process, describes its arguments and lists the uprobes that carry it.
 * The bpf_usdt_readarg() code for the arguments (libbcc's for a process,
 * ours for a path, where libbcc 0.26 writes none for a probe with a
 * semaphore) is prepended to the BPF text before the compile, so the
 * compile cache's key covers it; then usdt__attach() attaches the uprobes. */
#ifndef BCC_C_USDT_H
#define BCC_C_USDT_H

#include "api.h"

#include <stddef.h>
#include <sys/types.h>

BCC_C_BEGIN_DECLS

struct tracer;

/* One --usdt PATH|PID:[PROVIDER:]PROBE:FN. */
struct usdt_spec {
	char target[4096]; /* a binary or library path; "" when pid is set */
	pid_t pid;         /* a process: its binary and libraries are searched */
	char provider[256]; /* "" when not given: any provider */
	char probe[256];
	char fn[256];      /* the BPF function run at the probe */
};

/* Returns 0, or -EINVAL with a reason in why (a static string). FN,
 * PROVIDER and PROBE must be C identifiers: FN is pasted into the
 * argument code (usdt__open() refuses a spec filled in by hand that is
 * not). */
BCC_C_API int usdt_spec_parse(const char *s, struct usdt_spec *out, const char **why);

struct usdt;

/* Finds and enables the probes of specs[0..n-1]; for a process, libbcc
 * sets their semaphores now (and clears them in usdt__free()); for a
 * path, the kernel sets them once usdt__attach() has run. Returns 0
 * with *out set (free it with usdt__free()), or a negative errno with one
 * paragraph saying why in errmsg. */
BCC_C_API int usdt__open(const struct usdt_spec *specs, size_t n, struct usdt **out, char *errmsg,
			 size_t len);

/* The bpf_usdt_readarg() code to put before the text; owned by u. */
BCC_C_API const char *usdt__argcode(const struct usdt *u);

/* Attaches a uprobe running each spec's FN at every location of its
 * probe. For a binary, a probe guarded by a semaphore gets a uprobe with a
 * reference counter (ref_ctr_offset): the kernel sets the semaphore in
 * every process that maps the binary while the uprobe exists, those
 * started later too. Returns 0 or a negative errno
 * (tracer__errmsg() says why). */
BCC_C_API int usdt__attach(struct usdt *u, struct tracer *t);

/* Accepts NULL. */
BCC_C_API void usdt__free(struct usdt *u);

BCC_C_END_DECLS

#endif
