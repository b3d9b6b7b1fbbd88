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

#endif
