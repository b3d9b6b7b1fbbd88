/* gethostlatency: getaddrinfo() calls with the host and the latency.
 * From iovisor/bcc tools/gethostlatency.py, default options, getaddrinfo
 * only: struct val_t kept by thread id in start, struct data_t sent at
 * return with the delta. Changed: no pid filter in the text (the suite
 * passes -p / pid=). */
#include <uapi/linux/ptrace.h>

/* linux/sched.h's, without including kernel headers */
#define TASK_COMM_LEN 16

struct val_t {
	u32 pid;
	char comm[TASK_COMM_LEN];
	char host[80];
	u64 ts;
};

struct data_t {
	u32 pid;
	u64 delta;
	char comm[TASK_COMM_LEN];
	char host[80];
};

BPF_HASH(start, u32, struct val_t);
BPF_PERF_OUTPUT(events);

int do_entry(struct pt_regs *ctx)
{
	struct val_t val = {};
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 pid = pid_tgid >> 32;
	u32 tid = (u32)pid_tgid;

	if (!PT_REGS_PARM1(ctx))
		return 0;
	if (bpf_get_current_comm(&val.comm, sizeof(val.comm)) == 0) {
		bpf_probe_read_user(&val.host, sizeof(val.host), (void *)PT_REGS_PARM1(ctx));
		val.pid = pid;
		val.ts = bpf_ktime_get_ns();
		start.update(&tid, &val);
	}
	return 0;
}

int do_return(struct pt_regs *ctx)
{
	struct val_t *valp;
	struct data_t data = {};
	u64 delta;
	u32 tid = (u32)bpf_get_current_pid_tgid();
	u64 tsp = bpf_ktime_get_ns();

	valp = start.lookup(&tid);
	if (valp == 0)
		return 0;
	bpf_probe_read_kernel(&data.comm, sizeof(data.comm), valp->comm);
	bpf_probe_read_kernel(&data.host, sizeof(data.host), (void *)valp->host);
	data.pid = valp->pid;
	data.delta = tsp - valp->ts;
	events.perf_submit(ctx, &data, sizeof(data));
	start.delete(&tid);
	return 0;
}
