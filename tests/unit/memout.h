/* What a printer writes, caught in memory: memout_open() gives the FILE to
 * print to, memout_close() the text (the caller frees it). */
#ifndef BCC_C_TEST_MEMOUT_H
#define BCC_C_TEST_MEMOUT_H

#include <stdio.h>

struct memout {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *memout_open(struct memout *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	return m->f;
}

static inline char *memout_close(struct memout *m)
{
	fclose(m->f);
	return m->buf;
}

#endif
