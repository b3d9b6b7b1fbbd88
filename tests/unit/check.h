/* A few assertion macros: each failure prints where and what, and the
 * test's exit status counts the failures. */
#ifndef BCC_C_TEST_CHECK_H
#define BCC_C_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                \
			check_failures++;                                        \
		}                                                                \
	} while (0)

#define CHECK_INT(a, b)                                                          \
	do {                                                                     \
		long long _a = (a), _b = (b);                                    \
		if (_a != _b) {                                                  \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n",    \
				__FILE__, __LINE__, #a, _a, _b);                 \
			check_failures++;                                        \
		}                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                          \
	do {                                                                     \
		const char *_a = (a), *_b = (b);                                 \
		if (!_a || strcmp(_a, _b)) {                                     \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n",\
				__FILE__, __LINE__, #a, _a ? _a : "(null)", _b); \
			check_failures++;                                        \
		}                                                                \
	} while (0)

#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d failure(s)\n", check_failures), 1) : 0)

#endif
