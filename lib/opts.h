/* The check of an options struct of the API (BCC_C_OPTS in api.h): what a
 * function reads of a caller's options, and whether it may. */
#ifndef BCC_C_OPTS_H
#define BCC_C_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* True when OPTS (whose first member is size_t sz) is NULL, or its bytes
 * past KNOWN, the size of the struct this library was built with, up to
 * opts->sz are all zero: a newer caller asked for nothing this library
 * cannot do. A sz smaller than a size_t is refused. */
static inline bool opts__valid(const void *opts, size_t known)
{
	const unsigned char *p = opts;
	size_t sz, i;

	if (!opts)
		return true;
	sz = *(const size_t *)opts;
	if (sz < sizeof(size_t))
		return false;
	for (i = known; i < sz; i++)
		if (p[i])
			return false;
	return true;
}

/* OPTS->FIELD when the caller's struct is long enough to hold it, else
 * DEF (an older caller, or no options). */
#define OPTS_GET(opts, field, def)                                            \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) +        \
				   sizeof((opts)->field) ? (opts)->field : (def))

/* The caller's OPTS as a struct of this library's size KNOWN, into DST:
 * the fields an older caller's struct lacks are zero, and DST's sz is
 * KNOWN. The functions whose struct is required (not options) copy it in
 * first, so that the rest of them reads plain fields. False, and DST all
 * zero, when OPTS is NULL or not opts__valid(). */
static inline bool opts__copy(void *dst, size_t known, const void *opts)
{
	size_t sz = opts ? *(const size_t *)opts : 0;

	memset(dst, 0, known);
	if (!opts || !opts__valid(opts, known))
		return false;
	memcpy(dst, opts, sz < known ? sz : known);
	*(size_t *)dst = known;
	return true;
}

/* Why opts__copy() refused OPTS, for a message "cannot ...: %s". */
static inline const char *opts__refusal(const void *opts)
{
	if (!opts)
		return "no options struct (NULL)";
	if (*(const size_t *)opts < sizeof(size_t))
		return "its options struct has no size (declare it with BCC_C_OPTS)";
	return "its options struct sets fields this libbcc-c does not know (the program was "
	       "built against newer headers than the library it runs with)";
}

#endif
