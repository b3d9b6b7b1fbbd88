/* Histograms as bcc's Python prints them (print_log2_hist(),
 * print_linear_hist()), from an array of counts a tool read out of a
 * table: vals[i] is the count of slot i. */
#ifndef BCC_C_HISTOGRAM_H
#define BCC_C_HISTOGRAM_H

#include "api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

BCC_C_BEGIN_DECLS

/* A log2 histogram: vals[i] counts the values v with bpf_log2l(v) == i,
 * v in [2^(i-1), 2^i - 1] (slot 1 also holds 0), under a header naming
 * val_type ("usecs", "bytes"). A count in slot 0, which bcc leaves out,
 * is printed on a line of its own before the buckets ("slot 0 (not log2)
 * : N"); slots from 1024 on are left out. Prints nothing when all are
 * zero. */
BCC_C_API void hist__print_log2(FILE *out, const uint64_t *vals, size_t n,
				const char *val_type);

/* A linear histogram: vals[i] counts the values equal to i (bcc's
 * print_linear_hist(), whose buckets are the keys themselves), from slot
 * 0 to the last non-zero one, under a header naming val_type. With
 * strip_leading_zero, the zero counts before the first non-zero one are
 * left out. Prints nothing when all are zero. */
BCC_C_API void hist__print_linear(FILE *out, const uint64_t *vals, size_t n,
				  const char *val_type, bool strip_leading_zero);

BCC_C_END_DECLS

#endif
