/* bcc-run's parsers: probe specs, event field lists, close-name hints, the
 * remapping of clang's line numbers, and reading a text from disk. */
#include "check.h"
#include "diag.h"
#include "event_decode.h"
#include "spec.h"
#include "suggest.h"
#include "tool.h"
#include "usdt.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_spec(void)
{
	struct spec s;
	const char *why;

	CHECK_INT(spec_parse("c:strlen:count", 3, &s, &why), 0);
	CHECK_STR(s.target, "c");
	CHECK_STR(s.symbol, "strlen");
	CHECK_STR(s.fn, "count");
	/* a path with ':' in it keeps everything before the last two fields */
	CHECK_INT(spec_parse("/opt/a:b/bin:main:fn_1", 3, &s, &why), 0);
	CHECK_STR(s.target, "/opt/a:b/bin");
	CHECK_STR(s.symbol, "main");
	CHECK_INT(spec_parse("./a.out:0x4005d0:fn", 3, &s, &why), 0);
	CHECK_STR(s.symbol, "");
	CHECK_INT(s.addr, 0x4005d0);
	CHECK_INT(spec_parse("tcp_v4_connect:probe", 2, &s, &why), 0);
	CHECK_STR(s.target, "tcp_v4_connect");
	CHECK_STR(s.fn, "probe");
	CHECK_INT(spec_parse("sched:sched_switch:on_switch", 3, &s, &why), 0);
	CHECK_STR(s.target, "sched");
	CHECK_STR(s.symbol, "sched_switch");

	static const char *const bad3[] = { "", "a", "a:b", "a:b:", ":b:c", "a::c", "a:b:1x",
					    "a:b:c-d", "a:0xzz:f", "a:0x:f" };
	for (size_t i = 0; i < sizeof(bad3) / sizeof(bad3[0]); i++) {
		CHECK_INT(spec_parse(bad3[i], 3, &s, &why), -EINVAL);
		CHECK(why != NULL);
	}
	static const char *const bad2[] = { "", "a", ":f", "a:", "a:b:c" };
	for (size_t i = 0; i < sizeof(bad2) / sizeof(bad2[0]); i++)
		CHECK_INT(spec_parse(bad2[i], 2, &s, &why), -EINVAL);
}

/* --usdt PATH|PID:[PROVIDER:]PROBE:FN: FN is pasted into the C written
 * before the text (_bpf_readarg_FN_N()), so it and the probe's names must
 * be C identifiers, or a spec injects C into the compile */
static void test_usdt_spec(void)
{
	struct usdt_spec u;
	const char *why;

	CHECK_INT(usdt_spec_parse("/usr/lib/libstdc++.so.6:libstdcxx:throw:on_throw", &u, &why), 0);
	CHECK_STR(u.target, "/usr/lib/libstdc++.so.6");
	CHECK_STR(u.provider, "libstdcxx");
	CHECK_STR(u.probe, "throw");
	CHECK_STR(u.fn, "on_throw");
	CHECK_INT(usdt_spec_parse("1234:value:_fn2", &u, &why), 0);
	CHECK_INT(u.pid, 1234);
	CHECK_STR(u.target, "");
	CHECK_STR(u.provider, "");
	CHECK_STR(u.fn, "_fn2");

	static const char *const bad[] = {
		"", "a", "a:b", ":b:c", "a::c", "0:p:f",
		"./a.out:probe:fn(){}; int x", /* C after FN: compiled before this check */
		"./a.out:probe:1fn", "./a.out:probe:f-n", "./a.out:probe:f n",
		"./a.out:prov-ider:probe:fn", "./a.out:pro\nbe:fn", "./a.out:prov:pro be:fn",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		CHECK_INT(usdt_spec_parse(bad[i], &u, &why), -EINVAL);
		CHECK(why && why[0]);
	}
	CHECK_INT(usdt_spec_parse("./a.out:probe:fn(){}; int x", &u, &why), -EINVAL);
	CHECK_STR(why, "FN must name a function of the BPF text, a C identifier (letters, "
		       "digits and '_', not starting with a digit)");
	CHECK_INT(usdt_spec_parse("./a.out:prov-ider:probe:fn", &u, &why), -EINVAL);
	CHECK(strstr(why, "PROVIDER and PROBE must be C identifiers") != NULL);
}

