/* The printers, on byte buffers: JSON strings (UTF-8 through, invalid
 * sequences as U+FFFD, control characters escaped) and log2 histograms of
 * up to 128 slots, as bcc-run reads them. Built with ASan and UBSan by make
 * check: a read past a field or a shift by 64 fails the test. */
#include "check.h"
#include "dump.h"
#include "event_decode.h"
#include "hist.h"
#include "render.h"
#include "tool.h"
#include "trace_pipe.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define FFFD "\xef\xbf\xbd"

/* json_string() of the n bytes of s, copied to a buffer of exactly n bytes
 * so that ASan sees any read beyond them. */
static char *json_of(const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1), *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	memcpy(copy, s, n);
	json_string(f, copy, n);
	fclose(f);
	free(copy);
	return out;
}

#define CHECK_JSON(lit, expected)                                  \
	do {                                                       \
		char *_o = json_of(lit, sizeof(lit) - 1);          \
		CHECK_STR(_o, expected);                           \
		free(_o);                                          \
	} while (0)

static void test_json_string(void)
{
	/* valid UTF-8 passes through */
	CHECK_JSON("/tmp/caf\xc3\xa9-xyz", "\"/tmp/caf\xc3\xa9-xyz\"");
	CHECK_JSON("\xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
		   "\"\xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"");
	/* invalid sequences: one U+FFFD per maximal subpart, as Python's
	 * bytes.decode("utf-8", "replace") */
	CHECK_JSON("a\x80z", "\"a" FFFD "z\"");                     /* lone continuation */
	CHECK_JSON("\xff\xfe", "\"" FFFD FFFD "\"");                 /* never in UTF-8 */
	CHECK_JSON("\xc0\xaf", "\"" FFFD FFFD "\"");                 /* overlong '/' */
	CHECK_JSON("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"");        /* overlong, 3 bytes */
	CHECK_JSON("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");        /* surrogate U+D800 */
	CHECK_JSON("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* U+110000 */
	CHECK_JSON("\xe2\x82z", "\"" FFFD "z\"");                    /* truncated, then more */
	/* control characters, quotes, backslashes and DEL escaped */
	CHECK_JSON("a\"b\\c\nd\te\rf\x01g\x1fh\x7fi",
		   "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u001fh\\u007fi\"");
	/* C1 controls too: U+009B is CSI to a terminal */
	CHECK_JSON("\xc2\x9b" "2J\xc2\xa0", "\"\\u009b2J\xc2\xa0\"");

	/* a char[] field: text up to its first NUL, never beyond its size */
	CHECK_JSON("ab\0\xff" "cd", "\"ab\"");
	/* a sequence cut by the end of a full char[9]: one U+FFFD, no overread */
	CHECK_JSON("/tmp/caf\xc3", "\"/tmp/caf" FFFD "\"");
	CHECK_JSON("/tmp/\xf0\x9f\x98", "\"/tmp/" FFFD "\"");
	CHECK_JSON("", "\"\"");
}

/* The same through the event decoder, as bcc-run --json prints an event. */
static void test_json_event(void)
{
	const char *const descs[] = { "pid#u32", "fname#char[12]" };
	struct event_layout l;
	unsigned char ev[16] = { 0 };
	uint32_t pid = 7;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	CHECK_INT(event_layout_parse(descs, 2, &l), 0);
	memcpy(ev, &pid, 4);
	/* fname is full (no NUL) and its last character is cut */
	memcpy(ev + 4, "caf\xc3\xa9--\xe2\x82\xac\xe2\x82", 12);
	f = open_memstream(&out, &len);
	event_format(&l, ev, sizeof(ev), true, f);
	fclose(f);
	CHECK_STR(out, "\"pid\":7,\"fname\":\"caf\xc3\xa9--\xe2\x82\xac" FFFD "\"");
	free(out);
}

static char *hist_of(const uint64_t *vals, size_t n, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (json)
		hist_json_log2(f, vals, n);
	else
		hist__print_log2(f, vals, n, "value");
	fclose(f);
	return out;
}

#define JSON_START "[{\"low\":0,\"high\":0,\"count\":0},{\"low\":0,\"high\":1,\"count\":1},"

static void test_hist(void)
{
	uint64_t vals[128] = { 0 };
	char *out;

	/* what bcc's print_log2_hist prints for these counts */
	vals[1] = 1;
	vals[3] = 4;
	out = hist_of(vals, 5, false);
	CHECK_STR(out, "     value               : count     distribution\n"
		       "         0 -> 1          : 1        |**********                              |\n"
		       "         2 -> 3          : 0        |                                        |\n"
		       "         4 -> 7          : 4        |****************************************|\n");
	free(out);

	/* 128 slots: slot 64 holds the largest u64 values, the slots above
	 * hold no log2 of a u64 but are printed with bcc's bounds, exactly */
	vals[64] = 2;
	vals[65] = 3;
	vals[127] = 5;
	out = hist_of(vals, 128, false);
	CHECK(out && strstr(out, "\n 9223372036854775808 -> 18446744073709551615 : 2        |"));
	CHECK(out && strstr(out, "\n18446744073709551616 -> 36893488147419103231 : 3        |"));
	CHECK(out && strstr(out, "\n85070591730234615865843651857942052864 -> "
			     "170141183460469231731687303715884105727 : 5        |"));
	free(out);
	out = hist_of(vals, 128, true);
	CHECK(out && !strncmp(out, JSON_START, strlen(JSON_START)));
	CHECK(out && strstr(out, ",{\"low\":9223372036854775808,\"high\":18446744073709551615,"
			    "\"count\":2},"));
	CHECK(out && strstr(out, ",{\"low\":85070591730234615865843651857942052864,"
			    "\"high\":170141183460469231731687303715884105727,\"count\":5}]"));
	free(out);
}

/* A value in slot 0, no log2 bucket (bcc's softirqs keeps totals there),
 * is shown on its own line and out of the stars' scale; alone, it is all
 * that is printed (bcc's printer shows nothing then). */
static void test_hist_slot0(void)
{
	uint64_t vals[4] = { 5000000, 0, 0, 2 };
	char *out;

	out = hist_of(vals, 4, false);
	CHECK_STR(out, "     slot 0 (not log2)   : 5000000\n"
		       "     value               : count     distribution\n"
		       "         0 -> 1          : 0        |                                        |\n"
		       "         2 -> 3          : 0        |                                        |\n"
		       "         4 -> 7          : 2        |****************************************|\n");
	free(out);
	out = hist_of(vals, 1, false);
	CHECK_STR(out, "     slot 0 (not log2)   : 5000000\n");
	free(out);
}

/* BPF_HISTOGRAM names in code count, not in a comment or a string; every
 * name is found, once. */
static void test_text_hists(void)
{
	const char *text = "/* BPF_HISTOGRAM(wide, ...) held latencies once */\n"
			   "BPF_TABLE(\"hash\", u32, unsigned __int128, wide, 4);\n"
			   "// BPF_HISTOGRAM(gone)\n"
			   "BPF_HISTOGRAM(lat);\n"
			   "char s[] = \"BPF_HISTOGRAM(str) \\\" /*\"; char c = '\"';\n"
			   "BPF_HISTOGRAM ( dist , struct key_t);\n"
			   "MY_BPF_HISTOGRAM(mine);\n"
			   "/* unterminated BPF_HISTOGRAM(tail)";
	char **names;
	size_t n;

	CHECK_INT(dump_text_hists(text, &names, &n), 0);
	CHECK_INT(n, 2);
	CHECK_STR(n > 0 ? names[0] : NULL, "lat");
	CHECK_STR(n > 1 ? names[1] : NULL, "dist");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* What print(f) wrote on stdout (the trace_pipe printers write there). */
static char *stdout_of(void (*print)(const struct trace_fields *, void *),
		       const struct trace_fields *f)
{
	FILE *tmp = tmpfile();
	int saved = dup(1);
	char *out = calloc(1, 4096);

	fflush(stdout);
	dup2(fileno(tmp), 1);
	print(f, NULL);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	if (fread(out, 1, 4095, tmp) == 0)
		out[0] = '\0';
	fclose(tmp);
	return out;
}

/* trace_pipe lines: a comm and a message any process chose (a file name
 * printed with %s) reach the terminal escaped, never as ESC or a newline
 * that starts a line of its own. */
static void test_trace_printers(void)
{
	struct trace_fields f = { .pid = 1, .ts = 2.5 };
	char *out;

	memcpy(f.task, "ev\033[2Jil\n\xff", 11);
	f.msg = "open /tmp/\033[2J\nx\xc2\x9b\xe2\x82\xac";
	out = stdout_of(tool_print_timed, &f);
	CHECK_STR(out, "2.500000000        ev\\x1b[2Jil\\n\\xff 1      "
		       "open /tmp/\\x1b[2J\\nx\\xc2\\x9b\xe2\x82\xac\n");
	free(out);
	out = stdout_of(tool_print_pid_comm, &f);
	CHECK_STR(out, "1      ev\\x1b[2Jil\\n\\xff open /tmp/\\x1b[2J\\nx\\xc2\\x9b\xe2\x82\xac\n");
	free(out);
}

int main(void)
{
	test_trace_printers();
	test_json_string();
	test_json_event();
	test_hist();
	test_hist_slot0();
	test_text_hists();
	return CHECK_DONE();
}
