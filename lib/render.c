#include "render.h"

#include "event_decode.h"
#include "hist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void render_u128(FILE *out, const void *data, bool is_signed)
{
	unsigned __int128 v;
	char buf[48], *p = buf + sizeof(buf) - 1;
	bool neg = false;

	memcpy(&v, data, sizeof(v));
	if (is_signed && (v >> 127)) {
		neg = true;
		v = ~v + 1;
	}
	*p = '\0';
	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	fputs(p, out);
}

bool render_is_ipv6_name(const char *name)
{
	return strstr(name, "addr") || strstr(name, "ip6") || strstr(name, "v6");
}

void render_ipv6(FILE *out, const void *data, bool json)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, data, buf, sizeof(buf))) {
		render_u128(out, data, false);
		return;
	}
	fprintf(out, json ? "\"%s\"" : "%s", buf);
}

/* The escaped form of the byte or UTF-8 sequence at p (avail > 0 bytes)
 * into buf (at least 8 bytes); returns how many bytes of p it stands for.
 * Valid UTF-8 passes except C1 controls (U+0080..U+009F: CSI is one);
 * '\\', control bytes, DEL and bytes that are not UTF-8 become C escapes,
 * so nothing that reaches a terminal can move its cursor or end a line. */
static size_t escape_seq(const unsigned char *p, size_t avail, unsigned flags, char *buf)
{
	unsigned char c = p[0];
	bool valid;
	size_t seq = utf8_seq(p, avail, &valid);

	if (valid && seq > 1 && !(c == 0xc2 && p[1] < 0xa0)) {
		memcpy(buf, p, seq);
		buf[seq] = '\0';
		return seq;
	}
	if (!valid || seq > 1) {
		snprintf(buf, 8, "\\x%02x", c); /* one byte at a time: lossless */
		return 1;
	}
	if (c == '\\' || (c == '"' && (flags & RENDER_ESC_QUOTE)))
		snprintf(buf, 8, "\\%c", c);
	else if (c == '\n')
		strcpy(buf, "\\n");
	else if (c == '\t')
		strcpy(buf, "\\t");
	else if (c == '\r')
		strcpy(buf, "\\r");
	else if (c == '\0') /* \x00 before a digit: "\01" would read as one octal */
		strcpy(buf, avail > 1 && p[1] >= '0' && p[1] <= '7' ? "\\x00" : "\\0");
	else if (c < 0x20 || c == 0x7f)
		snprintf(buf, 8, "\\x%02x", c);
	else
		snprintf(buf, 8, "%c", c);
	return 1;
}

/* The bytes of s that are shown: text up to its first NUL; bytes up to
 * the last non-zero one and one NUL after it, when the array was not full
 * (the rest is zeros: the array's size says how many). */
static size_t escape_len(const char *s, size_t n, unsigned flags)
{
	size_t len = n;

	if (!(flags & RENDER_ESC_BYTES))
		return strnlen(s, n);
	while (len && !s[len - 1])
		len--;
	return len < n ? len + 1 : len;
}

/* How many bytes at p print as they are (printable ASCII but '\\', and
 * '"' when quoted): written in one go, as a flood of trace lines is mostly
 * that. */
static size_t plain_run(const unsigned char *p, size_t len, unsigned flags)
{
	size_t i = 0;

	while (i < len && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' &&
	       !(p[i] == '"' && (flags & RENDER_ESC_QUOTE)))
		i++;
	return i;
}

void render_escape(FILE *out, const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = escape_len(s, n, flags);
	char buf[8];

	if (flags & RENDER_ESC_QUOTE)
		fputc('"', out);
	for (size_t i = 0; i < len;) {
		size_t plain = plain_run(p + i, len - i, flags);

		fwrite(p + i, 1, plain, out);
		i += plain;
		if (i < len) {
			i += escape_seq(p + i, len - i, flags, buf);
			fputs(buf, out);
		}
	}
	if (flags & RENDER_ESC_QUOTE)
		fputc('"', out);
}

const char *render_escape_buf(char *dst, size_t size, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strnlen(s, n), used = 0;
	char buf[8];

	for (size_t i = 0; i < len && size;) {
		size_t seq = plain_run(p + i, len - i, 0), blen = seq;
		const char *from = s + i;

		if (!seq) {
			seq = escape_seq(p + i, len - i, 0, buf);
			blen = strlen(buf);
			from = buf;
		}
		if (used + blen >= size) {
			if (from == buf || used + 1 >= size)
				break; /* never half an escape */
			seq = blen = size - 1 - used;
		}
		memcpy(dst + used, from, blen);
		used += blen;
		i += seq;
	}
	if (size)
		dst[used] = '\0';
	return dst;
}

bool render_byte_addr(FILE *out, const char *name, const void *data, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	int af = n == 4 ? AF_INET : n == 16 ? AF_INET6 : 0;

	if (!af || !render_is_ipv6_name(name) || !inet_ntop(af, data, buf, sizeof(buf)))
		return false;
	fputs(buf, out);
	return true;
}

