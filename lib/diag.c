#include "diag.h"

#include <stdbool.h>
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

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/* For a diagnostic's own line, "FILE:LINE:COL: KIND: ...", the length of
 * FILE (*note set for a note); 0 for any other line. */
static size_t located_file(const char *line, size_t len, bool *note)
{
	static const char *const kinds[] = { ": warning: ", ": error: ", ": fatal error: ",
					     ": note: " };

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const char *hit = memmem(line, len, kinds[k], strlen(kinds[k])), *q = hit;

		/* back over ":LINE:COL" */
		for (int field = 0; q && field < 2; field++) {
			const char *digits = q;

			while (q > line && q[-1] >= '0' && q[-1] <= '9')
				q--;
			q = q < digits && q > line && q[-1] == ':' ? q - 1 : NULL;
		}
		if (q) {
			*note = k == 3;
			return (size_t)(q - line);
		}
	}
	return 0;
}

static bool in_headers(const char *file, size_t len)
{
	return starts_with(file, len, "include/") || starts_with(file, len, "arch/") ||
	       starts_with(file, len, "./include/") || starts_with(file, len, "./arch/") ||
	       starts_with(file, len, "/virtual/include/");
}

void diag_drop_headers(char *diag)
{
	char *out = diag, *chain = NULL, *next;
	bool keep = true, dropped = false;

	for (char *p = diag; *p; p = next) {
		char *nl = strchr(p, '\n');
		size_t len, file_len;
		bool note = false;

		next = nl ? nl + 1 : p + strlen(p);
		len = (size_t)(next - p);
		/* the include chain belongs to the diagnostic after it */
		if (starts_with(p, len, "In file included from ")) {
			if (!chain)
				chain = p;
			continue;
		}
		file_len = located_file(p, len, &note);
		if (file_len && !note) {
			keep = !in_headers(p, file_len);
			dropped |= !keep;
		} else if (!file_len && p[0] >= '1' && p[0] <= '9' && memmem(p, len, " generated.", 11)) {
			/* the count would be wrong now */
			keep = !dropped;
		}
		if (keep) {
			char *from = chain ? chain : p;

			memmove(out, from, (size_t)(next - from));
			out += next - from;
		}
		chain = NULL;
	}
	*out = '\0';
}
