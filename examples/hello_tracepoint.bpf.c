/* Every openat() as a trace_pipe message: the file name it opens.
 *   sudo bcc-run examples/hello_tracepoint.bpf.c */
TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	char fname[64];

	bpf_probe_read_user_str(fname, sizeof(fname), args->filename);
	bpf_trace_printk("openat %s\n", fname);
	return 0;
}
