/* BCC_C_API marks what libbcc-c.so exports. The library is built with
 * -fvisibility=hidden, so every function of include/bcc-c/ carries it and
 * nothing else is reachable from a program linked against the library. */
#ifndef BCC_C_API_H
#define BCC_C_API_H

#define BCC_C_API __attribute__((visibility("default")))

/* The headers declare C functions for C++ programs too. */
#ifdef __cplusplus
#define BCC_C_BEGIN_DECLS extern "C" {
#define BCC_C_END_DECLS }
#else
#define BCC_C_BEGIN_DECLS
#define BCC_C_END_DECLS
#endif

/* An options struct of the API starts with "size_t sz", its size as the
 * caller was built with, so that a later library can add fields at its end
 * and still run programs built against an older header (libbpf's OPTS).
 * Declare one with BCC_C_OPTS(type, name, .field = value, ...): the fields
 * the caller does not name are zero, sz is set. A NULL options pointer
 * means all defaults. The library refuses with -EINVAL a struct larger
 * than it knows when one of the bytes it does not know is not zero. */
#define BCC_C_OPTS(TYPE, NAME, ...) \
	struct TYPE NAME = { .sz = sizeof(struct TYPE), __VA_ARGS__ }

#endif
