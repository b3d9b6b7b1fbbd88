/* Opens of files, through one of three probe kinds chosen at compile time:
 * -DPROBE_KFUNC (kretfunc on do_sys_open, as in the tutorial),
 * -DPROBE_KPROBE (kprobe + kretprobe on do_sys_open), or
 * -DPROBE_TRACEPOINT (syscalls:sys_enter_openat / sys_exit_openat).
 * -DOPENAT2 probes do_sys_openat2 instead of do_sys_open: from Linux 5.6
 * open() and openat() reach the kernel's open through it, not do_sys_open.
 * -DTGID=N keeps one process, -DFAILED_ONLY keeps failed opens. */
#include <uapi/linux/ptrace.h>
#include <uapi/linux/limits.h>
#include <linux/sched.h>
#include "opensnoop_simple.h"

BPF_PERF_OUTPUT(events);

static inline bool keep(u64 id, int ret)
{
#ifdef TGID
	if ((id >> 32) != TGID)
		return false;
#endif
#ifdef FAILED_ONLY
	if (ret >= 0)
		return false;
#endif
	return true;
}

static inline int submit(void *ctx, u64 id, const char __user *filename, int flags, int ret)
{
	struct data_t data = {};

	if (!keep(id, ret))
		return 0;
	data.id = id;
	data.ts = bpf_ktime_get_ns();
	data.uid = bpf_get_current_uid_gid();
	data.ret = ret;
	data.flags = flags;
	bpf_get_current_comm(&data.comm, sizeof(data.comm));
	bpf_probe_read_user_str(&data.fname, sizeof(data.fname), filename);
	events.perf_submit(ctx, &data, sizeof(data));
	return 0;
}

#ifdef OPENAT2
#include <uapi/linux/openat2.h>
#endif

#if defined(PROBE_KFUNC) && defined(OPENAT2)

KRETFUNC_PROBE(do_sys_openat2, int dfd, const char __user *filename, struct open_how *how,
	       long ret)
{
	return submit(ctx, bpf_get_current_pid_tgid(), filename, how->flags, ret);
}

#elif defined(PROBE_KFUNC)

KRETFUNC_PROBE(do_sys_open, int dfd, const char __user *filename, int flags, int mode, int ret)
{
	return submit(ctx, bpf_get_current_pid_tgid(), filename, flags, ret);
}

#else /* kprobe and tracepoint: remember the arguments until the return */

struct args_t {
	const char __user *filename;
	int flags;
};

BPF_HASH(infotmp, u64, struct args_t);

static inline int enter(const char __user *filename, int flags)
{
	u64 id = bpf_get_current_pid_tgid();
	struct args_t args = { .filename = filename, .flags = flags };

	infotmp.update(&id, &args);
	return 0;
}

static inline int leave(void *ctx, int ret)
{
	u64 id = bpf_get_current_pid_tgid();
	struct args_t *args = infotmp.lookup(&id);

	if (!args)
		return 0; /* missed the entry */
	submit(ctx, id, args->filename, args->flags, ret);
	infotmp.delete(&id);
	return 0;
}

#if defined(PROBE_KPROBE) && defined(OPENAT2)

int kprobe__do_sys_openat2(struct pt_regs *ctx, int dfd, const char __user *filename,
			   struct open_how *how)
{
	u64 flags = 0;

	bpf_probe_read_kernel(&flags, sizeof(flags), &how->flags);
	return enter(filename, flags);
}

int kretprobe__do_sys_openat2(struct pt_regs *ctx)
{
	return leave(ctx, PT_REGS_RC(ctx));
}

#elif defined(PROBE_KPROBE)

int kprobe__do_sys_open(struct pt_regs *ctx, int dfd, const char __user *filename, int flags)
{
	return enter(filename, flags);
}

int kretprobe__do_sys_open(struct pt_regs *ctx)
{
	return leave(ctx, PT_REGS_RC(ctx));
}

#else

TRACEPOINT_PROBE(syscalls, sys_enter_openat)
{
	return enter(args->filename, args->flags);
}

TRACEPOINT_PROBE(syscalls, sys_exit_openat)
{
	return leave(args, args->ret);
}

#endif
#endif
