/* Table and event rendering on byte buffers, no kernel: libbcc's type
 * descriptions (as it wrote them for real texts) laid out and printed as
 * text and JSON; per-CPU values; histograms keyed by a struct; events
 * with 16-byte integers and a short trailing array. */
#include "check.h"
#include "event_decode.h"
#include "memout.h"
#include "render.h"
#include "stacks.h"
#include "type_desc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* What libbcc 0.26 describes for struct key_t { u32 pid; char comm[16];
 * u64 slot; } and for a struct with a nested anonymous struct. */
#define KEY_DESC                                                                            \
	"[\"key_t\", [[\"pid\",\"unsigned int\"], [\"comm\",\"char\", [16]], "                 \
	"[\"__pad_2\",\"char\",[4]], [\"slot\",\"unsigned long long\"] ], \"struct_packed\"]"
#define V6_DESC                                                                             \
	"[\"v6\", [[\"saddr\",\"unsigned __int128\"], [\"port\",\"unsigned short\"], "          \
	"[\"__pad_2\",\"char\",[2]], [\"arr\",\"int\", [3]], [\"inner\",[\"\", "               \
	"[[\"a\",\"unsigned int\"], [\"b\",\"unsigned char\"], [\"__pad_end\",\"char\",[3]] ], " \
	"\"struct_packed\"]], [\"__pad_end\",\"char\",[8]] ], \"struct_packed\"]"
#define FFFD "\xef\xbf\xbd"



static char *rendered(const struct td_type *t, const void *data, bool json)
{
	struct memout m;

	render_value(memout_open(&m), t, data, json);
	return memout_close(&m);
}

#define CHECK_RENDER(t, data, json, expected)              \
	do {                                               \
		char *_o = rendered(t, data, json);        \
		CHECK_STR(_o, expected);                   \
		free(_o);                                  \
	} while (0)

static void test_layout(void)
{
	struct td_type *t;

	CHECK_INT(td_parse(KEY_DESC, &t), 0);
	CHECK_INT(t->kind, TD_STRUCT);
	CHECK_INT(t->size, 32);
	CHECK_INT(t->nfields, 4);
	CHECK_INT(td_field(t, "comm")->offset, 4);
	CHECK_INT(td_field(t, "comm")->type->kind, TD_CHARS);
	CHECK_INT(td_field(t, "slot")->offset, 24);
	CHECK(td_field(t, "__pad_2")->padding);
	td_free(t);

	CHECK_INT(td_parse(V6_DESC, &t), 0);
	CHECK_INT(t->size, 48);
	CHECK_INT(td_field(t, "arr")->offset, 20);
	CHECK_INT(td_field(t, "arr")->type->kind, TD_ARRAY);
	CHECK_INT(td_field(t, "inner")->offset, 32);
	CHECK_INT(td_field(t, "inner")->type->size, 8);
	td_free(t);

	/* without libbcc's padding, natural alignment */
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"char\"], [\"b\",\"unsigned long\"]], \"struct\"]",
			   &t), 0);
	CHECK_INT(td_field(t, "b")->offset, 8);
	CHECK_INT(t->size, 16);
	td_free(t);
	CHECK_INT(td_parse("[\"u\", [[\"a\",\"char\"], [\"b\",\"u32\"]], \"union\"]", &t), 0);
	CHECK_INT(t->size, 4);
	td_free(t);

	CHECK_INT(td_parse("\"unsigned int\"", &t), 0);
	CHECK_INT(t->size, 4);
	td_free(t);
	CHECK_INT(td_parse("\"float\"", &t), -ENOTSUP);
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"int\", 3]], \"struct\"]", &t), -ENOTSUP);
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"int\"", &t), -EINVAL);
	CHECK_INT(td_parse("\"int\" trailing", &t), -EINVAL);
	CHECK_INT(td_parse("", &t), -EINVAL);
}

