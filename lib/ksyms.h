/* Kernel symbol look-ups in /proc/kallsyms. */
#ifndef BCC_C_KSYMS_H
#define BCC_C_KSYMS_H

#include <stddef.h>

/* Returns 1 when name is a kernel symbol, 0 when not, or a negative errno
 * when /proc/kallsyms cannot be read. */
int ksyms_exists(const char *name);

/* This kernel's syscall prefix ("__x64_sys_" on x86_64), found as bcc does
 * by looking for "<prefix>bpf"; "sys_" when none matches. Cached. */
const char *ksyms_syscall_prefix(void);

/* Kernel functions with names close to name, "a, b, c" into buf ("" when
 * none), for "did you mean" hints. */
void ksyms_suggest(const char *name, char *buf, size_t len);

#endif
