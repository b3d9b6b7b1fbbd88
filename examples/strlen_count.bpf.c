/* Calls to a function per process, counted in a BPF_HASH printed at exit.
 *   sudo bcc-run examples/strlen_count.bpf.c -u c:strlen:count -d 5 */
#include <uapi/linux/ptrace.h>

BPF_HASH(calls, u32, u64);

int count(struct pt_regs *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;

	calls.increment(pid);
	return 0;
}
