/* The event opensnoop_simple's BPF text sends: one definition, included by
 * the text and by the front end (tools/opensnoop_simple.c), as libbpf-tools
 * shares <tool>.h. libbcc compiles the text from a string, where clang
 * finds no file to include: the build inlines this header into the
 * embedded text (cmake/embed.cmake), and tools reading a text with -f
 * inline it from the text's directory (tool_read_text): keep a copy next
 * to an edited text. The front end checks at start that the text's struct
 * is this one. Include it after the kernel's headers (TASK_COMM_LEN is an
 * enum in linux/sched.h). */
#ifndef OPENSNOOP_SIMPLE_H
#define OPENSNOOP_SIMPLE_H

#ifndef TASK_COMM_LEN
#define TASK_COMM_LEN 16
#endif
#ifndef NAME_MAX
#define NAME_MAX 255
#endif

struct data_t {
	__u64 id; /* tgid << 32 | pid */
	__u64 ts; /* ns, bpf_ktime_get_ns() */
	__u32 uid;
	int ret; /* fd, or -errno */
	char comm[TASK_COMM_LEN];
	char fname[NAME_MAX];
	int flags;
};

#endif
