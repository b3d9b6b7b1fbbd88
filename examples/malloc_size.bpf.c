/* libc malloc() sizes as a Prometheus histogram per process (uprobe;
 * malloc is not an IFUNC): labels pid and comm, log2 buckets of bytes.
 *   sudo bcc-run examples/malloc_size.bpf.c -u c:malloc:malloc_size --metrics 9435
 * Add -p PID to watch one process (the uprobe fires only there). */
#include <uapi/linux/ptrace.h>

struct key_t {
	u32 pid;       /* label pid */
	char comm[16]; /* label comm */
	u64 slot;      /* the log2 bucket of the size in bytes */
};

BPF_HISTOGRAM(malloc_size_bytes, struct key_t, 10240);

int malloc_size(struct pt_regs *ctx, size_t size)
{
	struct key_t key = {};

	key.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	key.slot = bpf_log2l(size);
	malloc_size_bytes.increment(key);
	return 0;
}
