/* "Did you mean": the few names closest to a misspelt one, among many
 * candidates fed one at a time (kallsyms, available_events). */
#ifndef BCC_C_SUGGEST_H
#define BCC_C_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX 5

struct suggest {
	const char *want;
	char names[SUGGEST_MAX][128];
	int dist[SUGGEST_MAX]; /* ascending; unused slots hold INT_MAX */
};

void suggest_init(struct suggest *s, const char *want);
/* Considers one candidate: kept if it is close (edit distance at most a
 * third of the name's length, or it contains the wanted name). */
void suggest_add(struct suggest *s, const char *candidate);
/* "a, b, c" into buf ("" when nothing is close). */
void suggest_format(const struct suggest *s, char *buf, size_t len);

#endif
