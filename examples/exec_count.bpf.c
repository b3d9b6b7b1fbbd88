/* Programs started (execve) per parent command: the counter
 * bcc_exec_count_total{comm="bash"}. At execve the forked child still has
 * its parent's comm, so comm is the command that started the program. The
 * table name ends in _count: bcc-run exports a counter.
 *   sudo bcc-run examples/exec_count.bpf.c --metrics 9435 */
struct key_t {
	char comm[16]; /* label comm */
};

BPF_HASH(exec_count, struct key_t, u64, 4096);

TRACEPOINT_PROBE(syscalls, sys_enter_execve)
{
	struct key_t key = {};

	bpf_get_current_comm(&key.comm, sizeof(key.comm));
	exec_count.increment(key);
	return 0;
}
