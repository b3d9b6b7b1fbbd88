/* The series one scrape keeps of a table, read from the kernel: the store
 * that bounds a scrape by --metrics-max-series rather than by the table's
 * size times the CPUs, and the batch or one-by-one reads that fill it. */
#ifndef BCC_C_METRICS_STORE_H
#define BCC_C_METRICS_STORE_H

#include "metrics.h"

/* The entries of one table kept at one scrape, as they are read: at most
 * max_series series (entries; a histogram's label sets), each key once
 * (a walk over a changing hash can start over), each value summed over
 * the CPUs at once; the rest are only counted. So a scrape holds what it
 * exports, not the table times the CPUs. */
struct metrics_store;

/* For tables of layout's types and value layout (kt, lt, hist, ncpus,
 * stride); NULL with errno ENOTSUP (not exposed, as metrics_write_table)
 * or ENOMEM. */
struct metrics_store *metrics_store__new(const struct metrics_opts *o,
					 const struct metrics_table *layout);
void metrics_store__free(struct metrics_store *st);

/* Keeps or counts one entry: key of kt->size bytes, leaf of ncpus *
 * stride. Returns 0 or -ENOMEM. */
int metrics_store__add(struct metrics_store *st, const void *key, const void *leaf);

/* Entries not kept for max_series (for a histogram: the entries of the
 * label sets beyond it). */
size_t metrics_store__dropped(const struct metrics_store *st);

/* The bytes the store holds allocated. */
size_t metrics_store__bytes(const struct metrics_store *st);

/* The kept entries as a table for metrics_write_table(): one value of 8
 * bytes an entry. Valid until the next add or the free. */
void metrics_store__table(const struct metrics_store *st, struct metrics_table *out);

/* Entries one batch read takes, for entries of key_size + leaf_bytes:
 * its scratch buffer stays near a MiB however many CPUs the values have. */
size_t metrics_batch_entries(size_t key_size, size_t leaf_bytes);

/* Fills *st from tab, whose values are leaf_bytes each: batches where the
 * kernel has them, else a walk into a fresh store for layout (*st is then
 * replaced). Calls o->tick between batches and every METRICS_TICK keys.
 * Returns 0 or -ENOMEM. */
int metrics_store__read(struct metrics_store **st, const struct tracer_table *tab,
			size_t leaf_bytes, const struct metrics_opts *o,
			const struct metrics_table *layout);

#endif
