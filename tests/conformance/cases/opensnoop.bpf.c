/* opensnoop: openat() calls with the path and the result.
 * From iovisor/bcc tools/opensnoop.py, default options, on the
 * syscalls:sys_enter_openat / sys_exit_openat tracepoints (bcc's version
 * uses kprobes or kfunc, which this host lacks): struct val_t kept by
 * thread id in infotmp, struct data_t sent at return with the name read
 * by bpf_probe_read_user_str. Changed: tracepoints; the comm filter is
 * the suite's workload; NAME_MAX 255 spelled out. */
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

#define CONF_NAME_MAX 255

struct val_t {
	u64 id;
	char comm[TASK_COMM_LEN];
	const char *fname;
	int flags;
};

struct data_t {
	u64 id;
	u64 ts;
	u32 uid;
	int ret;
	char comm[TASK_COMM_LEN];
	char name[CONF_NAME_MAX];
	int flags;
};

BPF_HASH(infotmp, u64, struct val_t);
BPF_PERF_OUTPUT(events);

TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	struct val_t val = {};
	u64 id = bpf_get_current_pid_tgid();

	if (!conf_is_workload())
		return 0;
	if (bpf_get_current_comm(&val.comm, sizeof(val.comm)) == 0) {
		val.id = id;
		val.fname = args->filename;
		val.flags = args->flags;
		infotmp.update(&id, &val);
	}
	return 0;
}

TRACEPOINT_PROBE(syscalls, sys_exit_openat)
{
	u64 id = bpf_get_current_pid_tgid();
	struct val_t *valp;
	struct data_t data = {};

	valp = infotmp.lookup(&id);
	if (valp == 0)
		return 0;
	bpf_probe_read_kernel(&data.comm, sizeof(data.comm), valp->comm);
	bpf_probe_read_user_str(&data.name, sizeof(data.name), (void *)valp->fname);
	data.id = valp->id;
	data.ts = bpf_ktime_get_ns() / 1000;
	data.uid = bpf_get_current_uid_gid();
	data.flags = valp->flags;
	data.ret = args->ret;
	events.perf_submit(args, &data, sizeof(data));
	infotmp.delete(&id);
	return 0;
}
