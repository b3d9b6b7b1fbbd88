/* Decoding perf/ring buffer events by the field list libbcc reports for
 * the struct a program submits ("pid#u32", "comm#char[16]", ...): the C
 * layout is recomputed from the types, as bcc's Python does with ctypes. */
#ifndef BCC_C_EVENT_DECODE_H
#define BCC_C_EVENT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define EVENT_MAX_FIELDS 64

enum field_kind {
	FIELD_INT,    /* signed integer */
	FIELD_UINT,   /* unsigned integer */
	FIELD_CHARS,  /* char[N]: text up to the first NUL */
	FIELD_PTR,    /* a pointer: printed in hex */
};

struct event_field {
	char name[64];
	enum field_kind kind;
	size_t offset;
	size_t elem_size; /* bytes of one element */
	size_t count;     /* elements: 1 for a scalar, N for T[N] */
};

struct event_layout {
	struct event_field fields[EVENT_MAX_FIELDS];
	size_t n;
	size_t size; /* sizeof the struct, padding included */
};

/* Builds the layout from n descriptions. Returns 0, -ENOTSUP for a type it
 * cannot size (a nested struct, say: print the raw bytes instead), or
 * -EINVAL for a description that is not "name#type". */
int event_layout_parse(const char *const *descs, size_t n, struct event_layout *l);

/* Writes one event as "name=value ..." or, with json, as a JSON object's
 * members ("\"name\":value,..."), without a newline. Fields beyond size are
 * left out. */
void event_format(const struct event_layout *l, const void *data, size_t size, bool json,
		  FILE *out);

/* Writes only the value of field f of the event at data (the caller has
 * checked that it fits). */
void event_format_value(const struct event_field *f, const void *data, bool json, FILE *out);

/* Writes s (n bytes, stopping at NUL) as a JSON string literal: valid UTF-8
 * as is, each invalid sequence as U+FFFD, '"', '\\', control characters and
 * DEL escaped. */
void json_string(FILE *out, const char *s, size_t n);

/* The length of the UTF-8 sequence at p (avail > 0 bytes); *valid says
 * whether it is one. An invalid sequence's length is the bytes one U+FFFD
 * replaces (its maximal subpart). */
size_t utf8_seq(const unsigned char *p, size_t avail, bool *valid);

#endif
