/* What a BPF program counts, as Prometheus metrics: the text exposition
 * format 0.0.4, written from a table's entries and the types libbcc
 * described for its key and value (type_desc.h), the same whether the
 * program came from clang or from the compile cache.
 *
 * - BPF_HASH, BPF_ARRAY and their LRU and per-CPU kinds with integer
 *   values: one series per entry (per-CPU values summed), named
 *   PREFIX<table>. A scalar key is the label "key"; a struct key gives one
 *   label per member, named by the member; char[] members are string
 *   labels. A gauge, unless the table's name ends in _total or _count:
 *   then a counter, whose name ends in _total as the format asks.
 * - BPF_HISTOGRAM tables (log2 slots): a histogram with cumulative
 *   _bucket{le="2^k-1"} series, le="+Inf" equal to _count, and _sum 0
 *   (log2 slots lose the sum). A struct key with a slot member (bcc's
 *   rule: "slot", else the second member) gives a labelled histogram
 *   family, one label per other member.
 * - Per table at most max_series series (a histogram's series being one
 *   label set); the rest are dropped, counted, and named once on the
 *   note function.
 * The write functions are pure: bytes in, text out, no kernel. */
#ifndef BCC_C_METRICS_H
#define BCC_C_METRICS_H

#include "tracer.h"
#include "type_desc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define METRICS_DEFAULT_PREFIX "bcc_"
#define METRICS_DEFAULT_MAX_SERIES 10000

/* One table's entries as read at one scrape. */
struct metrics_table {
	const char *name;
	int type;                 /* enum bpf_map_type */
	bool hist;                /* declared with BPF_HISTOGRAM */
	const struct td_type *kt; /* key and value types */
	const struct td_type *lt;
	size_t ncpus;             /* values an entry holds: the possible CPUs
				     for a per-CPU table, else 1 */
	size_t stride;            /* bytes between two CPUs' values */
	const void *keys;         /* n keys of kt->size bytes */
	const void *leaves;       /* n values of ncpus * stride bytes */
	size_t n;
};

struct metrics_opts {
	const char *prefix;  /* before each table's name; NULL: "bcc_" */
	const char *source;  /* the BPF text's path, named in HELP */
	size_t max_series;   /* per table; 0: METRICS_DEFAULT_MAX_SERIES */
	/* what is not exported, and why: one sentence naming the table,
	 * once per table and cause */
	void (*note)(const char *msg, void *ctx);
	/* called every METRICS_TICK series and between reads of a table,
	 * so that a caller can serve its events during a long scrape */
	void (*tick)(void *ctx);
	void *ctx;
};

#define METRICS_TICK 1024

/* Writes table t's metric family to out. Returns the number of series
 * dropped for max_series, -ENOTSUP when the table cannot be exposed (its
 * values are not integers, its key is not described), or -ENOMEM. */
int metrics_write_table(FILE *out, const struct metrics_opts *o, const struct metrics_table *t);

/* The metric names table t's family takes in the text: its name and, for
 * a histogram, NAME_bucket, NAME_sum and NAME_count. Stores them in names
 * (each to be freed) and returns how many (1 or 4), -ENOTSUP when t is
 * not exposed, or -ENOMEM. */
int metrics_table_names(const struct metrics_opts *o, const struct metrics_table *t,
			char *names[4]);

/* Writes s as a label value: '\\', '"' and newline escaped, invalid
 * UTF-8 as U+FFFD, ending at the first NUL or after n bytes. */
void metrics_label_value(FILE *out, const char *s, size_t n);

/* Whether name may be a metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*). */
bool metrics_valid_prefix(const char *name);

/* What the format decides, which the series store (metrics_store.h)
 * follows as it keeps a table's entries. */

/* Whether t can be exposed: integer values of at most 8 bytes, and its
 * key and value types described. */
bool metrics_exportable(const struct metrics_table *t);

/* Whether t is written as a histogram; *slot: its key's slot member. */
bool metrics_as_hist(const struct metrics_table *t, const struct td_field **slot);

/* The series a table may have: o->max_series, or the default. */
size_t metrics_max_series(const struct metrics_opts *o);

/* Writes key's label set to norm: key with its slot and padding zeroed. */
void metrics_norm_key(const struct td_type *kt, const struct td_field *slot,
		      const unsigned char *key, unsigned char *norm);

#endif
