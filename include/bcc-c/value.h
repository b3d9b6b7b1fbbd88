/* The values a BPF program keeps in its tables, decoded by the C type
 * libbcc describes for a table's key or leaf (tracer__key_desc(),
 * tracer__leaf_desc()): integers, char[] text, arrays, structs and unions,
 * laid out as clang lays them out. The printer is the one bcc-run uses for
 * tables and events. */
#ifndef BCC_C_VALUE_H
#define BCC_C_VALUE_H

#include "api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

BCC_C_BEGIN_DECLS

/* A described C type; opaque. */
struct value_type;

/* Parses libbcc's description desc into *out (free with
 * value_type__free()). Returns 0, -EINVAL for a description that does not
 * parse, -ENOTSUP for a type it cannot lay out (a bitfield, a float),
 * -E2BIG for one over 16 MiB or nested over 32 deep, or -ENOMEM. */
BCC_C_API int value_type__parse(const char *desc, struct value_type **out);

/* The size of the type in bytes: what value_type__print() reads. */
BCC_C_API size_t value_type__size(const struct value_type *t);

/* The integer at data, or (member non-NULL) in its top-level member of
 * that name, sign-extended for a signed type (the low 64 bits of a 16-byte
 * one) into *out. Returns 0, -ENOENT for no such member, or -EINVAL when
 * it is not an integer. */
BCC_C_API int value_type__uint(const struct value_type *t, const void *data,
			       const char *member, unsigned long long *out);

/* Writes the value at data (value_type__size() bytes) to out: integers in
 * decimal, char[] as a quoted, escaped string, arrays as [a, b], structs
 * as {name=value, ...}; with json, as a JSON value (an object for a
 * struct). No newline. */
BCC_C_API void value_type__print(const struct value_type *t, const void *data, bool json,
				 FILE *out);

/* Frees t; NULL is allowed. */
BCC_C_API void value_type__free(struct value_type *t);

BCC_C_END_DECLS

#endif
