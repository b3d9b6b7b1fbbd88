/* IFUNC symbols (STT_GNU_IFUNC): glibc's strlen, memcpy, strcmp, ... are
 * not code but resolvers, which the dynamic linker runs once per process
 * to pick the implementation this CPU supports. A uprobe at such a symbol
 * fires only while the linker resolves it; one that should see the calls
 * must go where the resolver points. */
#ifndef BCC_C_IFUNC_H
#define BCC_C_IFUNC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Whether sym in the ELF file at path is an IFUNC (any version of it:
 * memcpy@GLIBC_2.2.5 is plain code, memcpy@@GLIBC_2.14, the one programs
 * link, an IFUNC). pid as for uprobe_target_symbol(). Returns 1, 0, or
 * -ENOEXEC when path is not an ELF file. */
int ifunc_check(const char *path, const char *sym, pid_t pid);

/* The implementation the default version of IFUNC sym in the shared
 * library at path resolves to on this host, as a virtual address of the
 * file (as nm prints addresses). Finding it runs the library's code (its
 * resolver, its constructors and those of what it links), so it runs only
 * for a library that no one but root can change, nor anything it loads
 * (see ifunc_trust.h), and only in a short-lived child that has given up
 * root, every capability and most system calls first (ifunc_sandbox.h):
 * nothing of the library is loaded here. Returns 0, or a negative errno
 * with the reason in why (len bytes): -EPERM: the library, a directory
 * above it or a library it loads can be changed by a user other than root
 * (why names it and the fix); -ENOEXEC: the file cannot be loaded with
 * dlopen (a program rather than a library, another architecture);
 * -ENOENT: no such symbol; -EXDEV: the implementation lies in another
 * file; -ETIMEDOUT, -ECHILD: the child took too long or died; -EINTR: a
 * signal came while waiting (the tracer is being stopped). */
int ifunc_resolve(const char *path, const char *sym, uint64_t *vaddr, char *why, size_t len);

#endif
