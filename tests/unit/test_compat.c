/* Which uapi bpf.h a compile uses (compat.h) and which texts read kernel
 * structs (the mismatched-headers warning), on made-up header trees given
 * as BCC_KERNEL_SOURCE: no privileges, no compiler. Argument: the source
 * directory, for the project's own texts. */
#include "cache.h"
#include "check.h"
#include "compat.h"
#include "feature.h"
#include "tool.h"
#include "uapi_names.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static int collect(const char *name, size_t len, void *ctx)
{
	char *out = ctx;

	snprintf(out + strlen(out), 512 - strlen(out), "%s%.*s", out[0] ? " " : "", (int)len,
		 name);
	return 0;
}

static void test_scan(void)
{
	static const char text[] =
		"/* struct not_a_tag {\n"
		" *\tNOT_AN_ENUMERATOR,\n"
		" */\n"
		"#ifndef _UAPI__LINUX_BPF_H__\n"
		"#define _UAPI__LINUX_BPF_H__\n"
		"# define BPF_B(x) x\n"
		"struct bpf_wq {\n"
		"\t__u64 __opaque[2];\n"
		"} __attribute__((aligned(8)));\n"
		"union bpf_attr {\n"
		"\tstruct { /* anonymous */\n"
		"\t\t__u32\tmap_type;\n"
		"\t};\n"
		"enum bpf_cmd {\n"
		"\tBPF_MAP_CREATE,\n"
		"\tBPF_X = 1 << 3,\t/* a comment */\n"
		"\tBPF_LAST\n"
		"};\n"
		"#define ___BPF_FUNC_MAPPER(FN, ctx...)\t\\\n"
		"\tFN(unspec, 0, ##ctx)\t\t\\\n"
		"enum {\n"
		"\tBPF_ANON /* no comma */\n"
		"};\n"
		"structure bpf_no {\n"
		"struct bpf_decl;\n"
		"#endif";
	char names[512] = "";

	CHECK_INT(uapi_names_scan(text, strlen(text), collect, names), 0);
	CHECK_STR(names, "_UAPI__LINUX_BPF_H__ BPF_B bpf_wq bpf_attr bpf_cmd BPF_MAP_CREATE BPF_X "
			 "BPF_LAST ___BPF_FUNC_MAPPER BPF_ANON");
	/* an unclosed comment ends the scan, not the process */
	names[0] = '\0';
	CHECK_INT(uapi_names_scan("#define A\n/* open *\n#define B\n", 27, collect, names), 0);
	CHECK_STR(names, "A");
}

static void test_compare(void)
{
	static const char *const base[] = { "BPF_A", "bpf_cmd", "bpf_wq" };
	static const char newer[] = "#define BPF_A 1\nstruct bpf_wq {\nenum bpf_cmd {\n"
				    "struct bpf_rb_root {\n#define bpf_rb_root\n\tBPF_NEW,\n";
	static const char older[] = "#define BPF_A 1\nenum bpf_cmd {\n";
	struct compat_cmp cmp;

	CHECK_INT(compat_compare(newer, strlen(newer), base, 3, &cmp), 0);
	CHECK_INT(cmp.missing, 0);
	CHECK_INT(cmp.extra, 2); /* bpf_rb_root counted once */
	CHECK_STR(cmp.extra_eg, "BPF_NEW, bpf_rb_root");
	CHECK_INT(compat_compare(older, strlen(older), base, 3, &cmp), 0);
	CHECK_INT(cmp.missing, 1);
	CHECK_STR(cmp.missing_eg, "bpf_wq");
	CHECK_INT(cmp.extra, 0);
}

