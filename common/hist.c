#include "hist.h"

#include <inttypes.h>

#define STARS_MAX 40

/* bcc's _stars(): width * val / max stars, a '+' for the overflow case */
static void stars(FILE *out, uint64_t val, uint64_t max, int width)
{
	int n = 0;

	while (n < width && max && (double)n <= (double)width * val / max - 1)
		n++;
	for (int i = 0; i < width; i++)
		fputc(i < n ? (i == n - 1 && val > max ? '+' : '*') : ' ', out);
}

static void bucket(size_t i, uint64_t *low, uint64_t *high)
{
	*low = (1ULL << i) >> 1;
	*high = i >= 64 ? UINT64_MAX : (1ULL << i) - 1;
	if (*low == *high)
		*low -= 1;
}

void hist_print_log2(FILE *out, const uint64_t *vals, size_t n, const char *val_type)
{
	size_t idx_max = 0;
	uint64_t val_max = 0;
	int wide, width;

	for (size_t i = 0; i < n; i++) {
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
		uint64_t low, high;

		bucket(i, &low, &high);
		if (wide)
			fprintf(out, "%20" PRIu64 " -> %-20" PRIu64 " : %-8" PRIu64 " |", low, high,
				vals[i]);
		else
			fprintf(out, "%10" PRIu64 " -> %-10" PRIu64 " : %-8" PRIu64 " |", low, high,
				vals[i]);
		stars(out, vals[i], val_max, width);
		fputs("|\n", out);
	}
}

void hist_json_log2(FILE *out, const uint64_t *vals, size_t n)
{
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		uint64_t low, high;

		bucket(i, &low, &high);
		if (i == 0)
			low = high = 0;
		fprintf(out, "%s{\"low\":%" PRIu64 ",\"high\":%" PRIu64 ",\"count\":%" PRIu64 "}",
			i ? "," : "", low, high, vals[i]);
	}
	fputc(']', out);
}
