/* Histograms keyed by a struct (lib/render_hist.c): sections in the order
 * they first appear, bcc's rule for the slot member, slot 0, and many
 * sections at once. */
#include "check.h"
#include "render.h"
#include "type_desc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void test_sections(void)
{
	/* keys { pid, slot }: pid 1 in slots 2 and 3, pid 2 in slot 1 */
	struct {
		uint32_t pid, pad;
		uint64_t slot;
	} keys[3] = { { 1, 0, 2 }, { 2, 0, 1 }, { 1, 0, 3 } };
	uint64_t counts[3] = { 5, 4, 10 };
	struct td_type *t;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	CHECK_INT(td_parse("[\"k\", [[\"pid\",\"u32\"], [\"__pad_1\",\"char\",[4]], "
			   "[\"slot\",\"u64\"]], \"struct_packed\"]", &t), 0);
	CHECK(render_hist_has_slot(t));
	f = open_memstream(&out, &len);
	CHECK_INT(render_hist_sections(f, t, keys, counts, 3, false, "dist"), 0);
	fclose(f);
	CHECK(strstr(out, "\npid = 1\n     value               : count     distribution\n"
			  "         0 -> 1          : 0        |"));
	CHECK(strstr(out, "         2 -> 3          : 5        |********************"));
	CHECK(strstr(out, "         4 -> 7          : 10       |****************************************|"));
	CHECK(strstr(out, "\npid = 2\n"));
	CHECK(strstr(out, "pid = 1") < strstr(out, "pid = 2"));
	free(out);

	out = NULL;
	f = open_memstream(&out, &len);
	CHECK_INT(render_hist_sections(f, t, keys, counts, 3, true, "dist"), 0);
	fclose(f);
	CHECK(!strncmp(out, "{\"type\":\"histogram\",\"name\":\"dist\",\"sections\":"
			    "[{\"section\":{\"pid\":1},\"buckets\":[", 78));
	free(out);
	td_free(t);

	/* a comm section header, escaped as a comm column is */
	{
		struct {
			char comm[16];
			uint64_t slot;
		} ck = { "ev\033[2J\nil", 1 };

		CHECK_INT(td_parse("[\"k\", [[\"comm\",\"char\",[16]], [\"slot\",\"u64\"]], "
				   "\"struct\"]", &t), 0);
		out = NULL;
		f = open_memstream(&out, &len);
		CHECK_INT(render_hist_sections(f, t, &ck, counts, 1, false, "dist"), 0);
		fclose(f);
		CHECK(out && strstr(out, "\ncomm = ev\\x1b[2J\\nil\n") == out);
		free(out);
		td_free(t);
	}

	/* no slot member */
	CHECK_INT(td_parse("[\"k\", [[\"comm\",\"char\",[16]]], \"struct\"]", &t), 0);
	CHECK(!render_hist_has_slot(t));
	CHECK_INT(render_hist_sections(stdout, t, keys, counts, 0, false, "x"), -EINVAL);
	td_free(t);
}

/* render_hist_sections() of n keys { u32 name; u64 slot; } as text, the
 * key's type described as libbcc does (a caller frees it). */
static char *sections_of(const char *name, const void *keys, const uint64_t *counts, size_t n)
{
	char desc[160], *out = NULL;
	size_t len = 0;
	struct td_type *t;
	FILE *f = open_memstream(&out, &len);

	snprintf(desc, sizeof(desc), "[\"k\", [[\"%s\",\"u32\"], [\"__pad_1\",\"char\",[4]], "
		 "[\"slot\",\"u64\"]], \"struct_packed\"]", name);
	CHECK_INT(td_parse(desc, &t), 0);
	CHECK_INT(render_hist_sections(f, t, keys, counts, n, false, "dist"), 0);
	fclose(f);
	td_free(t);
	return out;
}

/* 40000 entries of 20000 sections (pid i in slots 1 and 2, the second
 * half of the keys in reverse): each section is printed once, in the
 * order of first appearance, with both its counts. With a scan of the
 * keys for each section (O(n^2)) this took seconds; sorted once, it is
 * O(n log n) (bench/hist_sections measures the ratio). */
static void test_many_sections(void)
{
	enum { NSEC = 20000, N = 2 * NSEC };
	struct key {
		uint32_t pid, pad;
		uint64_t slot;
	} *keys = calloc(N, sizeof(*keys));
	uint64_t *counts = calloc(N, sizeof(*counts));
	char *out, *p, want[64];
	size_t found = 0;

	for (uint32_t i = 0; i < NSEC; i++) {
		keys[i] = (struct key){ .pid = i, .slot = 1 };
		keys[N - 1 - i] = (struct key){ .pid = i, .slot = 2 };
		counts[i] = 1;
		counts[N - 1 - i] = 2;
	}
	out = sections_of("pid", keys, counts, N);
	/* line by line: ASan's strstr() measures all of out at every call */
	for (p = out; *p; p++) {
		if (*p != '\n' || strncmp(p, "\npid = ", 7))
			continue;
		snprintf(want, sizeof(want), "\npid = %zu\n", found);
		if (strncmp(p, want, strlen(want)))
			break;
		found++;
	}
	CHECK_INT(found, NSEC);
	snprintf(want, sizeof(want), "\npid = %d\n", NSEC - 1);
	p = strstr(out, want);
	CHECK(p && strstr(p, "         0 -> 1          : 1        |********************"));
	CHECK(p && strstr(p, "         2 -> 3          : 2        |****************************************|"));
	free(out);
	free(keys);
	free(counts);
}

/* bcc's softirqs without -d: each vector's total in slot 0 of its section
 * (an empty section over data hid them all). */
static void test_section_slot0(void)
{
	struct {
		uint32_t vec, pad;
		uint64_t slot;
	} keys[2] = { { 3, 0, 0 }, { 7, 0, 0 } };
	uint64_t counts[2] = { 5123456, 42 };
	char *out = sections_of("vec", keys, counts, 2);

	CHECK_STR(out, "\nvec = 3\n     slot 0 (not log2)   : 5123456\n"
		       "\nvec = 7\n     slot 0 (not log2)   : 42\n");
	free(out);
}

int main(void)
{
	test_sections();
	test_many_sections();
	test_section_slot0();
	return CHECK_DONE();
}
