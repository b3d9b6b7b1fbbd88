#include "uapi_names.h"

#include <ctype.h>
#include <stdbool.h>
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

/* Whether [p, end) starts with word and a blank. */
static bool keyword(const char *p, const char *end, const char *word, size_t n)
{
	return (size_t)(end - p) > n && !memcmp(p, word, n) && (p[n] == ' ' || p[n] == '\t');
}

#define KEYWORD(p, end, word) keyword(p, end, word, sizeof(word) - 1)

/* The name line [p, end) declares, or 0 (see uapi_names_scan()). Most of
 * the file is comments: their lines are left at the first character. */
static size_t line_name(const char *p, const char *end, const char **name)
{
	const char *q;
	size_t n;

	switch (*p) {
	case '#':
		p = skip_blanks(p + 1, end);
		if (!KEYWORD(p, end, "define"))
			return 0;
		*name = skip_blanks(p + 6, end);
		return ident(*name, end, &q);
	case 's':
	case 'u':
	case 'e':
		if (KEYWORD(p, end, "struct"))
			p += 6;
		else if (KEYWORD(p, end, "union"))
			p += 5;
		else if (KEYWORD(p, end, "enum"))
			p += 4;
		else
			return 0;
		*name = skip_blanks(p, end);
		n = ident(*name, end, &q);
		q = skip_blanks(q, end);
		return n && q < end && *q == '{' ? n : 0;
	case ' ':
	case '\t':
		/* an enumerator; a struct member has a type before its name, a
		 * macro continuation a '(' after it, a comment a '*' first */
		*name = skip_blanks(p, end);
		n = ident(*name, end, &q);
		q = skip_blanks(q, end);
		if (!n || !(q == end || *q == ',' || *q == '=' ||
			    (end - q >= 2 && q[0] == '/' && q[1] == '*')))
			return 0;
		return n;
	default:
		return 0;
	}
}

int uapi_names_scan(const char *text, size_t len,
		    int (*fn)(const char *name, size_t len, void *ctx), void *ctx)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *q = skip_blanks(p, end), *close, *nl, *eol, *name;
		size_t n;
		int err;

		/* a comment block (most of the file: the helpers' manual) is
		 * skipped whole, not line by line */
		if (end - q >= 2 && q[0] == '/' && q[1] == '*') {
			/* by its '/', rarer there than '*' (glibc's memmem
			 * goes byte by byte for a short needle) */
			for (close = q + 3; close < end; close++) {
				close = memchr(close, '/', (size_t)(end - close));
				if (!close || close[-1] == '*')
					break;
			}
			p = close && close < end ? close + 1 : end;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		eol = nl ? nl : end;
		n = p < eol ? line_name(p, eol, &name) : 0;
		err = n ? fn(name, n, ctx) : 0;
		if (err)
			return err;
		p = eol + 1;
	}
	return 0;
}
