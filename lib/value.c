/* The public face of type_desc.c and render.c: a value_type is a td_type
 * (the one model of a C type), kept opaque so that it can grow. */
#include "value.h"

#include "render.h"
#include "type_desc.h"

#include <errno.h>

static const struct td_type *td(const struct value_type *t)
{
	return (const struct td_type *)t;
}

int value_type__parse(const char *desc, struct value_type **out)
{
	struct td_type *t;
	int err = td_parse(desc, &t);

	if (err)
		return err;
	*out = (struct value_type *)t;
	return 0;
}

size_t value_type__size(const struct value_type *t)
{
	return td(t)->size;
}

int value_type__uint(const struct value_type *t, const void *data, const char *member,
		     unsigned long long *out)
{
	const struct td_type *type = td(t);
	const struct td_field *f = NULL;

	if (member) {
		f = td_field(type, member);
		if (!f)
			return -ENOENT;
		type = f->type;
	}
	if (!td_is_integer(type))
		return -EINVAL;
	*out = td_uint(type, (const unsigned char *)data + (f ? f->offset : 0));
	return 0;
}

void value_type__print(const struct value_type *t, const void *data, bool json, FILE *out)
{
	render_value(out, td(t), data, json);
}

void value_type__free(struct value_type *t)
{
	td_free((struct td_type *)t);
}
