/* The C type of a table's key or leaf, from the description libbcc writes
 * for it (and the compile cache keeps): a scalar as its quoted name,
 * "\"unsigned int\"", a struct or union as
 * ["name", [["field", TYPE], ["arr", TYPE, [N]], ...], "struct_packed"].
 * libbcc lists the padding it sees as __pad_* fields, so the fields are
 * laid out one after the other; a struct without them is laid out with
 * natural alignment, as clang does. */
#ifndef BCC_C_TYPE_DESC_H
#define BCC_C_TYPE_DESC_H

#include <stdbool.h>
#include <stddef.h>

enum td_kind {
	TD_INT,    /* signed integer of 1, 2, 4, 8 or 16 bytes */
	TD_UINT,   /* unsigned integer of 1, 2, 4, 8 or 16 bytes */
	TD_CHARS,  /* char[N]: text up to the first NUL */
	TD_ARRAY,  /* elem[count] */
	TD_STRUCT,
	TD_UNION,
	TD_PTR,    /* a pointer (an event's field): printed in hex */
};

struct td_field;

struct td_type {
	enum td_kind kind;
	size_t size;
	size_t align;
	struct td_type *elem;     /* TD_ARRAY: the element type; TD_CHARS: NULL */
	size_t count;             /* TD_ARRAY, TD_CHARS: elements */
	struct td_field *fields;  /* TD_STRUCT, TD_UNION */
	size_t nfields;
};

struct td_field {
	char *name;
	size_t offset;
	bool padding; /* a __pad_* member libbcc added: never printed */
	struct td_type *type;
};

/* Bounds on what td_parse() accepts: a description may come from a cache
 * entry on disk, not only from libbcc. A type is at most TD_MAX_SIZE bytes
 * (above the kernel's 4 MiB cap on a map's key or value) and nests structs
 * at most TD_MAX_DEPTH deep. */
#define TD_MAX_SIZE ((size_t)1 << 24)
#define TD_MAX_DEPTH 32

/* Parses desc into *out (free with td_free()). Returns 0, -EINVAL for a
 * description that does not parse, -ENOTSUP for a type it cannot lay out
 * (a bitfield, a float), -E2BIG for one beyond TD_MAX_SIZE or
 * TD_MAX_DEPTH, or -ENOMEM. On success every field lies inside its
 * record: render_value() reads exactly t->size bytes. */
int td_parse(const char *desc, struct td_type **out);

/* The size and alignment of a scalar C type name ("unsigned long", "u32",
 * "unsigned __int128", ...); returns 0, or -ENOTSUP when it is not one. */
int td_scalar(const char *name, size_t len, enum td_kind *kind, size_t *size);

/* The field called name at the top of a struct, or NULL. */
const struct td_field *td_field(const struct td_type *t, const char *name);

/* Whether t is an integer (to be summed, counted, used as a slot). */
bool td_is_integer(const struct td_type *t);

/* The value of an integer type at data, sign-extended; the low 64 bits of
 * a 16-byte one. */
unsigned long long td_uint(const struct td_type *t, const void *data);

void td_free(struct td_type *t);

#endif
