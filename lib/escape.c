#include "escape.h"

#include <string.h>

/* The length of the UTF-8 sequence at p (avail bytes), setting *valid. An
 * invalid one's length is its maximal subpart (Unicode 3.9, as Python's
 * errors="replace" and browsers count): the bytes one U+FFFD replaces.
 * Overlongs, surrogates and code points above U+10FFFF are invalid. */
size_t utf8_seq(const unsigned char *p, size_t avail, bool *valid)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need;

	*valid = false;
	if (c < 0x80) {
		*valid = true;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80; /* overlong below */
		hi = c == 0xed ? 0x9f : 0xbf; /* surrogates above */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		lo = c == 0xf0 ? 0x90 : 0x80; /* overlong below */
		hi = c == 0xf4 ? 0x8f : 0xbf; /* beyond U+10FFFF above */
	} else {
		return 1; /* a continuation byte, C0, C1 or F5..FF */
	}
	for (size_t i = 1; i < need; i++) {
		if (i >= avail || p[i] < lo || p[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xbf;
	}
	*valid = true;
	return need;
}

void json_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strnlen(s, n);

	fputc('"', out);
	for (size_t i = 0; i < len; ) {
		unsigned char c = p[i];
		bool valid;
		size_t seq = utf8_seq(p + i, len - i, &valid);

		if (!valid)
			fputs("\xef\xbf\xbd", out); /* U+FFFD */
		else if (seq == 2 && c == 0xc2 && p[i + 1] < 0xa0)
			fprintf(out, "\\u%04x", p[i + 1]); /* a C1 control: CSI is one */
		else if (seq > 1)
			fwrite(p + i, 1, seq, out);
		else if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
		i += seq;
	}
	fputc('"', out);
}

/* The escaped form of the byte or UTF-8 sequence at p (avail > 0 bytes)
 * into buf (at least 8 bytes); returns how many bytes of p it stands for.
 * Valid UTF-8 passes except C1 controls (U+0080..U+009F: CSI is one);
 * '\\', control bytes, DEL and bytes that are not UTF-8 become C escapes,
 * so nothing that reaches a terminal can move its cursor or end a line. */
static size_t escape_seq(const unsigned char *p, size_t avail, unsigned flags, char *buf)
{
	unsigned char c = p[0];
	bool valid;
	size_t seq = utf8_seq(p, avail, &valid);

	if (valid && seq > 1 && !(c == 0xc2 && p[1] < 0xa0)) {
		memcpy(buf, p, seq);
		buf[seq] = '\0';
		return seq;
	}
	if (!valid || seq > 1) {
		snprintf(buf, 8, "\\x%02x", c); /* one byte at a time: lossless */
		return 1;
	}
	if (c == '\\' || (c == '"' && (flags & RENDER_ESC_QUOTE)))
		snprintf(buf, 8, "\\%c", c);
	else if (c == '\n')
		strcpy(buf, "\\n");
	else if (c == '\t')
		strcpy(buf, "\\t");
	else if (c == '\r')
		strcpy(buf, "\\r");
	else if (c == '\0') /* \x00 before a digit: "\01" would read as one octal */
		strcpy(buf, avail > 1 && p[1] >= '0' && p[1] <= '7' ? "\\x00" : "\\0");
	else if (c < 0x20 || c == 0x7f)
		snprintf(buf, 8, "\\x%02x", c);
	else
		snprintf(buf, 8, "%c", c);
	return 1;
}

/* The bytes of s that are shown: text up to its first NUL; bytes up to
 * the last non-zero one and one NUL after it, when the array was not full
 * (the rest is zeros: the array's size says how many). */
static size_t escape_len(const char *s, size_t n, unsigned flags)
{
	size_t len = n;

	if (!(flags & RENDER_ESC_BYTES))
		return strnlen(s, n);
	while (len && !s[len - 1])
		len--;
	return len < n ? len + 1 : len;
}

/* How many bytes at p print as they are (printable ASCII but '\\', and
 * '"' when quoted): written in one go, as a flood of trace lines is mostly
 * that. */
static size_t plain_run(const unsigned char *p, size_t len, unsigned flags)
{
	size_t i = 0;

	while (i < len && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' &&
	       !(p[i] == '"' && (flags & RENDER_ESC_QUOTE)))
		i++;
	return i;
}

void render_escape(FILE *out, const char *s, size_t n, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = escape_len(s, n, flags);
	char buf[8];

	if (flags & RENDER_ESC_QUOTE)
		fputc('"', out);
	for (size_t i = 0; i < len;) {
		size_t plain = plain_run(p + i, len - i, flags);

		fwrite(p + i, 1, plain, out);
		i += plain;
		if (i < len) {
			i += escape_seq(p + i, len - i, flags, buf);
			fputs(buf, out);
		}
	}
	if (flags & RENDER_ESC_QUOTE)
		fputc('"', out);
}

const char *render_escape_buf(char *dst, size_t size, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strnlen(s, n), used = 0;
	char buf[8];

	for (size_t i = 0; i < len && size;) {
		size_t seq = plain_run(p + i, len - i, 0), blen = seq;
		const char *from = s + i;

		if (!seq) {
			seq = escape_seq(p + i, len - i, 0, buf);
			blen = strlen(buf);
			from = buf;
		}
		if (used + blen >= size) {
			if (from == buf || used + 1 >= size)
				break; /* never half an escape */
			seq = blen = size - 1 - used;
		}
		memcpy(dst + used, from, blen);
		used += blen;
		i += seq;
	}
	if (size)
		dst[used] = '\0';
	return dst;
}
