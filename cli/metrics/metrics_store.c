/* The series one scrape keeps of a table (see metrics_store.h): a key set
 * so that each key counts once, and the reads from the kernel into it. */
#include "metrics_store.h"

#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

	if (!metrics_exportable(layout)) {
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
	st->hist = metrics_as_hist(layout, &st->slot);
	st->max = metrics_max_series(o);
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
	metrics_norm_key(st->t.kt, st->slot, key, st->norm);
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
int metrics_store__read(struct metrics_store **st, const struct tracer_table *tab,
			size_t leaf_bytes, const struct metrics_opts *o,
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
