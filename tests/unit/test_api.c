/* libbcc-c's public API as a program outside the project sees it: built
 * against include/bcc-c/ only and linked with libbcc-c.so only (not the
 * front ends' library). Every message reaches the print callback and none
 * stderr; failures return a negative errno with a message; a text
 * compiles and its tables and their types are listed, and a table can be
 * written and read. Compiling creates the text's maps (libbcc does), which
 * needs root: without it only the first part runs, and the test says so
 * and exits 77 (skipped). */
#include <bcc-c/perf_buf.h>
#include <bcc-c/table.h>
#include <bcc-c/trace_pipe.h>
#include <bcc-c/tracer.h>
#include <bcc-c/usdt.h>

#include "check.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BPF_MAP_TYPE_HASH 1

static char messages[8192];
static int nmessages, nwarn;

static int record(enum tracer_print_level level, const char *fmt, va_list ap)
{
	size_t used = strlen(messages);

	nmessages++;
	nwarn += level == TRACER_WARN;
	vsnprintf(messages + used, sizeof(messages) - used, fmt, ap);
	used = strlen(messages);
	snprintf(messages + used, sizeof(messages) - used, "\n");
	return 0;
}

/* fd 2 goes to a file while the library runs: it must stay empty. */
static int saved_stderr = -1;
static FILE *captured;

static void quiet_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	saved_stderr = dup(STDERR_FILENO);
	if (!captured || saved_stderr < 0 || dup2(fileno(captured), STDERR_FILENO) < 0) {
		perror("test_api: cannot capture stderr");
		exit(1);
	}
}

static void quiet_end(const char *what)
{
	char buf[512];
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	rewind(captured);
	n = fread(buf, 1, sizeof(buf) - 1, captured);
	fclose(captured);
	buf[n] = '\0';
	if (n) {
		fprintf(stderr, "%s wrote to stderr:\n%s\n", what, buf);
		check_failures++;
	}
}

static const char bad_text[] =
	"int f(void *ctx)\n"
	"{\n"
	"	return no_such_thing;\n"
	"}\n";

static const char text[] =
	"#warning \"api test warning\"\n"
	"struct pair { u32 a; char name[8]; };\n"
	"BPF_HASH(counts, u32, u64);\n"
	"BPF_HASH(pairs, struct pair, u64, 16);\n"
	"BPF_PERF_OUTPUT(events);\n"
	"\n"
	"int count(struct pt_regs *ctx)\n"
	"{\n"
	"	counts.increment((u32)(bpf_get_current_pid_tgid() >> 32));\n"
	"	return 0;\n"
	"}\n";

/* A caller built against a newer header: its struct is longer, with a
 * field this library does not know. */
struct newer_src {
	struct tracer_src known;
	long future;
};

struct newer_uprobe {
	struct tracer_uprobe known;
	long future;
};

/* Sized options (BCC_C_OPTS): a longer struct whose unknown tail is set
 * is refused with -EINVAL and a message, one whose tail is zero is taken,
 * and an older, shorter one works with the fields it lacks at zero. The
 * uprobe's target does not exist: the option check passes when the error
 * is the look-up's -ENOENT. No privileges needed: the checks come first. */
static void check_sized_opts(void)
{
	struct newer_src src = { .known = { .text = text, .name = "api.bpf.c" }, .future = 1 };
	struct newer_uprobe u = { .known = { .fn_name = "count", .binary = "/nonexistent/api-test",
					     .symbol = "main" }, .future = 1 };
	struct tracer *t = tracer__new();

	quiet_begin();
	src.known.sz = sizeof(src);
	u.known.sz = sizeof(u);
	CHECK_INT(tracer__compile(t, &src.known), -EINVAL);
	CHECK(strstr(tracer__errmsg(t), "sets fields this libbcc-c does not know") != NULL);
	CHECK_INT(tracer__attach_uprobe(t, &u.known), -EINVAL);
	CHECK(strstr(tracer__errmsg(t), "cannot attach a uprobe: its options struct sets") != NULL);
	u.future = 0;
	CHECK_INT(tracer__attach_uprobe(t, &u.known), -ENOENT);
	/* older: without ref_ctr_offset (the last field) */
	u.known.sz = offsetof(struct tracer_uprobe, ref_ctr_offset);
	u.known.ref_ctr_offset = 99; /* past the caller's size: not read */
	CHECK_INT(tracer__attach_uprobe(t, &u.known), -ENOENT);
	u.known.sz = 0; /* not declared with BCC_C_OPTS */
	CHECK_INT(tracer__attach_uprobe(t, &u.known), -EINVAL);
	CHECK(strstr(tracer__errmsg(t), "has no size (declare it with BCC_C_OPTS)") != NULL);
	CHECK_INT(tracer__attach_uprobe(t, NULL), -EINVAL);
	CHECK_INT(tracer__compile(t, NULL), -EINVAL);
	quiet_end("sized options");
	tracer__free(t);
}

