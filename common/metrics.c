#include "metrics.h"

#include "cpus.h"
#include "event_decode.h"
#include "render.h"
#include "table.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
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

static size_t max_series(const struct metrics_opts *o)
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
	size_t n = t->n < max_series(o) ? t->n : max_series(o);
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
static void norm_key(const struct td_type *kt, const struct td_field *slot,
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
		norm_key(t->kt, slot, key, e[i].norm);
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
		if (groups++ < max_series(o))
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

static bool exportable(const struct metrics_table *t)
{
	return t->kt && t->lt && td_is_integer(t->lt) && t->lt->size <= 8;
}

/* Whether t is written as a histogram; *slot: its key's slot member. */
static bool as_hist(const struct metrics_table *t, const struct td_field **slot)
{
	*slot = NULL;
	if (t->hist && td_is_integer(t->kt) && t->kt->size <= 8)
		return true;
	return t->hist && (*slot = render_hist_slot(t->kt));
}

int metrics_write_table(FILE *out, const struct metrics_opts *o, const struct metrics_table *t)
{
	const struct td_field *slot;

	if (!exportable(t))
		return -ENOTSUP;
	if (as_hist(t, &slot))
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

	if (!exportable(t))
		return -ENOTSUP;
	hist = as_hist(t, &slot);
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

/* A set of byte strings of one size: open addressing, linear probing, at
 * most half full. */
struct keyset {
	unsigned char *slots; /* cap slots: a used byte, then the key */
	size_t size, cap, n;
};

static size_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of key, or the free one where it would go. */
static unsigned char *keyset_slot(const struct keyset *s, const void *key)
{
	size_t i = hash_bytes(key, s->size) & (s->cap - 1);
	unsigned char *p;

	for (;; i = (i + 1) & (s->cap - 1)) {
		p = s->slots + i * (1 + s->size);
		if (!p[0] || !memcmp(p + 1, key, s->size))
			return p;
	}
}

static bool keyset_has(const struct keyset *s, const void *key)
{
	return s->cap && keyset_slot(s, key)[0];
}

static int keyset_grow(struct keyset *s)
{
	struct keyset bigger = { .size = s->size, .cap = s->cap ? s->cap * 2 : 64 };

	bigger.slots = calloc(bigger.cap, 1 + s->size);
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		const unsigned char *p = s->slots + i * (1 + s->size);

		if (p[0])
			memcpy(keyset_slot(&bigger, p + 1), p, 1 + s->size);
	}
	bigger.n = s->n;
	free(s->slots);
	*s = bigger;
	return 0;
}

/* Adds key, which is not in s. Returns 0 or -ENOMEM. */
static int keyset_add(struct keyset *s, const void *key)
{
	unsigned char *p;

	if ((s->n + 1) * 2 > s->cap && keyset_grow(s))
		return -ENOMEM;
	p = keyset_slot(s, key);
	p[0] = 1;
	memcpy(p + 1, key, s->size);
	s->n++;
	return 0;
}

struct metrics_store {
	struct metrics_table t; /* the layout read; keys and leaves: ours */
	const struct td_field *slot;
	bool hist;
	size_t max;             /* series: entries, a histogram's label sets */
	unsigned char *keys;    /* n keys */
	uint64_t *sums;         /* n values summed over the CPUs */
	size_t n, alloc;
	struct keyset seen;     /* the keys kept */
	struct keyset groups;   /* a histogram's label sets kept */
	unsigned char *norm;    /* a key with its slot zeroed */
	size_t dropped;
};

/* The sums are 8 bytes of the value's signedness. */
static const struct td_type sum_signed = { .kind = TD_INT, .size = 8, .align = 8 };
static const struct td_type sum_unsigned = { .kind = TD_UINT, .size = 8, .align = 8 };

struct metrics_store *metrics_store__new(const struct metrics_opts *o,
					 const struct metrics_table *layout)
{
	struct metrics_store *st;

	if (!exportable(layout)) {
		errno = ENOTSUP;
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (!st || !(st->norm = calloc(1, layout->kt->size))) {
		free(st);
		errno = ENOMEM;
		return NULL;
	}
	st->t = *layout;
	st->hist = as_hist(layout, &st->slot);
	st->max = max_series(o);
	st->seen.size = st->groups.size = layout->kt->size;
	return st;
}

void metrics_store__free(struct metrics_store *st)
{
	if (!st)
		return;
	free(st->keys);
	free(st->sums);
	free(st->seen.slots);
	free(st->groups.slots);
	free(st->norm);
	free(st);
}

/* Whether the entry of key has room: its label set is kept, or there is
 * room for one more. */
static int store_room(struct metrics_store *st, const unsigned char *key)
{
	if (!st->hist)
		return st->n < st->max;
	norm_key(st->t.kt, st->slot, key, st->norm);
	if (keyset_has(&st->groups, st->norm))
		return 1;
	if (st->groups.n >= st->max)
		return 0;
	return keyset_add(&st->groups, st->norm) ? -ENOMEM : 1;
}

int metrics_store__add(struct metrics_store *st, const void *key, const void *leaf)
{
	const unsigned char *v = leaf;
	unsigned long long sum = 0;
	size_t ks = st->t.kt->size;
	int room;

	if (keyset_has(&st->seen, key))
		return 0; /* again: a walk over a changing hash restarted */
	room = store_room(st, key);
	if (room <= 0) {
		st->dropped += !room;
		return room;
	}
	if (st->n == st->alloc) {
		size_t alloc = st->alloc ? st->alloc * 2 : 64;
		unsigned char *keys = realloc(st->keys, alloc * ks);
		uint64_t *sums = keys ? realloc(st->sums, alloc * sizeof(*sums)) : NULL;

		if (keys)
			st->keys = keys;
		if (!sums)
			return -ENOMEM;
		st->sums = sums;
		st->alloc = alloc;
	}
	if (keyset_add(&st->seen, key))
		return -ENOMEM;
	for (size_t c = 0; c < st->t.ncpus; c++)
		sum += td_uint(st->t.lt, v + c * st->t.stride);
	memcpy(st->keys + st->n * ks, key, ks);
	st->sums[st->n++] = sum;
	return 0;
}

size_t metrics_store__dropped(const struct metrics_store *st)
{
	return st->dropped;
}

size_t metrics_store__bytes(const struct metrics_store *st)
{
	return st->alloc * (st->t.kt->size + sizeof(*st->sums)) +
	       (st->seen.cap + st->groups.cap) * (1 + st->t.kt->size) + st->t.kt->size;
}

void metrics_store__table(const struct metrics_store *st, struct metrics_table *out)
{
	*out = st->t;
	out->lt = st->t.lt->kind == TD_INT ? &sum_signed : &sum_unsigned;
	out->ncpus = 1;
	out->stride = sizeof(*st->sums);
	out->keys = st->keys;
	out->leaves = st->sums;
	out->n = st->n;
}

/* The scratch buffer of one batch read: 4096 entries, fewer when a
 * per-CPU value on many CPUs makes that more than a MiB (a bucket of a
 * hash holds far fewer). */
#define BATCH 4096
#define BATCH_BYTES (1 << 20)

size_t metrics_batch_entries(size_t key_size, size_t leaf_bytes)
{
	size_t n = BATCH_BYTES / (key_size + leaf_bytes);

	return n > BATCH ? BATCH : n < 64 ? 64 : n;
}

/* Per table, across reloads: event counts and series dropped. */
struct table_state {
	struct table_state *next;
	struct metrics_events ev;
	bool output;
	uint64_t dropped;
	bool told_dropped, told_unexported, told_taken;
	char name[];
};

struct metrics {
	struct metrics_opts o;
	char *prefix, *source;
	struct table_state *tables; /* in the order first seen */
};

struct metrics *metrics__new(const struct metrics_opts *o)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->o = *o;
	m->prefix = strdup(o->prefix ? o->prefix : METRICS_DEFAULT_PREFIX);
	m->source = strdup(o->source ? o->source : "the BPF text");
	if (!m->prefix || !m->source) {
		metrics__free(m);
		errno = ENOMEM;
		return NULL;
	}
	m->o.prefix = m->prefix;
	m->o.source = m->source;
	return m;
}

void metrics__free(struct metrics *m)
{
	if (!m)
		return;
	while (m->tables) {
		struct table_state *next = m->tables->next;

		free(m->tables);
		m->tables = next;
	}
	free(m->prefix);
	free(m->source);
	free(m);
}

static struct table_state *state(struct metrics *m, const char *name)
{
	struct table_state **p = &m->tables;

	for (; *p; p = &(*p)->next)
		if (!strcmp((*p)->name, name))
			return *p;
	*p = calloc(1, sizeof(**p) + strlen(name) + 1);
	if (*p)
		strcpy((*p)->name, name);
	return *p;
}

struct metrics_events *metrics__events(struct metrics *m, const char *table)
{
	struct table_state *st = state(m, table);

	if (!st)
		return NULL;
	st->output = true;
	return &st->ev;
}

__attribute__((format(printf, 2, 3))) static void note(const struct metrics *m,
						       const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!m->o.note)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) >= 0) {
		m->o.note(msg, m->o.ctx);
		free(msg);
	}
	va_end(ap);
}

