/* libFuzzer target: table type descriptions (td_parse(), as libbcc or a
 * cache entry gives them) and the printing of table keys and values.
 * Input: the description, a '\0', then the value's bytes. */
#include "render.h"
#include "type_desc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every member lies inside its record, at every level. */
static void check_inside(const struct td_type *t)
{
	if (t->size > TD_MAX_SIZE)
		abort();
	if (t->kind == TD_ARRAY) {
		if (t->elem->size * t->count != t->size)
			abort();
		check_inside(t->elem);
	}
	for (size_t i = 0; i < t->nfields; i++) {
		if (t->fields[i].offset + t->fields[i].type->size > t->size)
			abort();
		check_inside(t->fields[i].type);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t dlen = nul ? (size_t)(nul - data) : size;
	char *desc = malloc(dlen + 1);
	FILE *out = fopen("/dev/null", "w");
	struct td_type *t;

	if (!desc || !out)
		goto done;
	memcpy(desc, data, dlen);
	desc[dlen] = '\0';
	if (td_parse(desc, &t) == 0) {
		const uint8_t *v = nul ? nul + 1 : data + size;
		size_t vlen = (size_t)(data + size - v);

		check_inside(t);
		/* as dump.c does: a value is printed only when its size is the
		 * type's; copied so that ASan sees a read beyond it */
		if (vlen >= t->size) {
			uint8_t *copy = malloc(t->size ? t->size : 1);

			if (copy) {
				memcpy(copy, v, t->size);
				render_value(out, t, copy, false);
				render_value(out, t, copy, true);
				free(copy);
			}
		}
		td_free(t);
	}
done:
	if (out)
		fclose(out);
	free(desc);
	return 0;
}
