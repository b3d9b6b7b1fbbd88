#include "type_desc.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	size_t size;
	enum td_kind kind;
} scalars[] = {
	{ "char", 1, TD_INT }, { "signed char", 1, TD_INT }, { "s8", 1, TD_INT },
	{ "__s8", 1, TD_INT }, { "int8_t", 1, TD_INT }, { "unsigned char", 1, TD_UINT },
	{ "u8", 1, TD_UINT }, { "__u8", 1, TD_UINT }, { "uint8_t", 1, TD_UINT },
	{ "bool", 1, TD_UINT }, { "_Bool", 1, TD_UINT },
	{ "short", 2, TD_INT }, { "short int", 2, TD_INT }, { "s16", 2, TD_INT },
	{ "__s16", 2, TD_INT }, { "int16_t", 2, TD_INT }, { "unsigned short", 2, TD_UINT },
	{ "unsigned short int", 2, TD_UINT }, { "u16", 2, TD_UINT },
	{ "__u16", 2, TD_UINT }, { "uint16_t", 2, TD_UINT }, { "__be16", 2, TD_UINT },
	{ "int", 4, TD_INT }, { "s32", 4, TD_INT }, { "__s32", 4, TD_INT },
	{ "int32_t", 4, TD_INT }, { "pid_t", 4, TD_INT }, { "unsigned int", 4, TD_UINT },
	{ "unsigned", 4, TD_UINT }, { "u32", 4, TD_UINT }, { "__u32", 4, TD_UINT },
	{ "uint32_t", 4, TD_UINT }, { "uid_t", 4, TD_UINT }, { "gid_t", 4, TD_UINT },
	{ "__be32", 4, TD_UINT },
	{ "long", 8, TD_INT }, { "long int", 8, TD_INT }, { "long long", 8, TD_INT },
	{ "long long int", 8, TD_INT }, { "s64", 8, TD_INT }, { "__s64", 8, TD_INT },
	{ "int64_t", 8, TD_INT }, { "ssize_t", 8, TD_INT },
	{ "unsigned long", 8, TD_UINT }, { "unsigned long int", 8, TD_UINT },
	{ "unsigned long long", 8, TD_UINT }, { "unsigned long long int", 8, TD_UINT },
	{ "u64", 8, TD_UINT }, { "__u64", 8, TD_UINT }, { "uint64_t", 8, TD_UINT },
	{ "size_t", 8, TD_UINT },
	{ "__int128", 16, TD_INT }, { "__int128_t", 16, TD_INT },
	{ "unsigned __int128", 16, TD_UINT }, { "__uint128_t", 16, TD_UINT },
	{ "__u128", 16, TD_UINT }, { "u128", 16, TD_UINT },
};

int td_scalar(const char *name, size_t len, enum td_kind *kind, size_t *size)
{
	while (len && name[len - 1] == ' ')
		len--;
	if (len > 5 && !strncmp(name, "enum ", 5)) {
		*kind = TD_INT;
		*size = 4;
		return 0;
	}
	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		if (strlen(scalars[i].name) == len && !strncmp(name, scalars[i].name, len)) {
			*kind = scalars[i].kind;
			*size = scalars[i].size;
			return 0;
		}
	}
	return -ENOTSUP;
}

/* A cursor over the description: a tiny JSON reader (strings without
 * escapes, arrays, unsigned numbers), which is all libbcc writes. depth
 * counts the records open around it: a description also comes from a
 * cache entry on disk, and the parser, td_free() and the printers recurse
 * once per level. */
struct cur {
	const char *p;
	unsigned depth;
};

/* Sizes beyond any BPF map's key or value (the kernel caps them at
 * KMALLOC_MAX_SIZE, 4 MiB) are refused before they can wrap around. */
static int size_mul(size_t a, size_t b, size_t *out)
{
	if (b && a > TD_MAX_SIZE / b)
		return -E2BIG;
	*out = a * b;
	return 0;
}