/* In a few syscalls: a scrape of 10,000 entries one by one takes two
 * syscalls each, tens of milliseconds the event loop waits. The batches
 * go through one scratch buffer: what is kept is the store's. */
static int read_batches(const struct tracer_table *tab, size_t leaf_bytes,
			struct metrics_store *st, const struct metrics_opts *o)
{
	uint32_t batch = (uint32_t)metrics_batch_entries(tab->key_size, leaf_bytes);
	unsigned char *keys = malloc(batch * tab->key_size), *leaves = malloc(batch * leaf_bytes);
	uint32_t token, next, *in = NULL;
	int err = keys && leaves ? 0 : -ENOMEM;

	while (!err) {
		uint32_t count = batch;

		err = table__lookup_batch(tab, in, &next, keys, leaves, &count);
		if (err && err != -ENOENT)
			break;
		for (uint32_t i = 0; i < count; i++) {
			int added = metrics_store__add(st, keys + i * tab->key_size,
						       leaves + i * leaf_bytes);

			if (added)
				err = added;
		}
		token = next;
		in = &token;
		if (!err && o->tick)
			o->tick(o->ctx);
	}
	free(keys);
	free(leaves);
	return err == -ENOENT ? 0 : err;
}

/* One entry at a time, where batches are not to be had. next_key from a
 * key deleted since starts over from the first: the store keeps each key
 * once, and the walk ends after twice the table's size. */