static void test_layout(void)
{
	/* struct { u32 pid; u64 ts; char comm[16]; int arr[3]; s16 x; } */
	const char *const d1[] = { "pid#u32", "ts#u64", "comm#char[16]", "arr#int[3]", "x#s16" };
	const char *const bad[] = { "s#struct (unnamed struct at x.c:2:72)" };
	const char *const garbage[] = { "nohash" };
	const char *const badarr[] = { "a#int[0]" };
	struct event_layout l;
	unsigned char ev[64] = { 0 };
	uint32_t pid = 42;
	uint64_t ts = 7;
	int arr[3] = { -1, 0, 5 };
	int16_t x = -2;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	CHECK_INT(event_layout_parse(d1, 5, &l), 0);
	CHECK_INT(l.fields[0].offset, 0);
	CHECK_INT(l.fields[1].offset, 8);
	CHECK_INT(l.fields[2].offset, 16);
	CHECK_INT(l.fields[2].kind, FIELD_CHARS);
	CHECK_INT(l.fields[3].offset, 32);
	CHECK_INT(l.fields[4].offset, 44);
	CHECK_INT(l.size, 48);
	CHECK_INT(event_layout_parse(bad, 1, &l), -ENOTSUP);
	CHECK_INT(event_layout_parse(garbage, 1, &l), -EINVAL);
	CHECK_INT(event_layout_parse(badarr, 1, &l), -EINVAL);

	CHECK_INT(event_layout_parse(d1, 5, &l), 0);
	memcpy(ev, &pid, 4);
	memcpy(ev + 8, &ts, 8);
	memcpy(ev + 16, "cat", 4);
	memcpy(ev + 32, arr, sizeof(arr));
	memcpy(ev + 44, &x, 2);
	f = open_memstream(&out, &len);
	event_format(&l, ev, 48, false, f);
	fclose(f);
	CHECK_STR(out, "pid=42 ts=7 comm=cat arr=[-1,0,5] x=-2");
	free(out);
	f = open_memstream(&out, &len);
	event_format(&l, ev, 48, true, f);
	fclose(f);
	CHECK_STR(out, "\"pid\":42,\"ts\":7,\"comm\":\"cat\",\"arr\":[-1,0,5],\"x\":-2");
	free(out);
	/* a short event: fields beyond its size are left out, and an array
	 * cut by the end shows the part that came (bcc's EVENT_SIZE idiom) */
	f = open_memstream(&out, &len);
	event_format(&l, ev, 20, false, f);
	fclose(f);
	CHECK_STR(out, "pid=42 ts=7 comm=cat");
	free(out);
	f = open_memstream(&out, &len);
	event_format(&l, ev, 16, false, f);
	fclose(f);
	CHECK_STR(out, "pid=42 ts=7");
	free(out);
}

static void test_suggest(void)
{
	struct suggest s;
	char buf[256];

	suggest_init(&s, "tcp_v4_conect");
	suggest_add(&s, "tcp_v4_connect");
	suggest_add(&s, "tcp_v6_connect");
	suggest_add(&s, "udp_sendmsg");
	suggest_add(&s, "tcp_v4_connect");
	suggest_format(&s, buf, sizeof(buf));
	CHECK_STR(buf, "tcp_v4_connect, tcp_v6_connect");
	suggest_init(&s, "zzzz_nothing_like_it");
	suggest_add(&s, "tcp_v4_connect");
	suggest_format(&s, buf, sizeof(buf));
	CHECK_STR(buf, "");
	/* a longer name containing the wanted one */
	suggest_init(&s, "do_unlinkat");
	suggest_add(&s, "__x64_sys_unlinkat");
	suggest_add(&s, "do_unlinkat_cleanup");
	suggest_format(&s, buf, sizeof(buf));
	CHECK_STR(buf, "do_unlinkat_cleanup");
}