static void write_file(const char *dir, const char *rel, const char *content)
{
	char path[PATH_MAX], cmd[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	CHECK_INT(system(cmd), 0);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

/* A uapi bpf.h declaring libbcc's names, less the one at skip (-1: none),
 * plus extra (NULL: none). */
static void write_uapi(const char *dir, long skip, const char *extra)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	for (size_t i = 0; i < compat_libbcc_nnames; i++)
		if ((long)i != skip)
			fprintf(m, "#define %s\n", compat_libbcc_names[i]);
	if (extra)
		fprintf(m, "%s\n", extra);
	fclose(m);
	write_file(dir, "include/uapi/linux/bpf.h", text);
	free(text);
}

static bool has(const char *s, const char *part)
{
	if (s && strstr(s, part))
		return true;
	fprintf(stderr, "expected '%s' in: %s\n", part, s ? s : "(null)");
	return false;
}

static void test_detect(const char *dir)
{
	char real[PATH_MAX], uapi[PATH_MAX], line[PATH_MAX + 64], *key;
	struct compat_flags flags;
	struct compat c;

	CHECK(compat_libbcc_nnames > 100); /* the build read libbcc.so */
	CHECK(realpath(dir, real) != NULL);
	snprintf(uapi, sizeof(uapi), "%s/include/uapi/linux/bpf.h", real);
	snprintf(line, sizeof(line), "compat headers' uapi bpf.h %s\n", uapi);
	setenv("BCC_KERNEL_SOURCE", dir, 1);

	compat_detect(&c);
	CHECK(!c.headers_win);
	CHECK(has(c.detail, "own copy: cannot read the headers'"));

	write_uapi(dir, -1, "struct bpf_wq {");
	compat_detect(&c);
	CHECK(c.headers_win);
	CHECK_STR(c.uapi, uapi);
	CHECK(has(c.detail, "it is newer than libbcc"));
	CHECK(has(c.detail, "1 more: bpf_wq"));
	/* the choice is part of the cache key */
	key = cache_key("int x;", NULL, 0);
	CHECK(has(key, line));
	free(key);
	/* the overlay maps the headers' kconfig.h to the wrapper, in memfds */
	CHECK_INT(compat_flags_open(&c, &flags), 0);
	CHECK_INT(flags.argc, 2);
	CHECK_STR(flags.argv[0], "-ivfsoverlay");
	CHECK(access(flags.argv[1], R_OK) == 0);
	compat_flags_close(&flags);
	CHECK_INT(flags.fds[0], -1);

	write_uapi(dir, -1, NULL);
	compat_detect(&c);
	CHECK(!c.headers_win);
	CHECK(has(c.detail, "declares nothing it lacks"));
	/* libbcc's copy: the key is what it was before compat existed */
	key = cache_key("int x;", NULL, 0);
	CHECK(key && !strstr(key, "\ncompat "));
	free(key);
	CHECK_INT(compat_flags_open(&c, &flags), 0);
	CHECK_INT(flags.argc, 0);
	compat_flags_close(&flags);

	/* each copy lacks a name of the other: libbcc's stays */
	write_uapi(dir, 0, "struct bpf_wq {");
	compat_detect(&c);
	CHECK(!c.headers_win);
	CHECK(has(c.detail, "lacks 1 of its names"));
	unsetenv("BCC_KERNEL_SOURCE");
}

static bool reads(const char *text, const char *want_header)
{
	char header[256] = "";
	bool r = feature_text_reads_kernel_structs(text, header, sizeof(header));

	if (r && want_header && strcmp(header, want_header))
		fprintf(stderr, "header '%s', expected '%s'\n", header, want_header);
	return r && (!want_header || !strcmp(header, want_header));
}

static bool reads_file(const char *src, const char *rel)
{
	char path[PATH_MAX], header[256], *text = NULL;
	bool r;

	snprintf(path, sizeof(path), "%s/%s", src, rel);
	CHECK_INT(tool_read_text(path, &text), 0);
	r = text && feature_text_reads_kernel_structs(text, header, sizeof(header));
	free(text);
	return r;
}

static void test_reads_kernel_structs(const char *src)
{
	CHECK(!reads("#include <uapi/linux/ptrace.h>\nint x;\n", NULL));
	CHECK(!reads("int kprobe__f(void *ctx) { return 0; }", NULL));
	CHECK(!reads("#include <bcc/proto.h>\n", NULL));
	CHECK(!reads("// #include <linux/sched.h>\n", NULL));
	CHECK(reads("#include <uapi/linux/ptrace.h>\n#include <net/sock.h>\n", "net/sock.h"));
	CHECK(reads("  #  include\t<linux/sched.h>\n", "linux/sched.h"));
	CHECK(reads("#include \"linux/fs.h\"", "linux/fs.h"));
	CHECK(!reads("#include <>\n#include \"\"\n#include <linux/sched.h\n", NULL));
	CHECK(!reads("#define include <linux/sched.h>\n#includes <linux/sched.h>\n", NULL));

	CHECK(!reads_file(src, "tools/uprobe_simple/uprobe_simple.bpf.c"));
	CHECK(!reads_file(src, "tools/strlen_snoop_simple/strlen_snoop_simple.bpf.c"));
	CHECK(!reads_file(src, "examples/strlen_count.bpf.c"));
	CHECK(!reads_file(src, "examples/hello_tracepoint.bpf.c"));
	CHECK(reads_file(src, "tools/tcpv4connect/tcpv4connect.bpf.c"));
	CHECK(reads_file(src, "tools/tcpv4connect_args/tcpv4connect_args.bpf.c"));
	CHECK(reads_file(src, "tools/unlinksnoop/unlinksnoop.bpf.c"));
	CHECK(reads_file(src, "examples/open_events.bpf.c"));
}

static void test_headers_warning(const char *dir)
{
	static const char structs[] = "#include <linux/sched.h>\n";
	char msg[1024], uts[512];
	struct utsname un;

	uname(&un);
	setenv("BCC_KERNEL_SOURCE", dir, 1);
	write_file(dir, "include/generated/utsrelease.h", "#define UTS_RELEASE \"1.2.3-other\"\n");
	CHECK(feature_headers_warning(structs, msg, sizeof(msg)));
	CHECK(has(msg, "the kernel headers are 1.2.3-other's but the running kernel is"));
	CHECK(has(msg, un.release));
	CHECK(has(msg, "<linux/sched.h>"));
	CHECK(has(msg, "wrong field offsets"));
	CHECK(strchr(msg, '\n') == NULL);
	CHECK(!feature_headers_warning("#include <uapi/linux/ptrace.h>\n", msg, sizeof(msg)));

	snprintf(uts, sizeof(uts), "#define UTS_RELEASE \"%s\"\n", un.release);
	write_file(dir, "include/generated/utsrelease.h", uts);
	CHECK(!feature_headers_warning(structs, msg, sizeof(msg)));
	unsetenv("BCC_KERNEL_SOURCE");
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/bcc-c-test-compat.XXXXXX", cmd[64];

	if (argc != 2) {
		fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
		return 2;
	}
	/* the cache key reads these; keep the user's cache out of it */
	setenv("BCC_C_CACHE_DIR", "off", 1);
	CHECK(mkdtemp(dir) != NULL);
	test_scan();
	test_compare();
	test_detect(dir);
	test_reads_kernel_structs(argv[1]);
	test_headers_warning(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
	return CHECK_DONE();
}
