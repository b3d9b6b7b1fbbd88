/* What this kernel and host can do, each answer with its evidence: for a
 * "no", the reason and what to do about it. Nothing here needs libbcc's
 * compiler. */
#ifndef BCC_C_FEATURE_H
#define BCC_C_FEATURE_H

#include "api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

BCC_C_BEGIN_DECLS

/* Each feature_ function fills f: ok, and detail, one sentence for the user. */
struct feature {
	bool ok;
	char detail[512]; /* yes: where it was found; no: why, and the fix */
};

/* tracefs mounted (at /sys/kernel/tracing or /sys/kernel/debug/tracing). */
BCC_C_API void feature_tracefs(struct feature *f);
/* kprobe PMU or kprobe_events present (CONFIG_KPROBES). */
BCC_C_API void feature_kprobes(struct feature *f);
/* uprobe PMU or uprobe_events present (CONFIG_UPROBE_EVENTS). */
BCC_C_API void feature_uprobes(struct feature *f);
/* The kernel's BTF, /sys/kernel/btf/vmlinux. */
BCC_C_API void feature_btf(struct feature *f);
/* The tracepoint events tracefs lists (sched:sched_switch as the witness). */
BCC_C_API void feature_tracepoints(struct feature *f);
/* Loads and attaches a minimal raw tracepoint program on sched_switch. */
BCC_C_API void feature_raw_tracepoints(struct feature *f);
/* Root, or the capabilities that loading BPF tracing programs needs. */
BCC_C_API void feature_privileges(struct feature *f);
/* Loads and attaches a minimal fentry program: the only honest answer,
 * since BTF and the trampoline symbol can exist while the load is refused. */
BCC_C_API void feature_kfunc(struct feature *f);
/* The headers libbcc will compile against, found as libbcc looks for them
 * (BCC_KERNEL_SOURCE, else /lib/modules/$(uname -r)/source or build);
 * detail names the directory and the headers' release. */
BCC_C_API void feature_headers(struct feature *f);
/* The same search: kpath, where libbcc runs clang (BCC_KERNEL_SOURCE, else
 * /lib/modules/$(uname -r)/source when it and build/ exist, else build/),
 * and build, the tree holding include/generated; buffers of len bytes. */
BCC_C_API void feature_headers_dirs(char *kpath, char *build, size_t len);

/* Whether a BPF text reads kernel structs, judged from its #include lines:
 * it includes a header other than uapi/... (the user-kernel ABI, the same
 * layout on every release) and bcc/... (libbcc's own). The first such
 * header goes into header (size bytes). */
BCC_C_API bool feature_text_reads_kernel_structs(const char *text, char *header, size_t size);

/* When text reads kernel structs and the headers libbcc compiles against
 * are another release than the running kernel: one line for the user in
 * msg, naming both releases and the risk, and true. */
BCC_C_API bool feature_headers_warning(const char *text, char *msg, size_t len);

/* Prints every check above, one line each: "<name>: yes|no: <detail>",
 * then which uapi bpf.h compiles use and why (compat.h) and the libbcc
 * version this was built with.
 * Returns the number of checks that said no. */
BCC_C_API int feature_report(FILE *out);

BCC_C_END_DECLS

#endif