static void test_diag(void)
{
	const char *text = "int a;\nbroken here\nint b;\n";
	/* libbcc inserted 12 lines above the text */
	const char *diag = "/virtual/main.c:14:1: error: unknown type name 'broken'\n"
			   "broken here\n^\n"
			   "In file included from /virtual/main.c:13:\n"
			   "/virtual/include/bcc/helpers.h:5:1: note: x\n";
	char *out = diag_remap(diag, text, "my.bpf.c");

	CHECK_STR(out, "my.bpf.c:2:1: error: unknown type name 'broken'\nbroken here\n^\n"
		       "In file included from my.bpf.c:1:\n"
		       "/virtual/include/bcc/helpers.h:5:1: note: x\n");
	free(out);
	/* no shift: the numbers stay */
	out = diag_remap("/virtual/main.c:2:3: error: x\nbroken here\n", text, "f.c");
	CHECK_STR(out, "f.c:2:3: error: x\nbroken here\n");
	free(out);

	/* what 6.12's headers give libbcc 0.26's clang, around one warning of
	 * the text's own: only that one stays */
	char warnings[] =
		"In file included from <built-in>:4:\n"
		"In file included from /virtual/include/bcc/helpers.h:53:\n"
		"In file included from arch/x86/include/asm/linkage.h:6:\n"
		"arch/x86/include/asm/ibt.h:77:8: warning: 'nocf_check' attribute ignored [-Wignored-attributes]\n"
		"extern __noendbr u64 ibt_save(bool disable);\n"
		"       ^\n"
		"arch/x86/include/asm/ibt.h:32:34: note: expanded from macro '__noendbr'\n"
		"#define __noendbr       __attribute__((nocf_check))\n"
		"                                       ^\n"
		"t.bpf.c:9:6: warning: unused variable 'x' [-Wunused-variable]\n"
		"        int x;\n"
		"            ^\n"
		"In file included from t.bpf.c:8:\n"
		"In file included from include/uapi/linux/ptrace.h:183:\n"
		"./arch/x86/include/asm/current.h:47:10: warning: multiple identical address spaces [-Wduplicate-decl-specifier]\n"
		"                return this_cpu_read_const(const_pcpu_hot.current_task);\n"
		"/virtual/include/bcc/helpers.h:1:1: warning: libbcc's own\n"
		"3 warnings generated.\n";

	diag_drop_headers(warnings);
	CHECK_STR(warnings, "t.bpf.c:9:6: warning: unused variable 'x' [-Wunused-variable]\n"
			    "        int x;\n"
			    "            ^\n");
	/* a text's own warning in a header of its own, with its include chain,
	 * and the count when nothing was dropped */
	char own[] = "In file included from t.bpf.c:2:\n"
		     "ev.h:3:1: warning: w\n"
		     "t.bpf.c:7:1: note: n\n"
		     "1 warning generated.\n";

	diag_drop_headers(own);
	CHECK_STR(own, "In file included from t.bpf.c:2:\nev.h:3:1: warning: w\nt.bpf.c:7:1: note: n\n"
		       "1 warning generated.\n");
	char none[] = "";

	diag_drop_headers(none);
	CHECK_STR(none, "");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* tool_read_text(): a header beside the text is inlined between #line
 * markers (as cmake/embed.cmake does for the embedded texts); a read error
 * is an error, not an empty text */
static void test_read_text(void)
{
	char dir[] = "/tmp/test_read_text.XXXXXX", text_path[64], h_path[64], *text = NULL;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(text_path, sizeof(text_path), "%s/t.bpf.c", dir);
	snprintf(h_path, sizeof(h_path), "%s/ev.h", dir);
	write_file(h_path, "struct ev { int a; };");
	write_file(text_path, "#include <linux/sched.h>\n #  include \"ev.h\" // the event\n"
			      "#include \"absent.h\"\nint x;\n");
	CHECK_INT(tool_read_text(text_path, &text), 0);
	char *want;
	CHECK(asprintf(&want, "#include <linux/sched.h>\n#line 1 \"%s\"\nstruct ev { int a; };\n"
		       "#line 3 \"%s\"\n#include \"absent.h\"\nint x;\n", h_path, text_path) > 0);
	CHECK_STR(text, want);
	free(want);
	free(text);
	text = NULL;
	/* an empty text is a text (clang says what it lacks) */
	write_file(text_path, "");
	CHECK_INT(tool_read_text(text_path, &text), 0);
	CHECK_STR(text, "");
	free(text);
	CHECK_INT(tool_read_text(dir, &text), -EISDIR);
	unlink(text_path);
	unlink(h_path);
	rmdir(dir);
}

int main(void)
{
	test_spec();
	test_usdt_spec();
	test_layout();
	test_suggest();
	test_diag();
	test_read_text();
	return CHECK_DONE();
}
