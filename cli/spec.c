#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int copy_field(char *dst, size_t len, const char *src, size_t n)
{
	if (n >= len)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int spec_parse(const char *s, int fields, struct spec *out, const char **why)
{
	const char *last = strrchr(s, ':'), *mid = NULL;

	memset(out, 0, sizeof(*out));
	*why = fields == 3 ? "expected A:B:FN with three non-empty fields" :
			     "expected FUNC:FN with two non-empty fields";
	if (!last || !last[1])
		return -EINVAL;
	if (fields == 3) {
		for (mid = last - 1; mid >= s && *mid != ':'; mid--)
			;
		if (mid < s || mid + 1 == last || mid == s)
			return -EINVAL;
	} else if (last == s) {
		return -EINVAL;
	}
	if (copy_field(out->fn, sizeof(out->fn), last + 1, strlen(last + 1)) ||
	    copy_field(out->target, sizeof(out->target), s, (size_t)((mid ? mid : last) - s)) ||
	    (mid && copy_field(out->symbol, sizeof(out->symbol), mid + 1, (size_t)(last - mid - 1)))) {
		*why = "a field is too long";
		return -EINVAL;
	}
	if (!is_ident(out->fn)) {
		*why = "FN must be the name of a function of the BPF text";
		return -EINVAL;
	}
	if (fields == 2 && strchr(out->target, ':')) {
		*why = "expected FUNC:FN";
		return -EINVAL;
	}
	if (mid && !strncmp(out->symbol, "0x", 2)) {
		char *end;

		out->addr = strtoull(out->symbol + 2, &end, 16);
		if (end == out->symbol + 2 || *end) {
			*why = "an address must be hexadecimal, like 0x4005d0";
			return -EINVAL;
		}
		out->symbol[0] = '\0';
	}
	*why = NULL;
	return 0;
}
