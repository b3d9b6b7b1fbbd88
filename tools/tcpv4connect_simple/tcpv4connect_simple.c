/* tcpv4connect_simple: tcp_v4_connect() entry and return value, through a
 * kprobe and a kretprobe attached by their names. */
#include "tool.h"

extern const char bpf_text_tcpv4connect_simple[];

int main(int argc, char **argv)
{
	static const struct tool_desc desc = {
		.name = "tcpv4connect_simple",
		.usage = "Usage: tcpv4connect_simple [-d SECONDS] [-f FILE] [--no-cache]\n"
			 "Trace IPv4 TCP connects: tcp_v4_connect() entry and return value.\n"
			 "  -d SECONDS  stop after SECONDS (default: until Ctrl-C)\n"
			 "  -f FILE     use this BPF text instead of the built-in one\n"
			 "  --no-cache  compile even when the compile cache has it\n"
			 "  --version   print the versions (bcc-c, libbcc) and whether the cache is on\n"
			 "  -h          print this help\n"
			 "Needs kprobes (try it in the kernel lab: make lab).\n"
			 "Examples:\n"
			 "  sudo ./build/bin/tcpv4connect_simple       # then: wget example.com\n"
			 "  sudo ./build/bin/tcpv4connect_simple -d 10\n",
		.text = bpf_text_tcpv4connect_simple,
		.text_name = "bpf_text/tcpv4connect_simple.bpf.c",
		.header = TOOL_PID_COMM_HEADER,
		.on_line = tool_print_pid_comm,
	};

	return tool_run_trace_pipe(argc, argv, &desc);
}