static int size_add(size_t a, size_t b, size_t *out)
{
	if (a > TD_MAX_SIZE || b > TD_MAX_SIZE - a)
		return -E2BIG;
	*out = a + b;
	return 0;
}

static void skip_ws(struct cur *c)
{
	while (isspace((unsigned char)*c->p))
		c->p++;
}

static bool eat(struct cur *c, char ch)
{
	skip_ws(c);
	if (*c->p != ch)
		return false;
	c->p++;
	return true;
}

/* A string's contents: *s and *len point into the description. */
static int read_string(struct cur *c, const char **s, size_t *len)
{
	const char *end;

	if (!eat(c, '"'))
		return -EINVAL;
	end = strchr(c->p, '"');
	if (!end)
		return -EINVAL;
	*s = c->p;
	*len = (size_t)(end - c->p);
	c->p = end + 1;
	return 0;
}

static int read_number(struct cur *c, size_t *n)
{
	char *end;
	unsigned long long v;

	skip_ws(c);
	if (!isdigit((unsigned char)*c->p))
		return -EINVAL;
	v = strtoull(c->p, &end, 10);
	if (v > (1u << 24))
		return -ENOTSUP;
	*n = (size_t)v;
	c->p = end;
	return 0;
}

static struct td_type *new_type(enum td_kind kind, size_t size, size_t align)
{
	struct td_type *t = calloc(1, sizeof(*t));

	if (t) {
		t->kind = kind;
		t->size = size;
		t->align = align;
	}
	return t;
}

static int parse_type(struct cur *c, struct td_type **out);

/* TYPE [N][M]...: an array of arrays, outermost first. */
static int wrap_arrays(const size_t *dims, size_t ndims, struct td_type **t)
{
	for (size_t i = ndims; i-- > 0;) {
		struct td_type *a;
		size_t size;

		if (!dims[i])
			return -ENOTSUP;
		if ((*t)->kind == TD_INT && (*t)->size == 1 && i == ndims - 1) {
			/* char[N] is text, as bcc shows it */
			(*t)->kind = TD_CHARS;
			(*t)->count = dims[i];
			(*t)->size = dims[i];
			continue;
		}
		if (size_mul((*t)->size, dims[i], &size))
			return -E2BIG;
		a = new_type(TD_ARRAY, size, (*t)->align);
		if (!a)
			return -ENOMEM;
		a->elem = *t;
		a->count = dims[i];
		*t = a;
	}
	return 0;
}

/* ["name", TYPE] or ["name", TYPE, [N, ...]]; a number in place of the
 * dimensions is a bitfield's width. */
static int parse_field(struct cur *c, struct td_field *f)
{
	const char *name;
	size_t len, dims[8], ndims = 0;
	int err;

	if (!eat(c, '[') || (err = read_string(c, &name, &len)) || !eat(c, ','))
		return -EINVAL;
	f->name = strndup(name, len);
	if (!f->name)
		return -ENOMEM;
	f->padding = !strncmp(f->name, "__pad_", 6);
	err = parse_type(c, &f->type);
	if (err)
		return err;
	if (eat(c, ',')) {
		if (!eat(c, '['))
			return -ENOTSUP; /* a bitfield */
		do {
			if (ndims == sizeof(dims) / sizeof(dims[0]))
				return -ENOTSUP;
			err = read_number(c, &dims[ndims++]);
			if (err)
				return err;
		} while (eat(c, ','));
		if (!eat(c, ']'))
			return -EINVAL;
		err = wrap_arrays(dims, ndims, &f->type);
		if (err)
			return err;
	}
	return eat(c, ']') ? 0 : -EINVAL;
}

/* Field offsets, size and alignment of a parsed struct or union. Every
 * size is at most TD_MAX_SIZE (size_mul(), size_add()), so a field always
 * lies inside its record. */
