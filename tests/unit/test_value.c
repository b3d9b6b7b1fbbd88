/* The public value decoder and printer (include/bcc-c/value.h), built
 * against include/bcc-c and libbcc-c.so only, on a key libbcc describes. */
#include <bcc-c/value.h>

#include "check.h"
#include "memout.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

static char *printed(const struct value_type *t, const void *data, bool json)
{
	struct memout m;

	value_type__print(t, data, json, memout_open(&m));
	return memout_close(&m);
}

struct key {
	uint32_t pid;
	char comm[16];
	long long ts;
};

static void test_struct(void)
{
	const char *desc = "[\"key_t\", [[\"pid\", \"unsigned int\"], [\"comm\", \"char\", [16]], "
			   "[\"ts\", \"long long\"]], \"struct\"]";
	struct key k = { .pid = 42, .comm = "ba\"sh\n", .ts = -5 };
	struct value_type *t = NULL;
	unsigned long long u = 0;
	char *s;

	CHECK_INT(value_type__parse(desc, &t), 0);
	if (!t)
		return;
	CHECK_INT(value_type__size(t), sizeof(k));
	s = printed(t, &k, false);
	CHECK_STR(s, "{pid=42, comm=\"ba\\\"sh\\n\", ts=-5}");
	free(s);
	s = printed(t, &k, true);
	CHECK_STR(s, "{\"pid\":42,\"comm\":\"ba\\\"sh\\n\",\"ts\":-5}");
	free(s);
	CHECK_INT(value_type__uint(t, &k, "pid", &u), 0);
	CHECK_INT(u, 42);
	CHECK_INT(value_type__uint(t, &k, "ts", &u), 0);
	CHECK_INT((long long)u, -5);
	CHECK_INT(value_type__uint(t, &k, "comm", &u), -EINVAL);
	CHECK_INT(value_type__uint(t, &k, "nope", &u), -ENOENT);
	CHECK_INT(value_type__uint(t, &k, NULL, &u), -EINVAL);
	value_type__free(t);
}

static void test_scalar_and_errors(void)
{
	struct value_type *t = NULL;
	unsigned long long u = 0;
	int16_t v = -2;
	char *s;

	CHECK_INT(value_type__parse("\"short\"", &t), 0);
	if (t) {
		CHECK_INT(value_type__size(t), 2);
		CHECK_INT(value_type__uint(t, &v, NULL, &u), 0);
		CHECK_INT((long long)u, -2);
		s = printed(t, &v, false);
		CHECK_STR(s, "-2");
		free(s);
		value_type__free(t);
	}
	CHECK_INT(value_type__parse("[\"k\", [[\"a\", \"int\"]", &t), -EINVAL);
	CHECK_INT(value_type__parse("\"float\"", &t), -ENOTSUP);
	/* a bitfield: libbcc writes its width in place of the dimensions */
	CHECK_INT(value_type__parse("[\"k\", [[\"a\", \"int\", 3]], \"struct\"]", &t), -ENOTSUP);
	value_type__free(NULL);
}

int main(void)
{
	test_struct();
	test_scalar_and_errors();
	return CHECK_DONE();
}
