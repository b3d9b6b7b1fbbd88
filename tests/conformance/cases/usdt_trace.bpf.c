/* usdt_trace: a USDT probe's arguments through bpf_trace_printk.
 * From iovisor/bcc docs/tutorial_bcc_python_developer.md lesson 15
 * (examples/tracing/nodejs_http_server.py): do_trace() reads a probe
 * argument with bpf_usdt_readarg() and prints it with bpf_trace_printk.
 * Changed: probe bcc_conf:pair of the suite's workload (two integer
 * arguments, no semaphore) instead of node:http__server__request. */
#include <uapi/linux/ptrace.h>

int do_trace(struct pt_regs *ctx)
{
	long n = 0, sq = 0;

	bpf_usdt_readarg(1, ctx, &n);
	bpf_usdt_readarg(2, ctx, &sq);
	bpf_trace_printk("pair n=%ld sq=%ld\n", n, sq);
	return 0;
}