static void test_values(void)
{
	unsigned char key[32] = { 0 }, v6[48] = { 0 };
	uint32_t pid = 812, neg = (uint32_t)-3;
	uint64_t slot = 7;
	struct td_type *t, *s;

	memcpy(key, &pid, 4);
	memcpy(key + 4, "ba\"sh\n", 6);
	memcpy(key + 24, &slot, 8);
	CHECK_INT(td_parse(KEY_DESC, &t), 0);
	CHECK_RENDER(t, key, false, "{pid=812, comm=\"ba\\\"sh\\n\", slot=7}");
	CHECK_RENDER(t, key, true, "{\"pid\":812,\"comm\":\"ba\\\"sh\\n\",\"slot\":7}");
	td_free(t);

	v6[15] = 1; /* ::1 in network order */
	v6[16] = 0x50; /* port 80 */
	memcpy(v6 + 20, &neg, 4);
	v6[32] = 9;
	v6[36] = 4;
	CHECK_INT(td_parse(V6_DESC, &t), 0);
	CHECK_RENDER(t, v6, false, "{saddr=::1, port=80, arr=[-3, 0, 0], inner={a=9, b=4}}");
	CHECK_RENDER(t, v6, true,
		     "{\"saddr\":\"::1\",\"port\":80,\"arr\":[-3,0,0],\"inner\":{\"a\":9,\"b\":4}}");
	td_free(t);

	/* a 16-byte integer not named as an address: decimal */
	CHECK_INT(td_parse("\"unsigned __int128\"", &s), 0);
	{
		unsigned __int128 big = (unsigned __int128)12345678901234567890ULL * 1000;

		CHECK_RENDER(s, &big, false, "12345678901234567890000");
	}
	td_free(s);
}

/* Every field of t lies inside t, at every level: what render_value()
 * relies on to read only t->size bytes. */
static bool inside(const struct td_type *t)
{
	if (t->kind == TD_ARRAY)
		return t->elem->size * t->count == t->size && inside(t->elem);
	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].offset + t->fields[i].type->size > t->size ||
		    !inside(t->fields[i].type))
			return false;
	return true;
}

/* A description nesting depth structs, innermost an int. */
static char *nested_desc(size_t depth)
{
	static const char open[] = "[\"s\",[[\"f\",", close[] = "]],\"struct\"]";
	char *d = malloc(depth * (sizeof(open) + sizeof(close)) + 8), *p = d;

	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, open);
	p = stpcpy(p, "\"int\"");
	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, close);
	return d;
}

/* A description is read from a cache entry on disk as well as from
 * libbcc: sizes that wrap around, records nested without end and numbers
 * out of range are refused, never laid out wrong. */
static void test_desc_bounds(void)
{
	/* u64 x[2^24][2^24][2^24][2^24] is 2^99 bytes: 0 modulo 2^64, so the
	 * struct came out as 8 bytes and render_value() read far past them */
	static const char wraps[] =
		"[\"s\", [[\"a\",\"unsigned long long\"], [\"x\",\"unsigned long long\", "
		"[16777216,16777216,16777216,16777216]]], \"struct\"]";
	struct td_type *t = NULL;
	char *d;
	int err;

	err = td_parse(wraps, &t);
	CHECK_INT(err, -E2BIG);
	if (!err) {
		unsigned char *buf = calloc(1, t->size);

		fprintf(stderr, "wraps: size %zu\n", t->size);
		CHECK_RENDER(t, buf, false, "(refused)"); /* reads out of bounds */
		free(buf);
		td_free(t);
	}
	/* each array fits, the struct of two does not */
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"char\",[16777216]], [\"b\",\"u8\",[16777216]]], "
			   "\"struct\"]", &t), -E2BIG);
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"char\",[16777216]]], \"struct\"]", &t), 0);
	CHECK_INT(t->size, TD_MAX_SIZE);
	td_free(t);
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"u32\",[4194304, 2]]], \"struct\"]", &t), -E2BIG);
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"u32\",[99999999999999999999999]]], \"struct\"]",
			   &t), -ENOTSUP);
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"u32\",[-1]]], \"struct\"]", &t), -EINVAL);
	CHECK_INT(td_parse("[\"s\", [[\"a\",\"u32\",[0]]], \"struct\"]", &t), -ENOTSUP);

	/* nesting: TD_MAX_DEPTH records parse, one more is refused, and
	 * 300,000 overflowed the stack */
	d = nested_desc(TD_MAX_DEPTH);
	CHECK_INT(td_parse(d, &t), 0);
	if (t) {
		int v = -5;

		CHECK_INT(t->size, 4);
		CHECK(inside(t));
		CHECK_RENDER(t, &v, true, "{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{"
			     "\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{"
			     "\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{\"f\":{"
			     "\"f\":{\"f\":{\"f\":{\"f\":-5}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}");
		td_free(t);
	}
	free(d);
	d = nested_desc(TD_MAX_DEPTH + 1);
	CHECK_INT(td_parse(d, &t), -E2BIG);
	free(d);
	d = nested_desc(300000);
	CHECK_INT(td_parse(d, &t), -E2BIG);
	free(d);

	/* what parses is laid out inside itself */
	CHECK_INT(td_parse(V6_DESC, &t), 0);
	CHECK(inside(t));
	td_free(t);
}

