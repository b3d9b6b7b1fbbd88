#include "event_decode.h"

#include "render.h"
#include "type_desc.h"

#include <ctype.h>
#include <errno.h>
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

/* The td_type of field f, built in the caller's elem and arr: one element
 * (elem) and, for T[N], the array of them; char[N] is text, as in a table. */
static const struct td_type *field_type(const struct event_field *f, struct td_type *elem,
					struct td_type *arr)
{
	static const enum td_kind kinds[] = {
		[FIELD_INT] = TD_INT, [FIELD_UINT] = TD_UINT, [FIELD_CHARS] = TD_CHARS,
		[FIELD_PTR] = TD_PTR,
	};

	*elem = (struct td_type){ .kind = kinds[f->kind], .size = f->elem_size,
				  .align = f->elem_size };
	if (f->kind == FIELD_CHARS) {
		elem->size = elem->count = f->count;
		return elem;
	}
	if (f->count == 1)
		return elem;
	*arr = (struct td_type){ .kind = TD_ARRAY, .size = f->elem_size * f->count,
				 .align = f->elem_size, .elem = elem, .count = f->count };
	return arr;
}

void event_format_value(const struct event_field *f, const void *data, bool json, FILE *out)
{
	struct td_type elem, arr;

	render_event_value(out, f->name, field_type(f, &elem, &arr),
			   (const unsigned char *)data + f->offset, json);
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
