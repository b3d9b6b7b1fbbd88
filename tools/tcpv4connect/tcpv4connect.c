/* tcpv4connect: IPv4 TCP connects with their addresses and port. */
#include "tool.h"

#include <stdio.h>
#include <string.h>

extern const char bpf_text_tcpv4connect[];

/* The kernel's address bytes are in network order, so the lowest byte of
 * the little-endian %x value is the first number of the dotted quad. */
static void inet_ntoa_le(unsigned long addr, char *buf, size_t len)
{
	snprintf(buf, len, "%lu.%lu.%lu.%lu", addr & 0xff, (addr >> 8) & 0xff,
		 (addr >> 16) & 0xff, (addr >> 24) & 0xff);
}

static void print_line(const struct trace_fields *f, void *ctx)
{
	char tag[32], saddr[16], daddr[16], dport[8], task[4 * TOOL_COMM_COLUMN + 1];
	unsigned long s, d;
	int n = 0;

	(void)ctx;
	/* other tracers share trace_pipe: keep only our own exact lines */
	if (sscanf(f->msg, "%31s %lx %lx %7s%n", tag, &s, &d, dport, &n) != 4 ||
	    strcmp(tag, "trace_tcp4connect") || f->msg[n] != '\0')
		return;
	inet_ntoa_le(s, saddr, sizeof(saddr));
	inet_ntoa_le(d, daddr, sizeof(daddr));
	if (strspn(dport, "0123456789") != strlen(dport))
		return; /* the text prints a number: this line is not ours */
	printf("%-6d %-12s %-16s %-16s %-4s\n", f->pid,
	       tool_comm_column(task, sizeof(task), f->task), saddr, daddr, dport);
}

int main(int argc, char **argv)
{
	static const struct tool_desc desc = {
		.name = "tcpv4connect",
		.usage = "Usage: tcpv4connect [-d SECONDS] [-f FILE] [--no-cache]\n"
			 "Trace successful IPv4 TCP connects: process, source, destination, port.\n"
			 "  -d SECONDS  stop after SECONDS (default: until Ctrl-C)\n"
			 "  -f FILE     use this BPF text instead of the built-in one\n"
			 "  --no-cache  compile even when the compile cache has it\n"
			 "  --version   print the versions (bcc-c, libbcc) and whether the cache is on\n"
			 "  -h          print this help\n"
			 "Needs kprobes (try it in the kernel lab: make lab).\n"
			 "Examples:\n"
			 "  sudo ./build/bin/tcpv4connect\n"
			 "  sudo ./build/bin/tcpv4connect -d 30 > connects.txt\n",
		.text = bpf_text_tcpv4connect,
		.text_name = "bpf_text/tcpv4connect.bpf.c",
		.header = "PID    COMM         SADDR            DADDR            DPORT\n",
		.on_line = print_line,
	};

	return tool_run_trace_pipe(argc, argv, &desc);
}
