/* Tables as Prometheus text (see metrics.h): names, labels, families and
 * histograms, from bytes and type descriptions alone. */
#include "metrics.h"

#include "event_decode.h"
#include "render.h"
#include "table.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

/* A log2 slot's upper bound 2^k - 1 fits a u64 up to k = 64; values in
 * slots beyond count in +Inf only. */
#define MAX_LE_SLOT 64

static const char *kind_name(int type, bool hist)
{
	if (hist)
		return "BPF_HISTOGRAM";
	switch (type) {
	case BPF_MAP_TYPE_HASH: return "BPF_HASH";
	case BPF_MAP_TYPE_ARRAY: return "BPF_ARRAY";
	case BPF_MAP_TYPE_LRU_HASH: return "BPF_TABLE(\"lru_hash\")";
	case BPF_MAP_TYPE_PERCPU_HASH: return "BPF_PERCPU_HASH";
	case BPF_MAP_TYPE_PERCPU_ARRAY: return "BPF_PERCPU_ARRAY";
	case BPF_MAP_TYPE_LRU_PERCPU_HASH: return "BPF_TABLE(\"lru_percpu_hash\")";
	default: return "table";
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

bool metrics_valid_prefix(const char *name)
{
	for (const char *p = name; *p; p++) {
		bool alpha = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
			     *p == ':';

		if (!alpha && (p == name || *p < '0' || *p > '9'))
			return false;
	}
	return true;
}

void metrics_label_value(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strnlen(s, n);

	for (size_t i = 0; i < len;) {
		bool valid;
		size_t seq = utf8_seq(p + i, len - i, &valid);

		if (!valid)
			fputs("\xef\xbf\xbd", out); /* U+FFFD: the format is UTF-8 */
		else if (p[i] == '\\' || p[i] == '"')
			fprintf(out, "\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", out);
		else
			fwrite(p + i, 1, seq, out);
		i += seq;
	}
}

/* HELP text: the format escapes '\\' and newline there. */
static void help_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

/* A label name from a member's: names starting "__" are Prometheus' own,
 * "le" is the histogram's. */
static void label_name(FILE *out, const char *name, bool hist)
{
	if (!strncmp(name, "__", 2))
		fputs("key", out); /* key__name */
	else if (hist && !strcmp(name, "le"))
		fputs("key_", out);
	fputs(name, out);
}

/* The value of member f of the key at base as a label value. */
static void label_of(FILE *out, const struct td_field *f, const unsigned char *base)
{
	const struct td_type *t = f->type;
	const unsigned char *p = base + f->offset;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (t->kind == TD_CHARS) {
		metrics_label_value(out, (const char *)p, t->count);
		return;
	}
	if (td_is_integer(t) && t->size <= 8) {
		fprintf(out, t->kind == TD_INT ? "%lld" : "%llu", td_uint(t, p));
		return;
	}
	/* 16-byte integers, arrays, nested structs: as bcc-run prints them */
	mem = open_memstream(&text, &len);
	if (!mem)
		return;
	if (t->size == 16 && td_is_integer(t) && render_is_ipv6_name(f->name))
		render_ipv6(mem, p, false);
	else
		render_value(mem, t, p, false);
	if (!fclose(mem))
		metrics_label_value(out, text, len);
	free(text);
}

/* {label="value",...} for the key at key, leaving out skip (a slot);
 * extra, when not NULL, is written as the last label (le="..."). */
static void labels(FILE *out, const struct td_type *kt, const unsigned char *key,
		   const struct td_field *skip, bool hist, const char *extra)
{
	bool first = true;

	if (kt->kind != TD_STRUCT && !hist) {
		fputs("{key=\"", out);
		label_of(out, &(struct td_field){ .name = "key", .type = (struct td_type *)kt },
			 key);
		fputc('"', out);
		first = false;
	}
	for (size_t i = 0; kt->kind == TD_STRUCT && i < kt->nfields; i++) {
		const struct td_field *f = &kt->fields[i];

		if (f->padding || f == skip)
			continue;
		fputs(first ? "{" : ",", out);
		label_name(out, f->name, hist);
		fputs("=\"", out);
		label_of(out, f, key);
		fputc('"', out);
		first = false;
	}
	if (extra) {
		fputs(first ? "{" : ",", out);
		fputs(extra, out);
		first = false;
	}
	if (!first)
		fputc('}', out);
}

/* An entry's value, the sum of its CPUs' for a per-CPU table. */
static unsigned long long leaf_value(const struct metrics_table *t, size_t i)
{
	const unsigned char *leaf = (const unsigned char *)t->leaves + i * t->ncpus * t->stride;
	unsigned long long sum = 0;

	for (size_t c = 0; c < t->ncpus; c++)
		sum += td_uint(t->lt, leaf + c * t->stride);
	return sum;
}

static void header(FILE *out, const struct metrics_opts *o, const struct metrics_table *t,
		   const char *name, const char *type, const char *what)
{
	fprintf(out, "# HELP %s %s '%s' of ", name, kind_name(t->type, t->hist), t->name);
	help_text(out, o->source ? o->source : "the BPF text");
	fprintf(out, ", %s\n# TYPE %s %s\n", what, name, type);
}

size_t metrics_max_series(const struct metrics_opts *o)
{
	return o->max_series ? o->max_series : METRICS_DEFAULT_MAX_SERIES;
}

static bool is_counter(const struct metrics_table *t)
{
	return ends_with(t->name, "_total") || ends_with(t->name, "_count");
}

/* The family's name: PREFIX<table>, a counter's ending in _total. NULL on
 * ENOMEM. */
static char *family_name(const struct metrics_opts *o, const struct metrics_table *t, bool hist)
{
	char *name;

	if (asprintf(&name, "%s%s%s", o->prefix ? o->prefix : METRICS_DEFAULT_PREFIX, t->name,
		     !hist && is_counter(t) && !ends_with(t->name, "_total") ? "_total" : "") < 0)
		return NULL;
	return name;
}

static int write_entries(FILE *out, const struct metrics_opts *o, const struct metrics_table *t)
{
	bool counter = is_counter(t);
	size_t n = t->n < metrics_max_series(o) ? t->n : metrics_max_series(o);
	char *name = family_name(o, t, false);

	if (!name)
		return -ENOMEM;
	header(out, o, t, name, counter ? "counter" : "gauge",
	       table_type_is_percpu(t->type) ? "each entry's value summed over the CPUs" :
				    "each entry's value");
	for (size_t i = 0; i < n; i++) {
		unsigned long long v = leaf_value(t, i);

		if (o->tick && i && !(i % METRICS_TICK))
			o->tick(o->ctx);
		fputs(name, out);
		labels(out, t->kt, (const unsigned char *)t->keys + i * t->kt->size, NULL, false,
		       NULL);
		fprintf(out, t->lt->kind == TD_INT ? " %lld\n" : " %llu\n", v);
	}
	free(name);
	return (int)(t->n - n);
}

/* A histogram's entries: a slot and a count each, grouped by the key with
 * its slot (and padding) zeroed, so one label set's entries are adjacent. */
struct hist_entry {
	const unsigned char *key;
	unsigned char *norm;
	size_t size;
	unsigned long long slot, count;
};

static int cmp_norm(const void *a, const void *b)
{
	const struct hist_entry *x = a, *y = b;

	return memcmp(x->norm, y->norm, x->size);
}

static void write_hist_group(FILE *out, const char *name, const struct metrics_table *t,
			     const struct td_field *slot, const struct hist_entry *e, size_t n,
			     unsigned long long top)
{
	unsigned long long cum = 0, total = 0, per[MAX_LE_SLOT + 1] = { 0 };
	char le[40];

	for (size_t i = 0; i < n; i++) {
		if (e[i].slot <= MAX_LE_SLOT)
			per[e[i].slot] += e[i].count;
		total += e[i].count;
	}
	for (unsigned long long s = 0; s <= top; s++) {
		cum += per[s];
		snprintf(le, sizeof(le), "le=\"%llu\"", s == 64 ? ~0ULL : (1ULL << s) - 1);
		fprintf(out, "%s_bucket", name);
		labels(out, t->kt, e->key, slot, true, le);
		fprintf(out, " %llu\n", cum);
	}
	fprintf(out, "%s_bucket", name);
	labels(out, t->kt, e->key, slot, true, "le=\"+Inf\"");
	fprintf(out, " %llu\n%s_sum", total, name);
	labels(out, t->kt, e->key, slot, true, NULL);
	fprintf(out, " 0\n%s_count", name);
	labels(out, t->kt, e->key, slot, true, NULL);
	fprintf(out, " %llu\n", total);
}

/* key's label set: key with its slot and padding zeroed (all of a scalar
 * key, the slot itself: one label set). */
void metrics_norm_key(const struct td_type *kt, const struct td_field *slot,
		     const unsigned char *key, unsigned char *norm)
{
	memset(norm, 0, kt->size);
	for (size_t f = 0; slot && f < kt->nfields; f++) {
		const struct td_field *fd = &kt->fields[f];

		if (fd != slot && !fd->padding)
			memcpy(norm + fd->offset, key + fd->offset, fd->type->size);
	}
}

static int write_hist(FILE *out, const struct metrics_opts *o, const struct metrics_table *t,
		      const struct td_field *slot)
{
	struct hist_entry *e = calloc(t->n ? t->n : 1, sizeof(*e));
	unsigned char *norm = calloc(t->n ? t->n : 1, t->kt->size);
	unsigned long long top = 0;
	size_t groups = 0, dropped = 0;
	char *name = NULL;
	int err = -ENOMEM;

	if (!e || !norm || !(name = family_name(o, t, true)))
		goto out;
	for (size_t i = 0; i < t->n; i++) {
		const unsigned char *key = (const unsigned char *)t->keys + i * t->kt->size;

		e[i] = (struct hist_entry){ .key = key, .norm = norm + i * t->kt->size,
					    .size = t->kt->size, .count = leaf_value(t, i) };
		e[i].slot = slot ? td_uint(slot->type, key + slot->offset) : td_uint(t->kt, key);
		metrics_norm_key(t->kt, slot, key, e[i].norm);
	}
	/* the same buckets for every label set, so that sum by (le) adds up */
	for (size_t i = 0; i < t->n; i++)
		if (e[i].slot <= MAX_LE_SLOT && e[i].slot > top)
			top = e[i].slot;
	qsort(e, t->n, sizeof(*e), cmp_norm);
	header(out, o, t, name, "histogram",
	       "log2 buckets; _sum is unknown (0): log2 slots do not keep it");
	for (size_t i = 0, j; i < t->n; i = j) {
		for (j = i + 1; j < t->n && !cmp_norm(&e[i], &e[j]); j++)
			;
		if (groups++ < metrics_max_series(o))
			write_hist_group(out, name, t, slot, &e[i], j - i, top);
		else
			dropped++;
		if (o->tick && !(groups % (METRICS_TICK / 16)))
			o->tick(o->ctx);
	}
	if (!t->n) /* an empty histogram still has its +Inf bucket and count */
		fprintf(out, "%s_bucket{le=\"+Inf\"} 0\n%s_sum 0\n%s_count 0\n", name, name, name);
	err = (int)dropped;
out:
	free(name);
	free(norm);
	free(e);
	return err;
}

bool metrics_exportable(const struct metrics_table *t)
{
	return t->kt && t->lt && td_is_integer(t->lt) && t->lt->size <= 8;
}

/* Whether t is written as a histogram; *slot: its key's slot member. */
bool metrics_as_hist(const struct metrics_table *t, const struct td_field **slot)
{
	*slot = NULL;
	if (t->hist && td_is_integer(t->kt) && t->kt->size <= 8)
		return true;
	return t->hist && (*slot = render_hist_slot(t->kt));
}

int metrics_write_table(FILE *out, const struct metrics_opts *o, const struct metrics_table *t)
{
	const struct td_field *slot;

	if (!metrics_exportable(t))
		return -ENOTSUP;
	if (metrics_as_hist(t, &slot))
		return write_hist(out, o, t, slot);
	return write_entries(out, o, t);
}

int metrics_table_names(const struct metrics_opts *o, const struct metrics_table *t,
			char *names[4])
{
	static const char *const suffix[] = { "_bucket", "_sum", "_count" };
	const struct td_field *slot;
	bool hist;
	int n = 1;

	if (!metrics_exportable(t))
		return -ENOTSUP;
	hist = metrics_as_hist(t, &slot);
	names[0] = family_name(o, t, hist);
	if (!names[0])
		return -ENOMEM;
	for (size_t i = 0; hist && i < 3; i++, n++) {
		if (asprintf(&names[n], "%s%s", names[0], suffix[i]) < 0) {
			while (n--)
				free(names[n]);
			return -ENOMEM;
		}
	}
	return n;
}
