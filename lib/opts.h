/* The check of an options struct of the API (BCC_C_OPTS in api.h): what a
 * function reads of a caller's options, and whether it may. */
#ifndef BCC_C_OPTS_H
#define BCC_C_OPTS_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
