/* A log2 histogram of the sizes read() returns, for one process with
 * -D TGID=PID, or for all.
 *   sudo bcc-run examples/read_size_hist.bpf.c -d 10 */
BPF_HISTOGRAM(dist);

TRACEPOINT_PROBE(syscalls, sys_exit_read)
{
#ifdef TGID
	if ((bpf_get_current_pid_tgid() >> 32) != TGID)
		return 0;
#endif
	if (args->ret > 0)
		dist.increment(bpf_log2l(args->ret));
	return 0;
}