/* Text another user chose (a comm, a file name) cannot drive the
 * terminal: ESC, newlines, C1 controls and bytes that are not UTF-8 are
 * escaped; valid UTF-8 passes, as in JSON. */
#define EVIL "a\033[2J\nb\xff\xc3\xc2\x9b" "caf\xc3\xa9\\"
#define EVIL_TEXT "a\\x1b[2J\\nb\\xff\\xc3\\xc2\\x9bcaf\xc3\xa9\\\\"
static void test_escapes(void)
{
	static const char desc[] =
		"[\"k\", [[\"comm\",\"char\",[24]], [\"buf\",\"unsigned char\",[8]], "
		"[\"daddr\",\"u8\",[4]], [\"v6addr\",\"uint8_t\",[16]]], \"struct\"]";
	const char *descs[] = { "comm#char[24]", "buf#u8[8]", "daddr#u8[4]", "n#u8[3]" };
	unsigned char key[52] = { 0 }, ev[39] = { 0 };
	struct event_layout l;
	struct td_type *t;
	char col[16], *out = NULL;
	size_t len = 0;
	FILE *f;

	memcpy(key, EVIL, sizeof(EVIL) - 1);
	memcpy(key + 24, "corpus\n", 7);
	memcpy(key + 32, "\x0a\x00\x00\x01", 4);
	key[51] = 1;
	CHECK_INT(td_parse(desc, &t), 0);
	CHECK_RENDER(t, key, false, "{comm=\"" EVIL_TEXT "\", buf=\"corpus\\n\\0\", "
		     "daddr=10.0.0.1, v6addr=::1}");
	/* JSON: strings as json_string() (U+FFFD), u8[] as numbers, as bcc's
	 * c_ubyte arrays */
	CHECK_RENDER(t, key, true, "{\"comm\":\"a\\u001b[2J\\nb" FFFD FFFD "\\u009bcaf\xc3\xa9\\\\\","
		     "\"buf\":[99,111,114,112,117,115,10,0],\"daddr\":[10,0,0,1],"
		     "\"v6addr\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]}");
	td_free(t);

	/* the same through the event decoder */
	CHECK_INT(event_layout_parse(descs, 4, &l), 0);
	memcpy(ev, key, 36);
	memcpy(ev + 36, "\0" "1\x80", 3); /* full: no trailing \0 */
	f = open_memstream(&out, &len);
	event_format(&l, ev, sizeof(ev), false, f);
	fclose(f);
	CHECK_STR(out, "comm=" EVIL_TEXT " buf=\"corpus\\n\\0\" daddr=10.0.0.1 n=\"\\x001\\x80\"");
	free(out);

	/* bytes: trailing zeros as one \0; none when the array is full */
	memset(key + 24, 0, 8);
	CHECK_INT(td_parse(desc, &t), 0);
	CHECK_RENDER(t, key, false, "{comm=\"" EVIL_TEXT "\", buf=\"\\0\", daddr=10.0.0.1, v6addr=::1}");
	memset(key + 24, 'z', 8);
	CHECK_RENDER(t, key, false, "{comm=\"" EVIL_TEXT "\", buf=\"zzzzzzzz\", daddr=10.0.0.1, v6addr=::1}");
	td_free(t);

	/* into a column: cut before an escape that does not fit */
	CHECK_STR(render_escape_buf(col, sizeof(col), EVIL, sizeof(EVIL)), "a\\x1b[2J\\nb\\xff");
	CHECK_STR(render_escape_buf(col, sizeof(col) - 1, EVIL, sizeof(EVIL)), "a\\x1b[2J\\nb");
	CHECK_STR(render_escape_buf(col, 3, "\033", 1), "");
}

