/* bcc's naming rules, as pure functions (no kernel access) so they are
 * unit-tested: which function names auto-attach to what, the syscall
 * prefix fix-up, and the event names given to probes. */
#ifndef BCC_C_PROBE_NAMES_H
#define BCC_C_PROBE_NAMES_H

#include "api.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

BCC_C_BEGIN_DECLS

enum probe_kind {
	PROBE_NONE = 0,      /* not an auto-attach name */
	PROBE_KPROBE,
	PROBE_KRETPROBE,
	PROBE_TRACEPOINT,
	PROBE_RAW_TRACEPOINT,
	PROBE_KFUNC,
	PROBE_KRETFUNC,
	PROBE_UPROBE,        /* never from a name: explicit attach only */
	PROBE_URETPROBE,
};

/* "kprobe", "kretprobe", ... for messages. */
BCC_C_API const char *probe_kind_str(enum probe_kind kind);

/* What a BPF function called fn_name attaches to, following bcc's
 * _trace_autoload(): kprobe__X, kretprobe__X, tracepoint__CAT__EVENT,
 * raw_tracepoint__X, kfunc__X, kretfunc__X. The target (X, or "CAT:EVENT"
 * for tracepoints) is written to target. Returns the kind, PROBE_NONE for
 * other names. */
BCC_C_API enum probe_kind probe_names_classify(const char *fn_name, char *target, size_t len);

/* bcc's fix_syscall_fnname(): a name starting with a known syscall prefix
 * ("sys_", "__x64_sys_", ...) gets this kernel's prefix instead. prefix is
 * the kernel's own ("__x64_sys_" here). Returns 0, or -ENAMETOOLONG. */
BCC_C_API int probe_names_fix_syscall(const char *name, const char *prefix, char *out, size_t len);

/* True when name starts with one of the prefixes below. */
BCC_C_API int probe_names_is_syscall(const char *name);

/* The prefixes bcc knows, NULL-terminated, most generic first. */
extern BCC_C_API const char *const probe_names_syscall_prefixes[];

/* Event name for a probe: "p_tcp_v4_connect", "r_...", or for uprobes
 * "p_<path with non-alnum as _>_0x<addr>[_<pid>]", as bcc names them. */
BCC_C_API int probe_names_event(enum probe_kind kind, const char *target, uint64_t addr, pid_t pid,
				char *out, size_t len);

BCC_C_END_DECLS

#endif
