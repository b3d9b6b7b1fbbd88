/* Syscall latency as a Prometheus histogram per syscall number: a log2
 * histogram of nanoseconds from raw_syscalls:sys_enter to sys_exit,
 * keyed by a struct whose members become labels (nr) and the slot.
 *   sudo bcc-run examples/syscall_latency.bpf.c --metrics 9435
 *   curl -s 127.0.0.1:9435/metrics | grep syscall_latency
 * The buckets' le are nanoseconds; the name leaves the unit out, as
 * promtool asks of any unit but seconds. ausyscall --dump (package auditd)
 * names the numbers. */
struct key_t {
	u32 nr;   /* label nr: the syscall number (x86_64: 0 read, 1 write, ...) */
	u64 slot; /* the log2 bucket of the latency in ns */
};

BPF_HASH(start, u64, u64, 10240);
BPF_HISTOGRAM(syscall_latency, struct key_t, 4096);

TRACEPOINT_PROBE(raw_syscalls, sys_enter)
{
	u64 id = bpf_get_current_pid_tgid(), ts = bpf_ktime_get_ns();

	start.update(&id, &ts);
	return 0;
}

TRACEPOINT_PROBE(raw_syscalls, sys_exit)
{
	u64 id = bpf_get_current_pid_tgid();
	u64 *ts = start.lookup(&id);
	struct key_t key = {};

	if (!ts)
		return 0;
	key.nr = args->id;
	key.slot = bpf_log2l(bpf_ktime_get_ns() - *ts);
	syscall_latency.increment(key);
	start.delete(&id);
	return 0;
}