static int read_walk(const struct tracer_table *tab, size_t leaf_bytes, struct metrics_store *st,
		     const struct metrics_opts *o)
{
	unsigned char *prev = malloc(tab->key_size), *key = malloc(tab->key_size);
	unsigned char *leaf = malloc(leaf_bytes);
	size_t visits = 0;
	bool from_prev = false;
	int err = prev && key && leaf ? 0 : -ENOMEM;

	for (err = err ? err : table__next_key(tab, NULL, key); !err;
	     err = table__next_key(tab, from_prev ? prev : NULL, key)) {
		if (++visits > 2 * tab->max_entries + 2)
			break;
		if (o->tick && !(visits % METRICS_TICK))
			o->tick(o->ctx);
		/* deleted since next_key: the walk goes on from the one before */
		if (table__lookup(tab, key, leaf))
			continue;
		err = metrics_store__add(st, key, leaf);
		if (err)
			break;
		memcpy(prev, key, tab->key_size);
		from_prev = true;
	}
	free(prev);
	free(key);
	free(leaf);
	return err == -ENOMEM ? err : 0;
}

/* Fills *st from tab; batches where the kernel has them, else a walk into
 * a fresh store. */
static int read_table(const struct tracer_table *tab, size_t leaf_bytes,
		      struct metrics_store **st, const struct metrics_opts *o,
		      const struct metrics_table *layout)
{
	int err = read_batches(tab, leaf_bytes, *st, o);

	if (err == -ENOMEM || !err)
		return err;
	metrics_store__free(*st);
	*st = metrics_store__new(o, layout);
	if (!*st)
		return -ENOMEM;
	return read_walk(tab, leaf_bytes, *st, o);
}

/* The metric names one scrape has written or will write: two families of
 * one name (a table "run_up" beside bcc_run_up, "a_count" beside
 * "a_count_total") make Prometheus' parsers reject the whole text. */
