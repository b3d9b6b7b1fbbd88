/* The names a uapi linux/bpf.h declares, so two copies of that file can
 * be compared without a compiler: libbcc's own copy (read from libbcc.so
 * at build time) and the kernel headers' (read at run time). */
#ifndef BCC_C_UAPI_NAMES_H
#define BCC_C_UAPI_NAMES_H

#include <stddef.h>

/* Calls fn(name, len, ctx) for each name text[0..len) declares, found line
 * by line as the kernel writes that file (one declaration a line): struct,
 * union and enum tags ("struct bpf_wq {"), enumerators (an indented line
 * holding NAME, or NAME = VALUE, then a comma or a comment) and macros
 * ("#define NAME"). A name may be reported more than once. Stops at the
 * first fn that returns non-zero and returns that value; else 0. */
int uapi_names_scan(const char *text, size_t len,
		    int (*fn)(const char *name, size_t len, void *ctx), void *ctx);

#endif
