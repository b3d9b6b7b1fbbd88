/* Prints a tracer's tables as bcc-run shows them at exit: BPF_HASH and
 * BPF_ARRAY entries as "key: value", per-CPU tables with each CPU's value
 * and their sum, BPF_HISTOGRAM tables as log2 histograms (one per section
 * when keyed by a struct). Keys and values are decoded from the types
 * libbcc described (render.h), so a program from the compile cache prints
 * the same as a fresh compile. A key's stack id members are followed by
 * the stacks they name (stacks.h); a stack table itself is not printed. */
#ifndef BCC_C_DUMP_H
#define BCC_C_DUMP_H

#include "stacks.h"
#include "tracer.h"

#include <stdbool.h>
#include <stdio.h>

struct dump_opts {
	bool json; /* one JSON object a line per table */
	/* whether the text declared table name with BPF_HISTOGRAM
	 * (dump_text_hists()) */
	bool (*is_hist)(const char *name, void *ctx);
	/* what cannot be shown, and why: one sentence naming the table */
	void (*note)(const char *msg, void *ctx);
	void *ctx;
	/* the text's stack tables, printed through the stack ids of keys
	 * (NULL: stack tables are not printed) */
	struct stacks *stacks;
};

/* The tables C text declares with BPF_HISTOGRAM(name ...) in its code (not
 * in a comment or a string), which dump_opts.is_hist is to name. A table
 * so named is printed as a histogram only when libbcc describes it as
 * BPF_HISTOGRAM makes it (a u64 value; an integer key or a struct with a
 * slot member), else as a table. *names: *n strings, the caller frees each
 * and the array, also on error. Returns 0 or -ENOMEM. */
int dump_text_hists(const char *text, char ***names, size_t *n);

/* Prints every table of t that holds data to out. */
void dump__tables(struct tracer *t, FILE *out, const struct dump_opts *opts);

#endif