int main(void)
{
	const BCC_C_OPTS(tracer_src, bad_src, .text = bad_text, .name = "api_bad.bpf.c",
			 .no_cache = 1);
	const BCC_C_OPTS(tracer_src, api_src, .text = text, .name = "api.bpf.c", .no_cache = 1);
	const BCC_C_OPTS(tracer_uprobe, missing_binary, .fn_name = "count",
			 .binary = "/nonexistent/api-test", .symbol = "main");
	struct tracer_table tab = { 0 }, pairs = { 0 };
	struct tracer_src older_src;
	const char *names[3] = { 0 };
	struct perf_buf *pb = NULL;
	struct usdt_spec spec;
	const char *why = NULL;
	int r_table, r_bad, r_spec, r_compile, r_counts, r_pairs, r_perf, r_update, r_lookup,
	    r_first, r_delete, r_gone, r_uprobe, r_usdt;
	struct usdt *usdt = NULL;
	char usdtmsg[512];
	uint32_t key = 7, first = 0;
	uint64_t val = 42, got = 0;
	char badmsg[1024], perfmsg[512], uprobemsg[512];
	size_t ntables = 0;
	struct tracer *t;

	/* a per-CPU lookup's layout: the kernel copies each CPU's value 8-aligned */
	CHECK(table_type_is_percpu(BPF_MAP_TYPE_PERCPU_HASH));
	CHECK(table_type_is_percpu(BPF_MAP_TYPE_PERCPU_ARRAY));
	CHECK(table_type_is_percpu(BPF_MAP_TYPE_LRU_PERCPU_HASH));
	CHECK(!table_type_is_percpu(BPF_MAP_TYPE_HASH));
	CHECK(!table_type_is_percpu(BPF_MAP_TYPE_LRU_HASH));
	CHECK_INT(table__value_stride(&(struct tracer_table){ .type = BPF_MAP_TYPE_PERCPU_HASH,
							      .leaf_size = 12 }), 16);
	CHECK_INT(table__value_stride(&(struct tracer_table){ .type = BPF_MAP_TYPE_PERCPU_ARRAY,
							      .leaf_size = 8 }), 8);
	CHECK_INT(table__value_stride(&(struct tracer_table){ .type = BPF_MAP_TYPE_HASH,
							      .leaf_size = 12 }), 12);

	/* the compile cache would skip the compile, and its warnings, when warm */
	setenv("BCC_C_CACHE_DIR", "off", 1);
	CHECK(tracer_set_print(record) == NULL); /* the default: none */

	/* 1. failures: a negative errno and a message, nothing on stderr */
	quiet_begin();
	t = tracer__new();
	r_table = t ? tracer__table(t, "counts", &tab) : -ENOMEM;
	r_bad = t ? tracer__compile(t, &bad_src) : -ENOMEM;
	snprintf(badmsg, sizeof(badmsg), "%s", t ? tracer__errmsg(t) : "");
	tracer__free(t);
	tracer__free(NULL);
	r_spec = usdt_spec_parse("nonsense", &spec, &why);
	/* a spec filled in by hand: FN is pasted into the argument code */
	snprintf(spec.target, sizeof(spec.target), "/bin/true");
	snprintf(spec.probe, sizeof(spec.probe), "value");
	snprintf(spec.fn, sizeof(spec.fn), "fn(){}; int x");
	r_usdt = usdt__open(&spec, 1, &usdt, usdtmsg, sizeof(usdtmsg));
	quiet_end("the failing calls");
	CHECK_INT(r_table, -ENOENT);
	if (geteuid() == 0) {
		CHECK_INT(r_bad, -EINVAL);
		CHECK(strstr(badmsg, "cannot compile 'api_bad.bpf.c'") != NULL);
		CHECK(strstr(badmsg, "api_bad.bpf.c:3:") != NULL); /* the text's own line */
		CHECK(strstr(badmsg, "no_such_thing") != NULL);
	} else { /* refused before clang runs, with the reason */
		CHECK_INT(r_bad, -EPERM);
		CHECK(strstr(badmsg, "cannot load 'api_bad.bpf.c': ") != NULL);
	}
	CHECK_INT(r_spec, -EINVAL);
	CHECK(why && why[0]);
	CHECK_INT(r_usdt, -EINVAL);
	CHECK(usdt == NULL);
	CHECK(strstr(usdtmsg, "cannot enable USDT probe 'value' for 'fn(){}; int x': FN must "
			      "name a function of the BPF text, a C identifier") != NULL);

	check_sized_opts();
	if (geteuid() != 0) {
		if (check_failures)
			return CHECK_DONE();
		printf("test_api: compiling a text creates its maps, which needs root: "
		       "the rest is skipped\n");
		return 77;
	}

	/* 2. a text with a warning compiles; its tables are listed with their
	 * types; a table is written and read; perf_buf refuses a hash */
	quiet_begin();
	t = tracer__new();
	r_compile = tracer__compile(t, &api_src);
	ntables = tracer__num_tables(t);
	for (size_t i = 0; i < ntables && i < 3; i++) {
		struct tracer_table at;

		if (tracer__table_at(t, i, &at) == 0)
			names[i] = at.name;
	}
	r_counts = tracer__table(t, "counts", &tab);
	r_pairs = tracer__table(t, "pairs", &pairs);
	r_update = table__update(&tab, &key, &val);
	r_lookup = table__lookup(&tab, &key, &got);
	r_first = table__next_key(&tab, NULL, &first);
	r_delete = table__delete(&tab, &key);
	r_gone = table__lookup(&tab, &key, &got);
	r_perf = perf_buf__open(t, "counts", &(struct perf_buf_opts){ .page_cnt = 8,
			.sample = (perf_ring_sample_fn)NULL }, &pb);
	snprintf(perfmsg, sizeof(perfmsg), "%s", tracer__errmsg(t));
	r_uprobe = tracer__attach_uprobe(t, &missing_binary);
	snprintf(uprobemsg, sizeof(uprobemsg), "%s", tracer__errmsg(t));
	quiet_end("compiling and using a text");

	CHECK_INT(r_compile, 0);
	CHECK_INT(nwarn, 1);
	CHECK(strstr(messages, "'api.bpf.c' compiled with warnings:\n") != NULL);
	CHECK(strstr(messages, "api test warning") != NULL);
	CHECK_INT(ntables, 3);
	/* in libbcc's order, not the text's */
	for (const char *const *want = (const char *const[]){ "counts", "pairs", "events", NULL };
	     *want; want++)
		CHECK((names[0] && !strcmp(names[0], *want)) || (names[1] && !strcmp(names[1], *want)) ||
		      (names[2] && !strcmp(names[2], *want)));
	CHECK_INT(r_counts, 0);
	CHECK_INT(tab.type, BPF_MAP_TYPE_HASH);
	CHECK_INT(tab.key_size, 4);
	CHECK_INT(tab.leaf_size, 8);
	CHECK_INT(r_pairs, 0);
	CHECK_INT(pairs.key_size, 12);
	CHECK_INT(pairs.max_entries, 16);
	CHECK_STR(tracer__key_desc(t, "counts"), "\"unsigned int\"");
	CHECK_STR(tracer__leaf_desc(t, "counts"), "\"unsigned long long\"");
	CHECK(strstr(tracer__key_desc(t, "pairs"), "\"name\"") != NULL);
	CHECK_INT(r_update, 0);
	CHECK_INT(r_lookup, 0);
	CHECK_INT(got, 42);
	CHECK_INT(r_first, 0);
	CHECK_INT(first, 7);
	CHECK_INT(r_delete, 0);
	CHECK_INT(r_gone, -ENOENT);
	CHECK(r_perf < 0);
	CHECK(pb == NULL);
	CHECK(strstr(perfmsg, "cannot open perf buffer 'counts'") != NULL);
	CHECK(r_uprobe < 0 && r_uprobe > -4096);
	CHECK(strstr(uprobemsg, "/nonexistent/api-test") != NULL);
	CHECK(tracer__num_functions(t) == 1 && !strcmp(tracer__function_name(t, 0), "count"));
	CHECK_INT(tracer__num_links(t), 0);
	/* detaching leaves the tables readable */
	tracer__detach(t);
	tracer__detach(NULL);
	CHECK_INT(table__update(&tab, &key, &val), 0);
	CHECK_INT(table__lookup(&tab, &key, &got), 0);
	CHECK_INT(got, 42);
	tracer__free(t);

	/* 3. without a print function messages are dropped, not printed; a
	 * tracer_src of an older header (without no_cache) compiles */
	tracer_set_print(NULL);
	nmessages = 0;
	older_src = api_src;
	older_src.sz = offsetof(struct tracer_src, no_cache);
	quiet_begin();
	t = tracer__new();
	r_compile = tracer__compile(t, &older_src);
	tracer__free(t);
	quiet_end("a compile with warnings and no print function");
	CHECK_INT(r_compile, 0);
	CHECK_INT(nmessages, 0);
	return CHECK_DONE();
}
