/* Histograms keyed by a struct (render_hist_sections() in render.h): the
 * sections, sorted once, each printed by hist.c's log2 printer. */
#include "render.h"

#include "hist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct td_field *render_hist_slot(const struct td_type *kt)
{
	const struct td_field *f = td_field(kt, "slot");
	size_t seen = 0;

	if (kt->kind != TD_STRUCT)
		return NULL;

	for (size_t i = 0; !f && i < kt->nfields; i++)
		if (!kt->fields[i].padding && ++seen == 2)
			f = &kt->fields[i];
	return f && td_is_integer(f->type) && f->type->size <= 8 ? f : NULL;
}

/* Whether keys a and b differ only in the slot (and padding). */
static bool same_section(const struct td_type *kt, const struct td_field *slot,
			 const unsigned char *a, const unsigned char *b)
{
	for (size_t i = 0; i < kt->nfields; i++) {
		const struct td_field *f = &kt->fields[i];

		if (f != slot && !f->padding &&
		    memcmp(a + f->offset, b + f->offset, f->type->size))
			return false;
	}
	return true;
}

static void section_label(FILE *out, const struct td_type *kt, const struct td_field *slot,
			  const unsigned char *key, bool json)
{
	bool first = true;

	for (size_t i = 0; i < kt->nfields; i++) {
		const struct td_field *f = &kt->fields[i];

		if (f == slot || f->padding)
			continue;
		if (json) {
			fputs(first ? "" : ",", out);
			json_string(out, f->name, strlen(f->name));
			fputc(':', out);
			render_member(out, f, key, true);
		} else {
			fprintf(out, "%s%s = ", first ? "" : ", ", f->name);
			if (f->type->kind == TD_CHARS) /* as bcc's tools print a comm */
				render_escape(out, (const char *)key + f->offset, f->type->count, 0);
			else
				render_member(out, f, key, false);
		}
		first = false;
	}
}

bool render_hist_has_slot(const struct td_type *kt)
{
	return render_hist_slot(kt) != NULL;
}

/* What sorting the keys of render_hist_sections() needs to know. */
struct sections {
	const struct td_type *kt;
	const struct td_field *slot;
	const unsigned char *keys;
	/* by position in the sorted keys: the index of its section's head */
	size_t *first;
};

/* Keys by section, and within one by their index: sorted once, the keys
 * of a section are in a row, the one that came first at its head. */
static int section_cmp(const void *a, const void *b, void *ctx)
{
	const struct sections *s = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	for (size_t f = 0; f < s->kt->nfields; f++) {
		const struct td_field *m = &s->kt->fields[f];
		int d;

		if (m == s->slot || m->padding)
			continue;
		d = memcmp(s->keys + i * s->kt->size + m->offset,
			   s->keys + j * s->kt->size + m->offset, m->type->size);
		if (d)
			return d;
	}
	return i < j ? -1 : i > j;
}

/* Heads of sections (positions in the sorted keys) by the index of their
 * first key: the order of first appearance, which the printout keeps. */
static int head_cmp(const void *a, const void *b, void *ctx)
{
	const struct sections *s = ctx;
	size_t i = s->first[*(const size_t *)a], j = s->first[*(const size_t *)b];

	return i < j ? -1 : i > j;
}

static void section_print(FILE *out, const struct sections *s, const size_t *idx, size_t n,
			  const uint64_t *counts, uint64_t *vals, bool json, bool first)
{
	const unsigned char *key = s->keys + idx[0] * s->kt->size;
	size_t nslots = 0;

	for (size_t j = 0; j < n; j++) {
		unsigned long long slot = td_uint(s->slot->type, s->keys + idx[j] * s->kt->size +
						 s->slot->offset);

		if (slot >= HIST_MAX_SLOTS)
			continue; /* not a log2 slot of a 64-bit value */
		vals[slot] += counts[idx[j]];
		nslots = slot + 1 > nslots ? slot + 1 : nslots;
	}
	if (json) {
		fprintf(out, "%s{\"section\":{", first ? "" : ",");
		section_label(out, s->kt, s->slot, key, true);
		fputs("},\"buckets\":", out);
		hist_json_log2(out, vals, nslots);
		fputc('}', out);
	} else {
		fputc('\n', out);
		section_label(out, s->kt, s->slot, key, false);
		fputc('\n', out);
		hist__print_log2(out, vals, nslots, "value");
	}
	memset(vals, 0, nslots * sizeof(*vals));
}

/* The keys sorted by section (idx) and each section's head, in the order
 * of first appearance (heads, *nheads of them): O(n log n). */
static void sections_sort(struct sections *s, size_t *idx, size_t n, size_t *heads,
			  size_t *nheads)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), section_cmp, s);
	*nheads = 0;
	for (size_t i = 0; i < n; i++) {
		if (!i || !same_section(s->kt, s->slot, s->keys + idx[i - 1] * s->kt->size,
					s->keys + idx[i] * s->kt->size))
			heads[(*nheads)++] = i;
		s->first[i] = idx[heads[*nheads - 1]];
	}
	qsort_r(heads, *nheads, sizeof(*heads), head_cmp, s);
}

int render_hist_sections(FILE *out, const struct td_type *kt, const void *keys,
			 const uint64_t *counts, size_t n, bool json, const char *table)
{
	struct sections s = { .kt = kt, .slot = render_hist_slot(kt), .keys = keys };
	size_t *idx, *heads, nheads;
	uint64_t *vals;
	bool ok;

	if (!s.slot)
		return -EINVAL;
	idx = calloc(n ? n : 1, sizeof(*idx));
	heads = calloc(n ? n : 1, sizeof(*heads));
	s.first = calloc(n ? n : 1, sizeof(*s.first));
	vals = calloc(HIST_MAX_SLOTS, sizeof(*vals));
	ok = idx && heads && s.first && vals;
	if (ok) {
		sections_sort(&s, idx, n, heads, &nheads);
		if (json)
			fprintf(out, "{\"type\":\"histogram\",\"name\":\"%s\",\"sections\":[",
				table);
		for (size_t h = 0; h < nheads; h++) {
			size_t end = heads[h] + 1;

			while (end < n && s.first[end] == s.first[heads[h]])
				end++;
			section_print(out, &s, idx + heads[h], end - heads[h], counts, vals, json,
				      !h);
		}
		if (json)
			fputs("]}\n", out);
	}
	free(idx);
	free(heads);
	free(s.first);
	free(vals);
	return ok ? 0 : -ENOMEM;
}