static void test_percpu(void)
{
	uint64_t vals[3] = { 7, 8, 0 };
	struct td_type *t;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	CHECK_INT(td_parse("\"unsigned long long\"", &t), 0);
	f = open_memstream(&out, &len);
	render_percpu(f, t, vals, 3, 8, false);
	fputc('|', f);
	render_percpu(f, t, vals, 3, 8, true);
	render_percpu_json_cpus(f, t, vals, 3, 8);
	fclose(f);
	CHECK_STR(out, "15 [7 8 0]|15,\"per_cpu\":[7,8,0]");
	free(out);
	td_free(t);
}

static void test_event_int128_and_short(void)
{
	const char *descs[] = { "pid#u32", "daddr#unsigned __int128", "len#u32", "buf#char[64]" };
	struct event_layout l;
	unsigned char ev[100] = { 0 };
	char *out = NULL;
	size_t len = 0, size;
	FILE *f;

	CHECK_INT(event_layout_parse(descs, 4, &l), 0);
	CHECK_INT(l.fields[1].offset, 16);
	CHECK_INT(l.fields[3].offset, 36);
	ev[0] = 42;
	ev[31] = 1;
	ev[32] = 5;
	memcpy(ev + 36, "hello world", 11);
	size = 36 + 5; /* EVENT_SIZE(5): the buffer only as far as it was filled */
	{
		unsigned char *copy = malloc(size);

		memcpy(copy, ev, size);
		f = open_memstream(&out, &len);
		event_format(&l, copy, size, false, f);
		fputc('|', f);
		event_format(&l, copy, size, true, f);
		fclose(f);
		free(copy);
	}
	CHECK_STR(out, "pid=42 daddr=::1 len=5 buf=hello|"
		       "\"pid\":42,\"daddr\":\"::1\",\"len\":5,\"buf\":\"hello\"");
	free(out);
}

static char *stack_text(const char *name, long long id, const char *const *frames, size_t n,
			bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	render_stack(f, name, id, frames, n, json);
	fclose(f);
	return out;
}

/* stackcount's layout: one frame a line under the member's name; a
 * negative id is bcc's "[Missed ... Stack]"; JSON an array of strings. */
static void test_stacks(void)
{
	const char *const frames[] = { "func+0x0", "main+0x1fa", "0x7f35bd6b424a [unknown]" };
	char *s;

	s = stack_text("user_stack_id", 3, frames, 3, false);
	CHECK_STR(s, "    user_stack_id:\n      func+0x0\n      main+0x1fa\n"
		     "      0x7f35bd6b424a [unknown]\n");
	free(s);
	s = stack_text("user_stack_id", 3, frames, 3, true);
	CHECK_STR(s, "\"user_stack_id\":[\"func+0x0\",\"main+0x1fa\","
		     "\"0x7f35bd6b424a [unknown]\"]");
	free(s);
	{ /* a symbol name is the traced binary's: escaped in text */
		const char *const evil[] = { "f\033[2J\nx+0x4" };

		s = stack_text("user_stack_id", 3, evil, 1, false);
		CHECK_STR(s, "    user_stack_id:\n      f\\x1b[2J\\nx+0x4\n");
		free(s);
	}
	s = stack_text("user_stack_id", -14, frames, 0, false);
	CHECK_STR(s, "    user_stack_id:\n      [Missed User Stack]\n");
	free(s);
	s = stack_text("kernel_stack_id", -17, frames, 0, false);
	CHECK_STR(s, "    kernel_stack_id:\n      [Missed Kernel Stack]\n");
	free(s);
	s = stack_text("kstackid", -14, frames, 0, true);
	CHECK_STR(s, "\"kstackid\":[\"[Missed Kernel Stack]\"]");
	free(s);
	s = stack_text("stack_id", 0, frames, 0, true);
	CHECK_STR(s, "\"stack_id\":[]");
	free(s);
	CHECK(stacks_is_id_name("user_stack_id"));
	CHECK(stacks_is_id_name("kernel_stackid"));
	CHECK(stacks_is_id_name("stack_id"));
	CHECK(!stacks_is_id_name("stack_ids"));
	CHECK(!stacks_is_id_name("pid"));
	CHECK(render_stack_is_user_name("ustack_id"));
	CHECK(!render_stack_is_user_name("kernel_stack_id"));
}

