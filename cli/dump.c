#include "dump.h"

#include "cpus.h"
#include "hist.h"
#include "notice.h"
#include "render.h"
#include "table.h"
#include "type_desc.h"

#include <errno.h>
#include <linux/bpf.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One table being printed: its decoded types (NULL: printed as hex). */
struct dump {
	struct tracer *t;
	const struct tracer_table *tab;
	FILE *out;
	const struct dump_opts *o;
	struct td_type *kt, *lt;
	size_t ncpus;  /* per-CPU tables: values in a lookup; else 1 */
	size_t stride; /* bytes between two CPUs' values */
	bool stacks;   /* the key has stack id members */
};

__attribute__((format(printf, 2, 3))) static void note(const struct dump_opts *o,
						       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnotice(o->note, o->ctx, fmt, ap);
	va_end(ap);
}

/* The type of a key or leaf, or NULL (then hex) after saying why. */
static struct td_type *decode_type(struct dump *d, const char *desc, size_t size,
				   const char *what)
{
	struct td_type *ty = NULL;
	int err = td_parse(desc, &ty);

	if (!err && ty->size == size)
		return ty;
	note(d->o, "table '%s': its %s type %s; its %ss are printed as hex bytes", d->tab->name,
	     what, err == -ENOTSUP ? "has a member this printer cannot lay out (a bitfield "
	     "or a float)" : err ? "description from libbcc does not parse" :
	     "does not add up to the table's size", what);
	td_free(ty);
	return NULL;
}

static void hex(FILE *out, const void *data, size_t size, bool json)
{
	fputs(json ? "\"0x" : "0x", out);
	for (size_t i = 0; i < size; i++)
		fprintf(out, "%02x", ((const unsigned char *)data)[i]);
	if (json)
		fputc('"', out);
}

static void print_key(struct dump *d, const void *key)
{
	if (d->kt)
		render_value(d->out, d->kt, key, d->o->json);
	else
		hex(d->out, key, d->tab->key_size, d->o->json);
}

static void print_leaf(struct dump *d, const void *leaf)
{
	if (!d->lt)
		hex(d->out, leaf, d->stride * d->ncpus, d->o->json);
	else if (table_type_is_percpu(d->tab->type))
		render_percpu(d->out, d->lt, leaf, d->ncpus, d->stride, d->o->json);
	else
		render_value(d->out, d->lt, leaf, d->o->json);
	if (d->o->json && d->lt && table_type_is_percpu(d->tab->type) && td_is_integer(d->lt) &&
	    d->lt->size <= 8)
		render_percpu_json_cpus(d->out, d->lt, leaf, d->ncpus, d->stride);
}

/* Every entry, in the kernel's order, to each(). Returns 0 or -ENOMEM. */
static int walk(struct dump *d, void (*each)(struct dump *d, const void *key, const void *leaf,
					     void *ctx), void *ctx)
{
	const struct tracer_table *tab = d->tab;
	unsigned char *key = malloc(tab->key_size), *next = malloc(tab->key_size);
	unsigned char *leaf = malloc(d->stride * d->ncpus);
	int err = -ENOMEM;

	if (key && next && leaf) {
		for (err = table__next_key(tab, NULL, next); !err;
		     err = table__next_key(tab, key, next)) {
			memcpy(key, next, tab->key_size);
			/* an entry deleted since next_key is not there to print */
			if (!table__lookup(tab, key, leaf))
				each(d, key, leaf, ctx);
		}
		err = 0;
	}
	free(key);
	free(next);
	free(leaf);
	return err;
}

static void print_entry(struct dump *d, const void *key, const void *leaf, void *ctx)
{
	bool *first = ctx;

	if (d->o->json) {
		fprintf(d->out, "%s{\"key\":", *first ? "" : ",");
		print_key(d, key);
		fputs(",\"value\":", d->out);
		print_leaf(d, leaf);
		if (d->stacks)
			stacks__print_key(d->o->stacks, d->tab->name, d->kt, key, true, d->out);
		fputc('}', d->out);
	} else {
		fputs("  ", d->out);
		print_key(d, key);
		fputs(": ", d->out);
		print_leaf(d, leaf);
		fputc('\n', d->out);
		if (d->stacks)
			stacks__print_key(d->o->stacks, d->tab->name, d->kt, key, false, d->out);
	}
	*first = false;
}

static void print_entries(struct dump *d)
{
	bool first = true;

	if (d->o->json)
		fprintf(d->out, "{\"type\":\"table\",\"name\":\"%s\",\"entries\":[", d->tab->name);
	else
		fprintf(d->out, "\n%s:\n", d->tab->name);
	if (walk(d, print_entry, &first))
		note(d->o, "table '%s': out of memory while printing it", d->tab->name);
	if (d->o->json)
		fputs("]}\n", d->out);
}

