#include "event_decode.h"

#include "render.h"
#include "type_desc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Sizes type (without array suffix) into f; returns 0 or -ENOTSUP. */
static int size_type(const char *type, size_t len, struct event_field *f)
{
	enum td_kind kind;

	while (len && type[len - 1] == ' ')
		len--;
	if (len && type[len - 1] == '*') {
		f->kind = FIELD_PTR;
		f->elem_size = sizeof(void *);
		return 0;
	}
	if (td_scalar(type, len, &kind, &f->elem_size))
		return -ENOTSUP;
	f->kind = kind == TD_INT ? FIELD_INT : FIELD_UINT;
	return 0;
}

/* "name#type[N][M]" into f (offset left to the caller). */
static int parse_field(const char *desc, struct event_field *f)
{
	const char *hash = strchr(desc, '#'), *type, *bracket;
	size_t tlen;

	if (!hash || hash == desc || (size_t)(hash - desc) >= sizeof(f->name) || !hash[1])
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	memcpy(f->name, desc, hash - desc);
	type = hash + 1;
	bracket = strchr(type, '[');
	tlen = bracket ? (size_t)(bracket - type) : strlen(type);
	f->count = 1;
	for (const char *b = bracket; b && *b; ) {
		char *end;
		unsigned long long n;

		if (*b != '[' || !isdigit((unsigned char)b[1]))
			return -EINVAL;
		n = strtoull(b + 1, &end, 10);
		if (*end != ']' || n == 0 || n > (1u << 20) || f->count * n > (1u << 20))
			return -EINVAL;
		f->count *= n;
		b = end + 1;
	}
	if (size_type(type, tlen, f))
		return -ENOTSUP;
	if (f->kind == FIELD_INT && f->elem_size == 1 && bracket && !strncmp(type, "char", 4))
		f->kind = FIELD_CHARS;
	return 0;
}

int event_layout_parse(const char *const *descs, size_t n, struct event_layout *l)
{
	size_t off = 0, max_align = 1;

	memset(l, 0, sizeof(*l));
	if (n > EVENT_MAX_FIELDS)
		return -ENOTSUP;
	for (size_t i = 0; i < n; i++) {
		struct event_field *f = &l->fields[i];
		int err = parse_field(descs[i], f);

		if (err)
			return err;
		/* natural alignment: each scalar type aligns to its size here */
		off = (off + f->elem_size - 1) / f->elem_size * f->elem_size;
		f->offset = off;
		off += f->elem_size * f->count;
		if (f->elem_size > max_align)
			max_align = f->elem_size;
	}
	l->n = n;
	l->size = (off + max_align - 1) / max_align * max_align;
	return 0;
}

/* The length of the UTF-8 sequence at p (avail bytes), setting *valid. An
 * invalid one's length is its maximal subpart (Unicode 3.9, as Python's
 * errors="replace" and browsers count): the bytes one U+FFFD replaces.
 * Overlongs, surrogates and code points above U+10FFFF are invalid. */
size_t utf8_seq(const unsigned char *p, size_t avail, bool *valid)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need;

	*valid = false;
	if (c < 0x80) {
		*valid = true;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80; /* overlong below */
		hi = c == 0xed ? 0x9f : 0xbf; /* surrogates above */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		lo = c == 0xf0 ? 0x90 : 0x80; /* overlong below */
		hi = c == 0xf4 ? 0x8f : 0xbf; /* beyond U+10FFFF above */
	} else {
		return 1; /* a continuation byte, C0, C1 or F5..FF */
	}
	for (size_t i = 1; i < need; i++) {
		if (i >= avail || p[i] < lo || p[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xbf;
	}
	*valid = true;
	return need;
}

void json_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strnlen(s, n);

	fputc('"', out);
	for (size_t i = 0; i < len; ) {
		unsigned char c = p[i];
		bool valid;
		size_t seq = utf8_seq(p + i, len - i, &valid);

		if (!valid)
			fputs("\xef\xbf\xbd", out); /* U+FFFD */
		else if (seq == 2 && c == 0xc2 && p[i + 1] < 0xa0)
			fprintf(out, "\\u%04x", p[i + 1]); /* a C1 control: CSI is one */
		else if (seq > 1)
			fwrite(p + i, 1, seq, out);
		else if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
		i += seq;
	}
	fputc('"', out);
}

static void print_scalar(const struct event_field *f, const unsigned char *p, bool json,
			 FILE *out)
{
	uint64_t u = 0;
	int64_t v;

	if (f->elem_size == 16) {
		if (render_is_ipv6_name(f->name))
			render_ipv6(out, p, json);
		else
			render_u128(out, p, f->kind == FIELD_INT);
		return;
	}
	memcpy(&u, p, f->elem_size); /* little-endian: the low bytes */
	if (f->kind == FIELD_PTR) {
		fprintf(out, "\"0x%" PRIx64 "\"", u);
		return;
	}
	if (f->kind == FIELD_UINT) {
		fprintf(out, "%" PRIu64, u);
		return;
	}
	/* sign-extend from elem_size bytes */
	v = f->elem_size == 8 ? (int64_t)u : (int64_t)(u << (64 - 8 * f->elem_size)) >>
							 (64 - 8 * f->elem_size);
	fprintf(out, "%" PRId64, v);
}

void event_format_value(const struct event_field *f, const void *data, bool json, FILE *out)
{
	const unsigned char *base = data;

	if (f->kind == FIELD_CHARS) {
		const char *str = (const char *)base + f->offset;

		if (json)
			json_string(out, str, f->count);
		else
			render_escape(out, str, f->count, 0);
		return;
	}
	if (!json && f->kind == FIELD_UINT && f->elem_size == 1 && f->count > 1) {
		/* u8 buf[N]: bytes, as render_value() shows them in a table */
		if (!render_byte_addr(out, f->name, base + f->offset, f->count))
			render_escape(out, (const char *)base + f->offset, f->count,
				      RENDER_ESC_QUOTE | RENDER_ESC_BYTES);
		return;
	}
	if (f->count > 1)
		fputc('[', out);
	for (size_t k = 0; k < f->count; k++) {
		if (k)
			fputc(',', out);
		print_scalar(f, base + f->offset + k * f->elem_size, json, out);
	}
	if (f->count > 1)
		fputc(']', out);
}

void event_format(const struct event_layout *l, const void *data, size_t size, bool json,
		  FILE *out)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct event_field *f = &l->fields[i];
		struct event_field part;

		if (f->offset + f->elem_size * f->count > size) {
			/* bcc's EVENT_SIZE(len) idiom submits a trailing array only
			 * as far as it is filled: show the elements that came */
			if (f->count == 1 || f->offset + f->elem_size > size)
				break;
			part = *f;
			part.count = (size - f->offset) / f->elem_size;
			f = &part;
		}
		if (i)
			fputc(json ? ',' : ' ', out);
		if (json)
			fprintf(out, "\"%s\":", f->name);
		else
			fprintf(out, "%s=", f->name);
		event_format_value(f, data, json, out);
	}
}
