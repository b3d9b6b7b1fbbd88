/* Where a uprobe goes: the file a user-given name stands for, and the
 * offset of a symbol in it. */
#ifndef BCC_C_UPROBE_TARGET_H
#define BCC_C_UPROBE_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Resolves name to a file path, as bcc does and a little more:
 *  - a name containing '/' is a path, used as given;
 *  - otherwise a library short name ("c" -> libc.so.6), looked up in the
 *    maps of pid when pid > 0, else in the linker cache;
 *  - otherwise a program on PATH ("bash" -> /usr/bin/bash).
 * Returns 0, -ENOENT when nothing matches, -ENAMETOOLONG. */
int uprobe_target_resolve(const char *name, pid_t pid, char *path, size_t len);

/* Whether process pid maps the file at path (compared by real path).
 * Returns 1, 0, or a negative errno (-ESRCH: no such process). */
int uprobe_target_mapped(const char *path, pid_t pid);

/* Offset of symbol sym in the ELF file at path, for bpf_attach_uprobe.
 * Returns 0, -ENOEXEC when path is not an ELF executable or library,
 * -ENOENT when sym is not found in it. */
int uprobe_target_symbol(const char *path, const char *sym, pid_t pid, uint64_t *offset);

/* Offset in the ELF file at path of the virtual address vaddr (as nm and
 * objdump print addresses), converted as bcc's attach_uprobe(addr=) does,
 * through the program headers. Returns 0, -ENOEXEC when path is not an ELF
 * executable or library, -EFAULT when vaddr lies in no executable segment
 * (PT_LOAD with PF_X). */
int uprobe_target_addr(const char *path, uint64_t vaddr, pid_t pid, uint64_t *offset);

/* The name of a function symbol that starts at vaddr in path, from its
 * symbol tables or its separate debug file, copied into name (len bytes).
 * Returns 0, or -ENOENT when there is none (a stripped library). */
int uprobe_target_name(const char *path, uint64_t vaddr, char *name, size_t len);

#endif