struct taken {
	char **v;
	size_t n;
};

static const char *const process_names[] = {
	"bcc_run_up", "bcc_run_programs_attached", "bcc_run_compile_seconds", "bcc_run_cache_hit",
	"bcc_run_events_total", "bcc_run_events_lost_total", "bcc_run_series_dropped_total",
};

static bool taken_has(const struct taken *tk, const char *name)
{
	for (size_t i = 0; i < sizeof(process_names) / sizeof(*process_names); i++)
		if (!strcmp(process_names[i], name))
			return true;
	for (size_t i = 0; i < tk->n; i++)
		if (!strcmp(tk->v[i], name))
			return true;
	return false;
}

/* The first of the n names already taken, or NULL. */
static const char *taken_clash(const struct taken *tk, char **names, int n)
{
	for (int i = 0; i < n; i++)
		if (taken_has(tk, names[i]))
			return names[i];
	return NULL;
}

/* Moves the n names into tk; on -ENOMEM they stay the caller's. */
static int taken_add(struct taken *tk, char **names, int n)
{
	char **v = realloc(tk->v, (tk->n + (size_t)n) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	tk->v = v;
	memcpy(tk->v + tk->n, names, (size_t)n * sizeof(*names));
	tk->n += (size_t)n;
	return 0;
}

static void taken_release(struct taken *tk)
{
	for (size_t i = 0; i < tk->n; i++)
		free(tk->v[i]);
	free(tk->v);
}

/* Claims table mt's names in tk. Returns 0, -EEXIST after naming the
 * table (once) when one is taken, -ENOTSUP or -ENOMEM. */
static int claim_names(struct metrics *m, struct table_state *st, struct taken *tk,
		       const struct metrics_table *mt)
{
	char *names[4];
	const char *clash;
	int n = metrics_table_names(&m->o, mt, names), err = 0;

	if (n < 0)
		return n;
	clash = taken_clash(tk, names, n);
	if (clash && !st->told_taken)
		note(m, "table '%s' is not exported as metrics: its metric name '%s' is taken by "
			"%s; rename the table, or give --metrics-prefix another prefix", mt->name,
		     clash, !strncmp(clash, "bcc_run_", 8) ? "one of bcc-run's own metrics" :
							     "another table's");
	st->told_taken |= clash != NULL;
	if (clash)
		err = -EEXIST;
	else if (!(err = taken_add(tk, names, n)))
		return 0;
	while (n--)
		free(names[n]);
	return err;
}

static bool exported_type(int type)
{
	return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_HASH || table_type_is_percpu(type);
}

/* Reads tab into a store and writes what it kept. Returns the series
 * dropped, or a negative errno. */
static int export_table(struct metrics *m, const struct tracer_table *tab,
			const struct metrics_table *layout, FILE *out)
{
	struct metrics_store *store = metrics_store__new(&m->o, layout);
	struct metrics_table kept;
	int ret;

	if (!store)
		return -errno;
	ret = read_table(tab, layout->stride * layout->ncpus, &store, &m->o, layout);
	if (!ret) {
		metrics_store__table(store, &kept);
		ret = metrics_write_table(out, &m->o, &kept);
	}
	if (ret >= 0)
		ret += (int)metrics_store__dropped(store);
	metrics_store__free(store);
	return ret;
}

/* Names the table once for what export_table() returned. */
static void tell(struct metrics *m, struct table_state *st, int ret)
{
	if (ret == -ENOTSUP && !st->told_unexported) {
		note(m, "table '%s' is not exported as metrics: its values are not integers, or "
			"its key or value type was not described by libbcc", st->name);
		st->told_unexported = true;
	}
	if (ret <= 0)
		return;
	st->dropped += (uint64_t)ret;
	if (!st->told_dropped)
		note(m, "table '%s' has more entries than --metrics-max-series %zu: the "
			"others are dropped from the metrics (bcc_run_series_dropped_total"
			" counts them); raise the limit, or key the table by fewer values",
		     st->name, m->o.max_series ? m->o.max_series :
						 (size_t)METRICS_DEFAULT_MAX_SERIES);
	st->told_dropped = true;
}

static int scrape_table(struct metrics *m, const struct metrics_scrape *s,
			const struct tracer_table *tab, int ncpus, struct taken *tk, FILE *out)
{
	bool hist = s->is_hist && s->is_hist(tab->name, s->ctx);
	struct metrics_table mt = { .name = tab->name, .type = tab->type, .hist = hist, .ncpus = 1,
				    .stride = tab->leaf_size };
	struct td_type *kt = NULL, *lt = NULL;
	struct table_state *st;
	int ret;

	if (!exported_type(tab->type) && !hist)
		return 0;
	st = state(m, tab->name);
	if (!st)
		return -ENOMEM;
	if (table_type_is_percpu(tab->type)) {
		mt.ncpus = ncpus > 0 ? (size_t)ncpus : 1;
		mt.stride = table__value_stride(tab);
	}
	if (!td_parse(tracer__key_desc(s->t, tab->name), &kt) && kt->size == tab->key_size)
		mt.kt = kt;
	if (!td_parse(tracer__leaf_desc(s->t, tab->name), &lt) && lt->size == tab->leaf_size)
		mt.lt = lt;
	ret = claim_names(m, st, tk, &mt);
	if (!ret && ncpus <= 0 && table_type_is_percpu(tab->type))
		ret = -ENOTSUP; /* how many values an entry holds is not known */
	if (!ret)
		ret = export_table(m, tab, &mt, out);
	tell(m, st, ret);
	td_free(kt);
	td_free(lt);
	return ret == -ENOMEM ? ret : 0;
}

static void gauge(FILE *out, const char *name, const char *help, const char *fmt, double v)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n%s ", name, help, name, name);
	fprintf(out, fmt, v);
	fputc('\n', out);
}

