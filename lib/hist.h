/* Log2 histograms as bcc's print_log2_hist() prints them: the printers
 * are public (histogram.h); their JSON form is bcc-run's own. */
#ifndef BCC_C_HIST_H
#define BCC_C_HIST_H

#include "histogram.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Slots printed at most: slots from HIST_MAX_SLOTS on are left out. A log2
 * of a u64 is at most 64 (bcc-run reads 128 slots at most). */
#define HIST_MAX_SLOTS 1024

/* hist__print_log2()'s buckets as a JSON array of {"low":L,"high":H,"count":C}. */
void hist_json_log2(FILE *out, const uint64_t *vals, size_t n);

#endif
