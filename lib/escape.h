/* The one escaper of every text a program or another user chose (char[]
 * values, comms, paths, trace messages, symbols): for a terminal, and as a
 * JSON string. Pure functions from bytes to text; nothing else of the
 * library is needed, so every printer can build on them. */
#ifndef BCC_C_ESCAPE_H
#define BCC_C_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* How render_escape() writes: RENDER_ESC_QUOTE between '"' (and '"'
 * escaped); RENDER_ESC_BYTES bytes rather than text up to the first NUL:
 * NUL as \0, and trailing zeros as one \0 ("corpus\n\0" for a u8[64]
 * holding "corpus\n"; "\0" for one of zeros; no \0 at the end: full). */
enum {
	RENDER_ESC_QUOTE = 1,
	RENDER_ESC_BYTES = 2,
};

/* Writes s (n bytes) for a terminal, the one escaper of every text a
 * program or another user chose (char[] values, comms, paths, trace
 * messages): valid UTF-8 as is; a backslash doubled; newline, tab and CR
 * as \n, \t, \r; other control bytes, DEL, C1 controls (U+0080..U+009F)
 * and bytes that are not UTF-8 as \xNN, each byte. No escape sequence or
 * line break of the input reaches the output. */
void render_escape(FILE *out, const char *s, size_t n, unsigned flags);

/* The same into dst (size bytes, NUL-terminated, cut before an escape that
 * does not fit), up to s's first NUL, for a column printed with %-16s;
 * 4 * n + 1 bytes always suffice. Returns dst. */
const char *render_escape_buf(char *dst, size_t size, const char *s, size_t n);

/* Writes s (n bytes, stopping at NUL) as a JSON string literal: valid UTF-8
 * as is, each invalid sequence as U+FFFD, '"', '\\', control characters
 * (C0, DEL and C1) escaped. */
void json_string(FILE *out, const char *s, size_t n);

/* The length of the UTF-8 sequence at p (avail > 0 bytes); *valid says
 * whether it is one. An invalid sequence's length is the bytes one U+FFFD
 * replaces (its maximal subpart). */
size_t utf8_seq(const unsigned char *p, size_t avail, bool *valid);

#endif
