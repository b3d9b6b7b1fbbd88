#include "hist.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#define STARS_MAX 40
/* the digits of 2^HIST_MAX_SLOTS and a NUL (log10(2) < 1/3) */
#define POW2_DIGITS (HIST_MAX_SLOTS / 3 + 2)

/* bcc's _stars(): width * val / max stars, a '+' for the overflow case */
static void stars(FILE *out, uint64_t val, uint64_t max, int width)
{
	int n = 0;

	while (n < width && max && (double)n <= (double)width * val / max - 1)
		n++;
	for (int i = 0; i < width; i++)
		fputc(i < n ? (i == n - 1 && val > max ? '+' : '*') : ' ', out);
}

/* 2^k, less one when minus_one, in decimal. bpf_log2l() of a u64 is at most
 * 64, so slots beyond 64 hold no log2 of a value: only a program that
 * indexes the histogram itself fills them. bcc's Python prints their bounds
 * with its big integers; so do we, exactly, instead of shifting a u64 by 64
 * or more (undefined behaviour). */
static const char *pow2_str(size_t k, bool minus_one, char buf[POW2_DIGITS])
{
	unsigned char d[POW2_DIGITS] = { 1 }; /* little-endian decimal digits */
	size_t n = 1;

	for (size_t i = 0; i < k; i++) {
		int carry = 0;

		for (size_t j = 0; j < n; j++) {
			int v = d[j] * 2 + carry;

			d[j] = v % 10;
			carry = v / 10;
		}
		if (carry)
			d[n++] = carry;
	}
	if (minus_one)
		d[0] -= 1; /* 2^k ends in 1, 2, 4, 6 or 8: no borrow */
	while (n > 1 && !d[n - 1])
		n--;
	for (size_t j = 0; j < n; j++)
		buf[j] = (char)('0' + d[n - 1 - j]);
	buf[n] = '\0';
	return buf;
}

/* bcc's bounds of slot i: [2^(i-1), 2^i - 1], slot 1 also holding 0 */
static void bucket(size_t i, char low[POW2_DIGITS], char high[POW2_DIGITS])
{
	if (i <= 1)
		strcpy(low, "0");
	else
		pow2_str(i - 1, false, low);
	pow2_str(i, true, high);
}

void hist__print_log2(FILE *out, const uint64_t *vals, size_t n, const char *val_type)
{
	size_t idx_max = 0;
	uint64_t val_max = 0;
	int wide, width;

	if (n > HIST_MAX_SLOTS)
		n = HIST_MAX_SLOTS;
	/* slot 0 is no log2 bucket (bpf_log2l() is at least 1): bcc's
	 * softirqs and hardirqs keep a total there. bcc's printer skips it;
	 * a value that is there is shown on a line of its own instead, and
	 * left out of the stars' scale. */
	if (n && vals[0])
		fprintf(out, "     %-19s : %" PRIu64 "\n", "slot 0 (not log2)", vals[0]);
	for (size_t i = 1; i < n; i++) {
		if (vals[i])
			idx_max = i;
		if (vals[i] > val_max)
			val_max = vals[i];
	}
	if (!val_max)
		return;
	wide = idx_max > 32;
	width = wide ? STARS_MAX / 2 : STARS_MAX;
	if (wide)
		fprintf(out, "               %-29s : count     distribution\n", val_type);
	else
		fprintf(out, "     %-19s : count     distribution\n", val_type);
	for (size_t i = 1; i <= idx_max; i++) {
		char low[POW2_DIGITS], high[POW2_DIGITS];

		bucket(i, low, high);
		if (wide)
			fprintf(out, "%20s -> %-20s : %-8" PRIu64 " |", low, high, vals[i]);
		else
			fprintf(out, "%10s -> %-10s : %-8" PRIu64 " |", low, high, vals[i]);
		stars(out, vals[i], val_max, width);
		fputs("|\n", out);
	}
}

void hist__print_linear(FILE *out, const uint64_t *vals, size_t n, const char *val_type,
			bool strip_leading_zero)
{
	size_t idx_max = 0;
	uint64_t val_max = 0;
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		if (vals[i]) {
			idx_max = i;
			any = true;
		}
		if (vals[i] > val_max)
			val_max = vals[i];
	}
	if (!any)
		return;
	fprintf(out, "     %-13s : count     distribution\n", val_type);
	for (size_t i = 0; i <= idx_max; i++) {
		if (strip_leading_zero && !vals[i])
			continue;
		strip_leading_zero = false;
		fprintf(out, "        %-10zu : %-8" PRIu64 " |", i, vals[i]);
		stars(out, vals[i], val_max, STARS_MAX);
		fputs("|\n", out);
	}
}

void hist_json_log2(FILE *out, const uint64_t *vals, size_t n)
{
	if (n > HIST_MAX_SLOTS)
		n = HIST_MAX_SLOTS;
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		char low[POW2_DIGITS], high[POW2_DIGITS];

		bucket(i, low, high);
		fprintf(out, "%s{\"low\":%s,\"high\":%s,\"count\":%" PRIu64 "}", i ? "," : "",
			low, high, vals[i]);
	}
	fputc(']', out);
}