/* A histogram keyed by a slot number: the slots are its keys. Each value
 * is read into a buffer of the table's leaf size, whatever print_hist()
 * let through. */
static void print_slot_hist(struct dump *d)
{
	size_t n = d->tab->max_entries < HIST_MAX_SLOTS ? d->tab->max_entries : HIST_MAX_SLOTS;
	uint64_t *vals = calloc(n ? n : 1, sizeof(*vals));
	unsigned char *leaf = malloc(d->tab->leaf_size ? d->tab->leaf_size : 1);

	if (!vals || !leaf) {
		note(d->o, "histogram '%s': out of memory while printing it", d->tab->name);
		free(vals);
		free(leaf);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t key = i; /* little-endian: its first key_size bytes are the slot */

		vals[i] = table__lookup(d->tab, &key, leaf) ? 0 : td_uint(d->lt, leaf);
	}
	if (d->o->json) {
		fprintf(d->out, "{\"type\":\"histogram\",\"name\":\"%s\",\"buckets\":",
			d->tab->name);
		hist_json_log2(d->out, vals, n);
		fputs("}\n", d->out);
	} else {
		fprintf(d->out, "\n%s:\n", d->tab->name);
		hist__print_log2(d->out, vals, n, "value");
	}
	free(vals);
	free(leaf);
}

struct entries {
	unsigned char *keys;
	uint64_t *counts;
	size_t n, cap;
	bool failed;
};

static void collect(struct dump *d, const void *key, const void *leaf, void *ctx)
{
	struct entries *e = ctx;

	if (e->failed)
		return;
	if (e->n == e->cap) { /* doubled: n entries cost O(n) copies */
		size_t cap = e->cap ? 2 * e->cap : 256;
		unsigned char *keys = realloc(e->keys, cap * d->tab->key_size);
		uint64_t *counts = keys ? realloc(e->counts, cap * sizeof(*counts)) : NULL;

		e->keys = keys ? keys : e->keys;
		e->counts = counts ? counts : e->counts;
		if (!keys || !counts) {
			e->failed = true;
			return;
		}
		e->cap = cap;
	}
	memcpy(e->keys + e->n * d->tab->key_size, key, d->tab->key_size);
	e->counts[e->n++] = td_uint(d->lt, leaf);
}

/* A histogram keyed by a struct: one histogram per section. */
static void print_section_hists(struct dump *d)
{
	struct entries e = { 0 };
	int err = walk(d, collect, &e);

	if (!err && !e.failed && !d->o->json)
		fprintf(d->out, "\n%s:\n", d->tab->name);
	if (!err && !e.failed)
		err = render_hist_sections(d->out, d->kt, e.keys, e.counts, e.n, d->o->json,
					   d->tab->name);
	if (err || e.failed)
		note(d->o, "histogram '%s': out of memory while printing it", d->tab->name);
	free(e.keys);
	free(e.counts);
}

/* A BPF_HISTOGRAM: slots as keys, or a struct with a slot member. Returns
 * false (to print it as a table) when it is neither, after saying why. */
static bool print_hist(struct dump *d)
{
	/* libbcc compiles a BPF_HISTOGRAM only with a u64 value */
	if (!d->lt || !td_is_integer(d->lt) || d->lt->size != sizeof(uint64_t) ||
	    table_type_is_percpu(d->tab->type)) {
		note(d->o, "histogram '%s' is printed as a table: its values are not u64 counts",
		     d->tab->name);
		return false;
	}
	if (d->kt && td_is_integer(d->kt) && d->kt->size <= 8) {
		print_slot_hist(d);
		return true;
	}
	if (d->kt && render_hist_has_slot(d->kt)) {
		print_section_hists(d);
		return true;
	}
	note(d->o, "histogram '%s' is printed as a table: its key has no integer slot member",
	     d->tab->name);
	return false;
}

/* What bcc calls the table types this printer does not show yet. */
static const char *unprinted_kind(int type)
{
	switch (type) {
	case BPF_MAP_TYPE_LPM_TRIE: return "BPF_LPM_TRIE";
	case BPF_MAP_TYPE_QUEUE: return "BPF_QUEUE";
	case BPF_MAP_TYPE_STACK: return "BPF_STACK";
	default: return NULL;
	}
}

