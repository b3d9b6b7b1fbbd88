#include "include_line.h"

#include <stdio.h>
#include <string.h>

static const char *skip_blanks(const char *p, const char *eol)
{
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

bool include_line(const char *p, const char *eol, char *out, size_t size, bool *quoted)
{
	const char *q;
	char close;

	p = skip_blanks(p, eol);
	if (p == eol || *p++ != '#')
		return false;
	p = skip_blanks(p, eol);
	if (eol - p < 7 || strncmp(p, "include", 7))
		return false;
	p = skip_blanks(p + 7, eol);
	if (p == eol || (*p != '<' && *p != '"'))
		return false;
	*quoted = *p == '"';
	close = *p++ == '<' ? '>' : '"';
	q = memchr(p, close, (size_t)(eol - p));
	return q && q > p && snprintf(out, size, "%.*s", (int)(q - p), p) < (int)size;
}
