/* Log2 histograms as bcc's print_log2_hist() prints them. */
#ifndef BCC_C_HIST_H
#define BCC_C_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Slots printed at most: slots from HIST_MAX_SLOTS on are left out. A log2
 * of a u64 is at most 64 (bcc-run reads 128 slots at most). */
#define HIST_MAX_SLOTS 1024

/* vals[i] counts the values v with bpf_log2l(v) == i, i.e. v in
 * [2^(i-1), 2^i - 1] (bucket 1 also holds 0); bounds beyond 2^64 are
 * printed exactly, as bcc's Python does. A count in slot 0, which bcc
 * leaves out, is printed on a line of its own before the buckets ("slot 0
 * (not log2) : N"). Prints nothing when all are zero. */
void hist_print_log2(FILE *out, const uint64_t *vals, size_t n, const char *val_type);

/* The same buckets as a JSON array of {"low":L,"high":H,"count":C}. */
void hist_json_log2(FILE *out, const uint64_t *vals, size_t n);

#endif
