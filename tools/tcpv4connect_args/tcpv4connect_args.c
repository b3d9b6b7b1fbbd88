/* tcpv4connect_args: tcp_v4_connect() with its arguments declared in the
 * kprobe, printing addr_len (its third argument). */
#include "tool.h"

extern const char bpf_text_tcpv4connect_args[];

int main(int argc, char **argv)
{
	static const struct tool_desc desc = {
		.name = "tcpv4connect_args",
		.usage = "Usage: tcpv4connect_args [-d SECONDS] [-f FILE] [--no-cache]\n"
			 "Trace IPv4 TCP connects, reading tcp_v4_connect()'s addr_len argument.\n"
			 "  -d SECONDS  stop after SECONDS (default: until Ctrl-C)\n"
			 "  -f FILE     use this BPF text instead of the built-in one\n"
			 "  --no-cache  compile even when the compile cache has it\n"
			 "  --version   print the versions (bcc-c, libbcc) and whether the cache is on\n"
			 "  -h          print this help\n"
			 "Needs kprobes (try it in the kernel lab: make lab).\n"
			 "Examples:\n"
			 "  sudo ./build/bin/tcpv4connect_args        # addr_len=16 for IPv4\n"
			 "  sudo ./build/bin/tcpv4connect_args -f my_args.bpf.c\n",
		.text = bpf_text_tcpv4connect_args,
		.text_name = "bpf_text/tcpv4connect_args.bpf.c",
		.header = TOOL_PID_COMM_HEADER,
		.on_line = tool_print_pid_comm,
	};

	return tool_run_trace_pipe(argc, argv, &desc);
}
