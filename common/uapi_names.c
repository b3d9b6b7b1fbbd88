#include "uapi_names.h"

#include <ctype.h>
#include <string.h>

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* The identifier at p (empty when none); *end_out is just past it. */
static size_t ident(const char *p, const char *end, const char **end_out)
{
	const char *q = p;

	if (q < end && (isalpha(*q) || *q == '_'))
		while (q < end && is_ident(*q))
			q++;
	*end_out = q;
	return (size_t)(q - p);
}

static int starts(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && !memcmp(p, word, n);
}

/* The name line [p, end) declares, or 0 (see uapi_names_scan()). */
static size_t line_name(const char *p, const char *end, const char **name)
{
	static const char *const tags[] = { "struct", "union", "enum" };
	const char *q;
	size_t n;

	if (*p == '#') {
		p = skip_blanks(p + 1, end);
		if (!starts(p, end, "define") || !(p + 6 < end && (p[6] == ' ' || p[6] == '\t')))
			return 0;
		*name = skip_blanks(p + 6, end);
		return ident(*name, end, &q);
	}
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t t = strlen(tags[i]);

		if (!starts(p, end, tags[i]) || p + t >= end || (p[t] != ' ' && p[t] != '\t'))
			continue;
		*name = skip_blanks(p + t, end);
		n = ident(*name, end, &q);
		q = skip_blanks(q, end);
		return n && q < end && *q == '{' ? n : 0;
	}
	if (*p != ' ' && *p != '\t')
		return 0;
	/* an enumerator; a struct member has a type before its name, a macro
	 * continuation a '(' after it, a comment a '*' first */
	*name = skip_blanks(p, end);
	n = ident(*name, end, &q);
	q = skip_blanks(q, end);
	if (!n || !(q == end || *q == ',' || *q == '=' || starts(q, end, "/*")))
		return 0;
	return n;
}

int uapi_names_scan(const char *text, size_t len,
		    int (*fn)(const char *name, size_t len, void *ctx), void *ctx)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end, *name;
		size_t n = p < eol ? line_name(p, eol, &name) : 0;
		int err = n ? fn(name, n, ctx) : 0;

		if (err)
			return err;
		p = eol + 1;
	}
	return 0;
}
