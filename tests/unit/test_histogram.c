/* The public histogram printers (include/bcc-c/histogram.h), built against
 * include/bcc-c and libbcc-c.so only: their output is bcc's Python
 * _print_log2_hist() and _print_linear_hist() (bcc/table.py) on the same
 * counts, byte for byte. */
#include <bcc-c/histogram.h>

#include "check.h"
#include "memout.h"

#include <stdlib.h>

static char *log2_of(const uint64_t *vals, size_t n, const char *val_type)
{
	struct memout m;

	hist__print_log2(memout_open(&m), vals, n, val_type);
	return memout_close(&m);
}

static char *linear_of(const uint64_t *vals, size_t n, const char *val_type, bool strip)
{
	struct memout m;

	hist__print_linear(memout_open(&m), vals, n, val_type, strip);
	return memout_close(&m);
}

#define STARS40 "****************************************"

static void test_log2(void)
{
	const uint64_t vals[] = { 0, 1, 3, 0, 2 }, zeros[4] = { 0 };
	char *s = log2_of(vals, 5, "usecs");

	CHECK_STR(s, "     usecs               : count     distribution\n"
		     "         0 -> 1          : 1        |*************                           |\n"
		     "         2 -> 3          : 3        |" STARS40 "|\n"
		     "         4 -> 7          : 0        |                                        |\n"
		     "         8 -> 15         : 2        |**************************              |\n");
	free(s);
	s = log2_of(zeros, 4, "usecs");
	CHECK_STR(s, "");
	free(s);
}

static void test_linear(void)
{
	const uint64_t vals[] = { 0, 0, 4, 1, 0, 2 }, zeros[3] = { 0 };
	const char *tail =
		"        2          : 4        |" STARS40 "|\n"
		"        3          : 1        |**********                              |\n"
		"        4          : 0        |                                        |\n"
		"        5          : 2        |********************                    |\n";
	char *s = linear_of(vals, 6, "msecs", false), want[1024];

	snprintf(want, sizeof(want), "     msecs         : count     distribution\n"
		 "        0          : 0        |                                        |\n"
		 "        1          : 0        |                                        |\n%s", tail);
	CHECK_STR(s, want);
	free(s);
	/* strip_leading_zero: from the first non-zero count on, zeros stay */
	s = linear_of(vals, 6, "msecs", true);
	snprintf(want, sizeof(want), "     msecs         : count     distribution\n%s", tail);
	CHECK_STR(s, want);
	free(s);
	s = linear_of(zeros, 3, "msecs", true);
	CHECK_STR(s, "");
	free(s);
}

int main(void)
{
	test_log2();
	test_linear();
	return CHECK_DONE();
}