static void dump_table(struct tracer *t, const struct tracer_table *tab, FILE *out,
		       const struct dump_opts *o)
{
	struct dump d = { .t = t, .tab = tab, .out = out, .o = o, .ncpus = 1,
			  .stride = tab->leaf_size };
	const char *kind = unprinted_kind(tab->type);
	bool hist = o->is_hist && o->is_hist(tab->name, o->ctx);

	if (tab->type == BPF_MAP_TYPE_STACK_TRACE) {
		/* printed through the ids that name its stacks */
		const char *maybe = stacks__undecided_keys(o->stacks);

		if (!stacks__is_referred(o->stacks, tab->name))
			note(o, "table '%s' is not printed: it is a BPF_STACK_TRACE table and no "
				"key or event member holds its stack ids (a member whose name "
				"ends in 'stack_id' or 'stackid', and a 'pid' member for user "
				"stacks)%s%s%s", tab->name, *maybe ? "; the integer keys of " : "",
			     maybe, *maybe ? " may be its ids, but the text does not show them "
			     "assigned from get_stackid() ('id = stacks.get_stackid(ctx, 0); "
			     "counts.increment(id);'), so they are printed as numbers" : "");
		return;
	}
	if (kind) {
		note(o, "table '%s' is not printed: bcc-run cannot print %s tables yet", tab->name,
		     kind);
		return;
	}
	if (!hist && tab->type != BPF_MAP_TYPE_HASH && tab->type != BPF_MAP_TYPE_ARRAY &&
	    tab->type != BPF_MAP_TYPE_LRU_HASH && !table_type_is_percpu(tab->type))
		return; /* outputs, program arrays: nothing a user reads */
	if (table_type_is_percpu(tab->type)) {
		int n = cpus_read("possible", NULL);

		if (n <= 0) {
			note(o, "table '%s' is not printed: cannot count the possible CPUs",
			     tab->name);
			return;
		}
		d.ncpus = (size_t)n;
		d.stride = table__value_stride(tab);
	}
	d.kt = decode_type(&d, tracer__key_desc(t, tab->name), tab->key_size, "key");
	d.lt = decode_type(&d, tracer__leaf_desc(t, tab->name), tab->leaf_size, "value");
	d.stacks = d.kt && stacks__claim_key(o->stacks, tab->name, d.kt);
	if (!hist || !print_hist(&d))
		print_entries(&d);
	td_free(d.kt);
	td_free(d.lt);
}

void dump__tables(struct tracer *t, FILE *out, const struct dump_opts *opts)
{
	/* stack tables last: the other tables' keys say which are referred to */
	for (int stack = 0; stack < 2; stack++) {
		for (size_t i = 0; i < tracer__num_tables(t); i++) {
			struct tracer_table tab;

			if (tracer__table_at(t, i, &tab) == 0 &&
			    (tab.type == BPF_MAP_TYPE_STACK_TRACE) == stack)
				dump_table(t, &tab, out, opts);
		}
	}
}

/* Spaces in place of the comments of C text p and of the contents of its
 * string and character literals (newlines stay): what is left is code. */
static void blank_non_code(char *p)
{
	while (*p) {
		size_t len = 0;

		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			len = end ? (size_t)(end + 2 - p) : strlen(p);
		} else if (p[0] == '/' && p[1] == '/') {
			len = strcspn(p, "\n");
		} else if (*p == '"' || *p == '\'') {
			for (len = 1; p[len] && p[len] != *p && p[len] != '\n'; len++)
				len += p[len] == '\\' && p[len + 1];
			p++; /* the quotes stay */
			len--;
		}
		for (size_t i = 0; i < len; i++)
			p[i] = p[i] == '\n' ? '\n' : ' ';
		p += len ? len : 1;
	}
}

int dump_text_hists(const char *text, char ***names, size_t *n)
{
	char *code = strdup(text), *p = code;
	regex_t re;
	regmatch_t m[3];
	int err = 0;

	*names = NULL;
	*n = 0;
	if (!code || regcomp(&re, "(^|[^A-Za-z0-9_])BPF_HISTOGRAM[[:space:]]*\\([[:space:]]*"
			     "([A-Za-z_][A-Za-z0-9_]*)", REG_EXTENDED)) {
		free(code);
		return -ENOMEM;
	}
	blank_non_code(code);
	while (!err && !regexec(&re, p, 3, m, p == code ? 0 : REG_NOTBOL)) {
		char **more = realloc(*names, (*n + 1) * sizeof(**names));

		if (more)
			*names = more;
		if (!more || !(more[*n] = strndup(p + m[2].rm_so,
						  (size_t)(m[2].rm_eo - m[2].rm_so))))
			err = -ENOMEM;
		else
			(*n)++;
		p += m[0].rm_eo;
	}
	regfree(&re);
	free(code);
	return err;
}