static int record_layout(struct td_type *t, bool packed)
{
	size_t off = 0, size = 0, align = 1;

	for (size_t i = 0; i < t->nfields; i++) {
		const struct td_type *ft = t->fields[i].type;

		if (ft->align > align)
			align = ft->align;
		if (t->kind == TD_UNION) {
			size = ft->size > size ? ft->size : size;
			continue;
		}
		if (!packed)
			off = (off + ft->align - 1) / ft->align * ft->align;
		t->fields[i].offset = off;
		if (size_add(off, ft->size, &off))
			return -E2BIG;
	}
	t->align = packed ? 1 : align;
	t->size = t->kind == TD_UNION ? size : off;
	if (!packed)
		t->size = (t->size + align - 1) / align * align;
	return t->size > TD_MAX_SIZE ? -E2BIG : 0;
}

/* ["name", [FIELD, ...], "struct"|"struct_packed"|"union"] after its '[' */
static int parse_record(struct cur *c, struct td_type **out)
{
	const char *s;
	size_t len;
	struct td_type *t;
	int err;

	if ((err = read_string(c, &s, &len)) || !eat(c, ',') || !eat(c, '['))
		return err ? err : -EINVAL;
	t = new_type(TD_STRUCT, 0, 1);
	if (!t)
		return -ENOMEM;
	*out = t;
	if (!eat(c, ']')) {
		do {
			struct td_field *fields = realloc(t->fields,
							  (t->nfields + 1) * sizeof(*fields));

			if (!fields)
				return -ENOMEM;
			t->fields = fields;
			memset(&fields[t->nfields], 0, sizeof(*fields));
			err = parse_field(c, &fields[t->nfields++]);
			if (err)
				return err;
		} while (eat(c, ','));
		if (!eat(c, ']'))
			return -EINVAL;
	}
	if (!eat(c, ',') || (err = read_string(c, &s, &len)) || !eat(c, ']'))
		return err ? err : -EINVAL;
	if (len == 5 && !strncmp(s, "union", 5))
		t->kind = TD_UNION;
	else if (!(len == 6 && !strncmp(s, "struct", 6)) &&
		 !(len == 13 && !strncmp(s, "struct_packed", 13)))
		return -ENOTSUP;
	return record_layout(t, len == 13);
}

static int parse_type(struct cur *c, struct td_type **out)
{
	const char *s;
	size_t len, size;
	enum td_kind kind;
	int err;

	*out = NULL;
	skip_ws(c);
	if (*c->p == '[') {
		if (c->depth == TD_MAX_DEPTH)
			return -E2BIG;
		c->p++;
		c->depth++;
		err = parse_record(c, out);
		c->depth--;
		return err;
	}
	err = read_string(c, &s, &len);
	if (err)
		return err;
	if (td_scalar(s, len, &kind, &size))
		return -ENOTSUP;
	*out = new_type(kind, size, size);
	return *out ? 0 : -ENOMEM;
}

int td_parse(const char *desc, struct td_type **out)
{
	struct cur c = { .p = desc ? desc : "" };
	struct td_type *t;
	int err = parse_type(&c, &t);

	skip_ws(&c);
	if (!err && *c.p)
		err = -EINVAL;
	if (err) {
		td_free(t);
		return err;
	}
	*out = t;
	return 0;
}

const struct td_field *td_field(const struct td_type *t, const char *name)
{
	for (size_t i = 0; t->kind == TD_STRUCT && i < t->nfields; i++)
		if (!strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}

bool td_is_integer(const struct td_type *t)
{
	return t->kind == TD_INT || t->kind == TD_UINT;
}

unsigned long long td_uint(const struct td_type *t, const void *data)
{
	uint64_t u = 0;
	size_t n = t->size < sizeof(u) ? t->size : sizeof(u);

	memcpy(&u, data, n); /* little-endian: the low bytes */
	if (t->kind == TD_INT && n < sizeof(u) && (u >> (8 * n - 1)) & 1)
		u |= ~(uint64_t)0 << (8 * n);
	return u;
}

void td_free(struct td_type *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nfields; i++) {
		free(t->fields[i].name);
		td_free(t->fields[i].type);
	}
	free(t->fields);
	td_free(t->elem);
	free(t);
}