/* A counter family labelled by table: dropped, or the outputs' counts. */
static void per_table(FILE *out, const struct metrics *m, const char *name, const char *help,
		      bool outputs, bool lost)
{
	bool any = false;

	for (const struct table_state *st = m->tables; st; st = st->next) {
		if (st->output != outputs)
			continue;
		if (!any)
			fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
		any = true;
		fprintf(out, "%s{table=\"", name);
		metrics_label_value(out, st->name, strlen(st->name));
		fprintf(out, "\"} %llu\n", (unsigned long long)(!outputs ? st->dropped :
							     lost ? st->ev.lost : st->ev.events));
	}
}

int metrics__scrape(struct metrics *m, const struct metrics_scrape *s, FILE *out)
{
	int ncpus = cpus_read("possible", NULL);
	struct taken tk = { 0 };
	int err = 0;

	gauge(out, "bcc_run_up", "1 while bcc-run has its BPF program attached", "%.0f", 1);
	gauge(out, "bcc_run_programs_attached", "Probes the running BPF program has attached",
	      "%.0f", (double)tracer__num_links(s->t));
	gauge(out, "bcc_run_compile_seconds",
	      "Seconds the running BPF program took to compile (or to load from the compile "
	      "cache)", "%.6f", s->compile_seconds);
	gauge(out, "bcc_run_cache_hit", "1 when the running BPF program came from the compile "
	      "cache", "%.0f", tracer__from_cache(s->t) ? 1 : 0);
	for (size_t i = 0; i < tracer__num_tables(s->t) && !err; i++) {
		struct tracer_table tab;

		if (!tracer__table_at(s->t, i, &tab))
			err = scrape_table(m, s, &tab, ncpus, &tk, out);
		if (m->o.tick)
			m->o.tick(m->o.ctx);
	}
	per_table(out, m, "bcc_run_events_total", "Events the BPF program sent to a "
		  "BPF_PERF_OUTPUT or BPF_RINGBUF_OUTPUT table that bcc-run read", true, false);
	per_table(out, m, "bcc_run_events_lost_total", "Events of a BPF_PERF_OUTPUT table the "
		  "kernel dropped because its buffer was full", true, true);
	per_table(out, m, "bcc_run_series_dropped_total", "Series of a table (of a histogram: "
		  "used buckets) left out of the metrics, over all scrapes, by "
		  "--metrics-max-series", false, false);
	taken_release(&tk);
	return err;
}