/* Whole keys that are stack ids, as a text shows them: 1 and the stack
 * table's name and user flag, or 0. */
static int id_key(const char *text, const char *table, char *stack, bool *user)
{
	stack[0] = '\0';
	*user = false;
	return stacks_text_id_key(text, table, stack, 64, user);
}

static void test_stack_id_keys(void)
{
	char stack[64];
	bool user;

	/* a variable assigned get_stackid(), passed to increment() */
	CHECK(id_key("BPF_HASH(counts, int);\nBPF_STACK_TRACE(stacks, 1024);\n"
		     "int f(struct pt_regs *ctx) {\n\tint id = stacks.get_stackid(ctx, 0);\n"
		     "\tcounts.increment(id);\n\treturn 0;\n}\n", "counts", stack, &user));
	CHECK_STR(stack, "stacks");
	CHECK(!user);
	/* bpf_get_stackid(ctx, &table, flags) with a cast, lookup(&key) */
	CHECK(id_key("u32 key;\nkey = (u32)bpf_get_stackid(ctx, &traces, BPF_F_USER_STACK);\n"
		     "u64 *v = hits.lookup_or_try_init(&key, &zero);", "hits", stack, &user));
	CHECK_STR(stack, "traces");
	CHECK(user);
	/* the call as the key itself */
	CHECK(id_key("counts.increment(st.get_stackid(ctx, BPF_F_REUSE_STACKID | "
		     "BPF_F_USER_STACK));", "counts", stack, &user));
	CHECK_STR(stack, "st");
	CHECK(user);
	/* a pid key beside a stack id: not the key */
	CHECK(!id_key("u32 pid = bpf_get_current_pid_tgid() >> 32;\n"
		      "int id = stacks.get_stackid(ctx, 0);\ncounts.increment(pid);",
		      "counts", stack, &user));
	/* a member assigned the id, another table's key, a comparison */
	CHECK(!id_key("key.id = stacks.get_stackid(ctx, 0);\ncounts.increment(id);", "counts",
		      stack, &user));
	CHECK(!id_key("int id = stacks.get_stackid(ctx, 0);\nother.increment(id);", "counts",
		      stack, &user));
	CHECK(!id_key("if (id == stacks.get_stackid(ctx, 0)) counts.increment(id);", "counts",
		      stack, &user));
	/* "counts" inside a longer name is not the table */
	CHECK(!id_key("int id = stacks.get_stackid(ctx, 0);\nmycounts.increment(id);",
		      "counts", stack, &user));
	/* an expression built on the id is not the id */
	CHECK(!id_key("int id = stacks.get_stackid(ctx, 0);\ncounts.increment(id + 1);",
		      "counts", stack, &user));
	CHECK(!stacks_text_id_key(NULL, "counts", stack, sizeof(stack), &user));
}

int main(void)
{
	test_stacks();
	test_stack_id_keys();
	test_layout();
	test_desc_bounds();
	test_escapes();
	test_values();
	test_percpu();
	test_event_int128_and_short();
	return CHECK_DONE();
}
