/* killsnoop: kill() calls with their target, signal and result.
 * From iovisor/bcc tools/killsnoop.py, default options, with the
 * syscalls:sys_enter_kill / sys_exit_kill tracepoints bcc's newer version
 * uses: struct val_t kept by thread id in infotmp, struct data_t sent at
 * exit. Changed: the comm filter is the suite's workload. */
#include <uapi/linux/ptrace.h>

/* linux/sched.h's, without including kernel headers */
#define TASK_COMM_LEN 16

/* comm == "bcc-conf-wl" (tests/conformance/conf_work.c) */
static inline int conf_is_workload(void)
{
	u64 w[2] = {};

	bpf_get_current_comm(w, sizeof(w));
	return w[0] == 0x666e6f632d636362ULL && w[1] == 0x6c772dULL;
}

struct val_t {
	u32 pid;
	int sig;
	int tpid;
	char comm[TASK_COMM_LEN];
};

struct data_t {
	u32 pid;
	int tpid;
	int sig;
	int ret;
	char comm[TASK_COMM_LEN];
};

BPF_HASH(infotmp, u32, struct val_t);
BPF_PERF_OUTPUT(events);

TRACEPOINT_PROBE(syscalls, sys_enter_kill)
{
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tid = (u32)pid_tgid;
	struct val_t val = { .pid = pid_tgid >> 32 };

	if (!conf_is_workload())
		return 0;
	if (bpf_get_current_comm(&val.comm, sizeof(val.comm)) == 0) {
		val.tpid = args->pid;
		val.sig = args->sig;
		infotmp.update(&tid, &val);
	}
	return 0;
}

TRACEPOINT_PROBE(syscalls, sys_exit_kill)
{
	struct data_t data = {};
	struct val_t *valp;
	u32 tid = (u32)bpf_get_current_pid_tgid();

	valp = infotmp.lookup(&tid);
	if (valp == 0)
		return 0;
	bpf_probe_read_kernel(&data.comm, sizeof(data.comm), valp->comm);
	data.pid = valp->pid;
	data.tpid = valp->tpid;
	data.ret = args->ret;
	data.sig = valp->sig;
	events.perf_submit(args, &data, sizeof(data));
	infotmp.delete(&tid);
	return 0;
}
