#include "suggest.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define NAME_LEN 128

void suggest_init(struct suggest *s, const char *want)
{
	memset(s, 0, sizeof(*s));
	s->want = want;
	for (int i = 0; i < SUGGEST_MAX; i++)
		s->dist[i] = INT_MAX;
}

/* Levenshtein distance, giving up (returning limit + 1) past limit. */
static int distance(const char *a, const char *b, int limit)
{
	int la = (int)strlen(a), lb = (int)strlen(b), row[NAME_LEN + 1];

	if (la >= NAME_LEN || lb >= NAME_LEN || (la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int diag = row[0], best;

		row[0] = best = i;
		for (int j = 1; j <= lb; j++) {
			int up = row[j], d = diag + (a[i - 1] != b[j - 1]);

			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			if (up + 1 < d)
				d = up + 1;
			diag = up;
			row[j] = d;
			if (d < best)
				best = d;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

void suggest_add(struct suggest *s, const char *candidate)
{
	int limit = (int)strlen(s->want) / 3, d, i;

	if (!strcmp(candidate, s->want) || strlen(candidate) >= NAME_LEN)
		return;
	d = distance(s->want, candidate, limit);
	/* a longer name containing the wanted one ranks after close misspellings */
	if (d > limit && strlen(s->want) >= 4 && strstr(candidate, s->want))
		d = limit + 1 + (int)(strlen(candidate) - strlen(s->want));
	else if (d > limit)
		return;
	for (i = 0; i < SUGGEST_MAX; i++)
		if (!strcmp(s->names[i], candidate))
			return;
	if (d >= s->dist[SUGGEST_MAX - 1])
		return;
	for (i = SUGGEST_MAX - 1; i > 0 && s->dist[i - 1] > d; i--) {
		s->dist[i] = s->dist[i - 1];
		memcpy(s->names[i], s->names[i - 1], NAME_LEN);
	}
	s->dist[i] = d;
	snprintf(s->names[i], NAME_LEN, "%s", candidate);
}

void suggest_format(const struct suggest *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < SUGGEST_MAX && s->dist[i] != INT_MAX && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "", s->names[i]);
}
