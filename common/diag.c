#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIRTUAL_MAIN "/virtual/main.c:"

/* The 1-based number of the only line of text equal to line[0..len), or 0
 * when there is none or more than one. */
static long unique_line(const char *text, const char *line, size_t len)
{
	long no = 1, found = 0;

	for (const char *p = text; p; no++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n == len && !memcmp(p, line, len)) {
			if (found)
				return 0;
			found = no;
		}
		p = nl ? nl + 1 : NULL;
	}
	return found;
}

/* How far libbcc's numbering runs ahead: from a diagnostic line
 * "/virtual/main.c:L:C: ..." followed by the quoted source line. */
static long find_shift(const char *diag, const char *text)
{
	for (const char *p = strstr(diag, VIRTUAL_MAIN); p; p = strstr(p + 1, VIRTUAL_MAIN)) {
		long reported = strtol(p + strlen(VIRTUAL_MAIN), NULL, 10), actual;
		const char *src = strchr(p, '\n'), *end;

		if (!src || reported <= 0)
			continue;
		src++;
		end = strchr(src, '\n');
		if (!end || end == src)
			continue;
		actual = unique_line(text, src, (size_t)(end - src));
		if (actual > 0 && actual <= reported)
			return reported - actual;
	}
	return 0;
}

char *diag_remap(const char *diag, const char *text, const char *name)
{
	long shift = find_shift(diag, text);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	const char *p = diag;

	if (!f)
		return NULL;
	for (const char *hit; (hit = strstr(p, VIRTUAL_MAIN)); ) {
		char *end;
		long line = strtol(hit + strlen(VIRTUAL_MAIN), &end, 10);

		fwrite(p, 1, (size_t)(hit - p), f);
		if (end == hit + strlen(VIRTUAL_MAIN)) {
			fprintf(f, "%s:", name);
			p = end;
			continue;
		}
		fprintf(f, "%s:%ld", name, line > shift ? line - shift : line);
		p = end;
	}
	fputs(p, f);
	fclose(f);
	return out;
}