bool render_is_byte_array(const struct td_type *t)
{
	return t->kind == TD_ARRAY && t->elem->kind == TD_UINT && t->elem->size == 1;
}

static void render_int(FILE *out, const struct td_type *t, const void *data)
{
	unsigned long long u;

	if (t->size == 16) {
		render_u128(out, data, t->kind == TD_INT);
		return;
	}
	u = td_uint(t, data);
	if (t->kind == TD_INT)
		fprintf(out, "%lld", (long long)u);
	else
		fprintf(out, "%llu", u);
}

static void render_member(FILE *out, const struct td_field *f, const unsigned char *base,
			  bool json)
{
	if (f->type->size == 16 && td_is_integer(f->type) && render_is_ipv6_name(f->name))
		render_ipv6(out, base + f->offset, json);
	else if (json || !render_is_byte_array(f->type) ||
		 !render_byte_addr(out, f->name, base + f->offset, f->type->count))
		render_value(out, f->type, base + f->offset, json);
}

void render_value(FILE *out, const struct td_type *t, const void *data, bool json)
{
	const unsigned char *p = data;
	bool first = true;

	switch (t->kind) {
	case TD_INT:
	case TD_UINT:
		render_int(out, t, data);
		return;
	case TD_CHARS:
		if (json)
			json_string(out, data, t->count);
		else
			render_escape(out, data, t->count, RENDER_ESC_QUOTE);
		return;
	case TD_ARRAY:
		if (!json && render_is_byte_array(t)) {
			render_escape(out, data, t->count, RENDER_ESC_QUOTE | RENDER_ESC_BYTES);
			return;
		}
		fputc('[', out);
		for (size_t i = 0; i < t->count; i++) {
			fputs(i ? (json ? "," : ", ") : "", out);
			render_value(out, t->elem, p + i * t->elem->size, json);
		}
		fputc(']', out);
		return;
	case TD_STRUCT:
	case TD_UNION:
		fputc('{', out);
		for (size_t i = 0; i < t->nfields; i++) {
			const struct td_field *f = &t->fields[i];

			if (f->padding)
				continue;
			fputs(first ? "" : (json ? "," : ", "), out);
			first = false;
			if (json) {
				json_string(out, f->name, strlen(f->name));
				fputc(':', out);
			} else {
				fprintf(out, "%s=", f->name);
			}
			render_member(out, f, p, json);
		}
		fputc('}', out);
		return;
	}
}

void render_percpu_json_cpus(FILE *out, const struct td_type *t, const void *data,
			     size_t ncpus, size_t stride)
{
	fputs(",\"per_cpu\":[", out);
	for (size_t c = 0; c < ncpus; c++) {
		fputs(c ? "," : "", out);
		render_value(out, t, (const unsigned char *)data + c * stride, true);
	}
	fputc(']', out);
}

void render_percpu(FILE *out, const struct td_type *t, const void *data, size_t ncpus,
		   size_t stride, bool json)
{
	const unsigned char *p = data;
	unsigned long long sum = 0;

	if (td_is_integer(t) && t->size <= 8) {
		for (size_t c = 0; c < ncpus; c++)
			sum += td_uint(t, p + c * stride);
		fprintf(out, t->kind == TD_INT ? "%lld" : "%llu", sum);
		if (json)
			return;
		fputs(" [", out);
		for (size_t c = 0; c < ncpus; c++) {
			fputs(c ? " " : "", out);
			render_value(out, t, p + c * stride, false);
		}
		fputc(']', out);
		return;
	}
	/* no sum for a struct: each CPU's value */
	fputc('[', out);
	for (size_t c = 0; c < ncpus; c++) {
		fputs(c ? (json ? "," : ", ") : "", out);
		render_value(out, t, p + c * stride, json);
	}
	fputc(']', out);
}

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
		hist_print_log2(out, vals, nslots, "value");
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

bool render_stack_is_user_name(const char *name)
{
	return strstr(name, "user") || strstr(name, "ustack") || strstr(name, "usr");
}

void render_stack(FILE *out, const char *name, long long id, const char *const *frames,
		  size_t n, bool json)
{
	const char *missed = render_stack_is_user_name(name) ? "[Missed User Stack]" :
							     "[Missed Kernel Stack]";

	if (json) {
		json_string(out, name, strlen(name));
		fputs(":[", out);
		if (id < 0)
			json_string(out, missed, strlen(missed));
		for (size_t i = 0; id >= 0 && i < n; i++) {
			fputs(i ? "," : "", out);
			json_string(out, frames[i], strlen(frames[i]));
		}
		fputc(']', out);
		return;
	}
	fprintf(out, "    %s:\n", name);
	if (id < 0)
		fprintf(out, "      %s\n", missed);
	for (size_t i = 0; id >= 0 && i < n; i++) {
		/* a symbol is a name whoever built the traced binary chose */
		fputs("      ", out);
		render_escape(out, frames[i], strlen(frames[i]), 0);
		fputc('\n', out);
	}
}
