/* unlinksnoop: file removals through do_unlinkat(): who, which file, result. */
#include "tool.h"

extern const char bpf_text_unlinksnoop[];

int main(int argc, char **argv)
{
	static const struct tool_desc desc = {
		.name = "unlinksnoop",
		.usage = "Usage: unlinksnoop [-d SECONDS] [-f FILE] [--no-cache]\n"
			 "Trace do_unlinkat(): the file each process removes, and the result.\n"
			 "  -d SECONDS  stop after SECONDS (default: until Ctrl-C)\n"
			 "  -f FILE     use this BPF text instead of the built-in one\n"
			 "  --no-cache  compile even when the compile cache has it\n"
			 "  --version   print the versions (bcc-c, libbcc) and whether the cache is on\n"
			 "  -h          print this help\n"
			 "Needs kprobes (try it in the kernel lab: make lab).\n"
			 "Examples:\n"
			 "  sudo ./build/bin/unlinksnoop      # then: touch x; rm x\n"
			 "  sudo ./build/bin/unlinksnoop -d 60\n",
		.text = bpf_text_unlinksnoop,
		.text_name = "bpf_text/unlinksnoop.bpf.c",
		.header = TOOL_TIMED_HEADER,
		.on_line = tool_print_timed,
	};

	return tool_run_trace_pipe(argc, argv, &desc);
}
