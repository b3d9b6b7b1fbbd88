/* trace_pipe lines as kernels of several ages print them. */
#include "check.h"
#include "trace_pipe.h"

#include <errno.h>
#include <stdlib.h>

struct want {
	const char *line;
	const char *task;
	int pid, cpu;
	const char *flags;
	double ts;
	const char *msg;
};

static const struct want msgs[] = {
	/* 6.18 (this host): 5-char flags, bpf_trace_printk: prefix */
	{ "   target-sample-9405    [000] ...11   609.177896: bpf_trace_printk: arg = 3\n",
	  "target-sample", 9405, 0, "...11", 609.177896, "arg = 3" },
	/* 6.1: pid padded to 7, 'd..31' flags */
	{ "   target-sample-2562    [001] d..31 51859.473296: bpf_trace_printk: return value = 1",
	  "target-sample", 2562, 1, "d..31", 51859.473296, "return value = 1" },
	/* 5.4: 4-char flags, 5-wide pid */
	{ "            wget-1469  [003] d... 12345.678901: 0: start of tcp4connect",
	  "wget", 1469, 3, "d...", 12345.678901, "start of tcp4connect" },
	/* 4.13 - 5.1: the bogus address is printed */
	{ "            bash-1234  [001] d..2  1234.567890: 0x00000001: Hello, World!",
	  "bash", 1234, 1, "d..2", 1234.567890, "Hello, World!" },
	/* 4.12 and older: an address that matches no symbol prints as nothing */
	{ "              ls-1572  [000] d... 6152.677566: : length of argument string = 8.",
	  "ls", 1572, 0, "d...", 6152.677566, "length of argument string = 8." },
	/* the Korean document's rm lines (d..3 flags) */
	{ "              rm-9346    [005] d..3  4710.951696: bpf_trace_printk: KPROBE ENTRY pid = 9346, filename = test1",
	  "rm", 9346, 5, "d..3", 4710.951696, "KPROBE ENTRY pid = 9346, filename = test1" },
	/* unknown task, as the kernel shows when comm is not cached */
	{ "           <...>-12345 [001] .... 100.000001: bpf_trace_printk: x",
	  "<...>", 12345, 1, "....", 100.000001, "x" },
	/* task names with dashes and spaces */
	{ "  kworker/u4:1-ev-77      [001] d..2.   10.5: bpf_trace_printk: a: b",
	  "kworker/u4:1-ev", 77, 1, "d..2.", 10.5, "a: b" },
	{ "     Web Content-3000    [000] ..... 99.000000: bpf_trace_printk: tab",
	  "Web Content", 3000, 0, ".....", 99.0, "tab" },
	/* record-tgid option: a (tgid) column */
	{ "            bash-1234  (   1200) [002] d... 77.250000: bpf_trace_printk: tgid",
	  "bash", 1234, 2, "d...", 77.25, "tgid" },
	/* irq-info option off: no flags column */
	{ "            bash-1234  [002] 77.250000: bpf_trace_printk: noflags",
	  "bash", 1234, 2, "", 77.25, "noflags" },
	/* message with colons and no space-free prefix issue */
	{ "            bash-1234  [002] d... 1.000000: bpf_trace_printk: trace_tcp4connect 100007f 100007f 8080",
	  "bash", 1234, 2, "d...", 1.0, "trace_tcp4connect 100007f 100007f 8080" },
	/* empty message */
	{ "            bash-1234  [002] d... 1.000000: bpf_trace_printk: ",
	  "bash", 1234, 2, "d...", 1.0, "" },
};

static const char *const garbage[] = {
	"",
	"\n",
	"hello world",
	"# tracer: nop",
	"            bash-1234  [002] d... notatime: bpf_trace_printk: x",
	"            bash-xyz  [002] d... 1.0: bpf_trace_printk: x",
	"            bash-1234  [abc] d... 1.0: bpf_trace_printk: x",
	"CPU:1 [LOST many EVENTS]",
};

int main(void)
{
	struct trace_fields f;
	unsigned long lost;

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		char *line = strdup(msgs[i].line);

		CHECK_INT(trace_line_parse(line, &f, &lost), TRACE_LINE_MSG);
		CHECK_STR(f.task, msgs[i].task);
		CHECK_INT(f.pid, msgs[i].pid);
		CHECK_INT(f.cpu, msgs[i].cpu);
		CHECK_STR(f.flags, msgs[i].flags);
		CHECK(f.ts > msgs[i].ts - 1e-7 && f.ts < msgs[i].ts + 1e-7);
		CHECK_STR(f.msg, msgs[i].msg);
		free(line);
	}

	{
		char line[] = "CPU:1 [LOST 42 EVENTS]\n";

		lost = 0;
		CHECK_INT(trace_line_parse(line, &f, &lost), TRACE_LINE_LOST);
		CHECK_INT(lost, 42);
	}
	for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		char *line = strdup(garbage[i]);
		int ret = trace_line_parse(line, &f, &lost);

		if (ret != -EINVAL)
			fprintf(stderr, "garbage line %zu parsed as %d\n", i, ret);
		CHECK_INT(ret, -EINVAL);
		free(line);
	}
	return CHECK_DONE();
}
