#include "feature.h"

#include "btf.h"
#include "compat.h"
#include "headers.h"
#include "include_line.h"
#include "trace_pipe.h"

#include <bcc/bcc_version.h>
#include <errno.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define PMU_DIR "/sys/bus/event_source/devices"

__attribute__((format(printf, 3, 4)))
static void set(struct feature *f, bool ok, const char *fmt, ...)
{
	va_list ap;

	f->ok = ok;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

void feature_tracefs(struct feature *f)
{
	const char *dir = tracefs_dir();

	if (dir)
		set(f, true, "mounted at %s", dir);
	else
		set(f, false, "not mounted at /sys/kernel/tracing or /sys/kernel/debug/tracing; "
			      "mount it: mount -t tracefs nodev /sys/kernel/tracing");
}

/* kind is "kprobe" or "uprobe" */
static void probe_support(struct feature *f, const char *kind, const char *config)
{
	const char *dir = tracefs_dir();
	char path[256];

	snprintf(path, sizeof(path), PMU_DIR "/%s", kind);
	if (exists(path)) {
		set(f, true, "%s PMU at %s", kind, path);
		return;
	}
	if (dir) {
		snprintf(path, sizeof(path), "%s/%s_events", dir, kind);
		if (exists(path)) {
			set(f, true, "%s", path);
			return;
		}
		set(f, false, "this kernel has no %ss (%s is off): no %s PMU in " PMU_DIR
			      " and no %s_events in %s; use a kernel built with %s=y "
			      "(for kprobe tools here: make lab)",
		    kind, config, kind, kind, dir, config);
		return;
	}
	set(f, false, "this kernel has no %s PMU in " PMU_DIR " and tracefs is not mounted "
		      "to look for %s_events; mount it (mount -t tracefs nodev /sys/kernel/tracing) "
		      "or use a kernel built with %s=y", kind, kind, config);
}

void feature_kprobes(struct feature *f)
{
	probe_support(f, "kprobe", "CONFIG_KPROBES");
}

void feature_uprobes(struct feature *f)
{
	probe_support(f, "uprobe", "CONFIG_UPROBE_EVENTS");
}

void feature_btf(struct feature *f)
{
	if (exists(VMLINUX_BTF))
		set(f, true, VMLINUX_BTF);
	else
		set(f, false, VMLINUX_BTF " is missing: the kernel was built without "
			      "CONFIG_DEBUG_INFO_BTF");
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* r0 = 0; exit */
static const struct bpf_insn return_zero[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* Loads "return 0" as prog_type; returns the fd or a negative errno. */
static int load_minimal(enum bpf_prog_type type, enum bpf_attach_type expected, int btf_id)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.expected_attach_type = expected;
	attr.attach_btf_id = btf_id;
	attr.insns = (unsigned long)return_zero;
	attr.insn_cnt = sizeof(return_zero) / sizeof(return_zero[0]);
	attr.license = (unsigned long)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

void feature_tracepoints(struct feature *f)
{
	const char *dir = tracefs_dir();
	char path[256];

	if (!dir) {
		set(f, false, "tracefs is not mounted; mount it: mount -t tracefs nodev "
			      "/sys/kernel/tracing");
		return;
	}
	snprintf(path, sizeof(path), "%s/events/sched/sched_switch/id", dir);
	if (exists(path))
		set(f, true, "%s/events", dir);
	else
		set(f, false, "%s has no events/sched/sched_switch: the kernel was built without "
			      "CONFIG_TRACEPOINTS or the events are hidden", dir);
}

void feature_raw_tracepoints(struct feature *f)
{
	union bpf_attr attr;
	int prog_fd, link_fd, err;

	prog_fd = load_minimal(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
	if (prog_fd < 0) {
		err = -prog_fd;
		set(f, false, "the kernel refused a minimal raw tracepoint program: %s (%s)",
		    strerror(err), strerrorname_np(err));
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = (unsigned long)"sched_switch";
	attr.raw_tracepoint.prog_fd = prog_fd;
	link_fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
	err = errno;
	close(prog_fd);
	if (link_fd < 0) {
		set(f, false, "a minimal raw tracepoint program loaded but could not attach to "
			      "sched_switch: %s (%s)", strerror(err), strerrorname_np(err));
		return;
	}
	close(link_fd);
	set(f, true, "a minimal program attached to raw tracepoint sched_switch");
}

/* Bit cap of CapEff in /proc/self/status. */
static bool has_cap(int cap)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *fp = fopen("/proc/self/status", "re");

	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(fp);
	return (eff >> cap) & 1;
}

void feature_privileges(struct feature *f)
{
	enum { CAP_SYS_ADMIN_BIT = 21, CAP_PERFMON_BIT = 38, CAP_BPF_BIT = 39 };

	if (geteuid() == 0 && has_cap(CAP_SYS_ADMIN_BIT))
		set(f, true, "root");
	else if (has_cap(CAP_SYS_ADMIN_BIT))
		set(f, true, "CAP_SYS_ADMIN");
	else if (has_cap(CAP_BPF_BIT) && has_cap(CAP_PERFMON_BIT))
		set(f, true, "CAP_BPF and CAP_PERFMON");
	else
		set(f, false, "not root and without CAP_BPF+CAP_PERFMON or CAP_SYS_ADMIN; "
			      "run with sudo");
}

/* Functions every kernel with kfunc support has in its BTF; the program
 * is loaded against the first one found. */
static const char *const kfunc_targets[] = { "vfs_read", "do_unlinkat", "schedule", NULL };

void feature_kfunc(struct feature *f)
{
	union bpf_attr attr;
	const char *target = NULL;
	int id = -ENOENT, prog_fd, link_fd, err;

	feature_btf(f);
	if (!f->ok) {
		set(f, false, "kfunc needs kernel BTF: " VMLINUX_BTF " is missing "
			      "(CONFIG_DEBUG_INFO_BTF is off); use kprobes instead");
		return;
	}
	for (int i = 0; kfunc_targets[i] && id < 0; i++) {
		target = kfunc_targets[i];
		id = btf_find_func(VMLINUX_BTF, target);
		if (id == -EINVAL || id == -EACCES || id == -EPERM)
			break;
	}
	if (id < 0) {
		set(f, false, "cannot find a function to test in " VMLINUX_BTF ": %s",
		    strerror(-id));
		return;
	}

	prog_fd = load_minimal(BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, id);
	if (prog_fd < 0) {
		err = -prog_fd;
		set(f, false, "the kernel refused to load a minimal fentry program on %s: %s (%s)%s",
		    target, strerror(err), strerrorname_np(err),
		    err == EPERM ? "; tracing programs are not permitted here (not root, "
				   "kernel lockdown, or a restricted kernel); use kprobes instead" :
				   "; use kprobes instead");
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.prog_fd = prog_fd;
	link_fd = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr);
	err = errno;
	close(prog_fd);
	if (link_fd < 0) {
		set(f, false, "a minimal fentry program on %s loaded but could not attach: %s (%s)",
		    target, strerror(err), strerrorname_np(err));
		return;
	}
	close(link_fd);
	set(f, true, "a minimal fentry program on %s loaded and attached", target);
}

void feature_headers_dirs(char *kpath, char *build, size_t len)
{
	struct headers h;

	headers_find(&h);
	snprintf(kpath, len, "%s", h.kpath);
	snprintf(build, len, "%s", h.build);
}

void feature_headers(struct feature *f)
{
	char probe[PATH_MAX + 32], resolved[PATH_MAX];
	struct headers h;

	headers_find(&h);
	snprintf(probe, sizeof(probe), "%s/include/linux/kconfig.h", h.kpath);
	if (!exists(probe)) {
		if (h.env)
			set(f, false, "BCC_KERNEL_SOURCE=%s holds no kernel headers "
				      "(no include/linux/kconfig.h); point it at a headers tree", h.env);
		else
			set(f, false, "no kernel headers for %s: %s is missing or empty; install "
				      "linux-headers-%s, or link Debian's linux-headers-*-amd64 there "
				      "(make setup does), or set BCC_KERNEL_SOURCE",
			    h.release, h.kpath, h.release);
		return;
	}
	if (!realpath(h.kpath, resolved))
		snprintf(resolved, sizeof(resolved), "%s", h.kpath);
	if (!h.headers_release[0])
		set(f, true, "%s (release unknown)", resolved);
	else if (!strcmp(h.headers_release, h.release))
		set(f, true, "%s (release %s, matches the running kernel)", resolved, h.release);
	else
		set(f, true, "%s (release %s; the running kernel is %s: programs that read "
			     "kernel structs may see wrong offsets)", resolved, h.headers_release,
		    h.release);
}

bool feature_text_reads_kernel_structs(const char *text, char *header, size_t size)
{
	for (const char *p = text; p && *p; ) {
		const char *nl = strchr(p, '\n'), *eol = nl ? nl : p + strlen(p);
		char h[256];
		bool quoted;

		/* uapi/: the user-kernel ABI, whose layouts do not change
		 * between releases; bcc/: libbcc's own headers */
		if (include_line(p, eol, h, sizeof(h), &quoted) && strncmp(h, "uapi/", 5) &&
		    strncmp(h, "bcc/", 4)) {
			snprintf(header, size, "%s", h);
			return true;
		}
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

bool feature_headers_warning(const char *text, char *msg, size_t len)
{
	char header[256];
	struct headers h;

	if (!feature_text_reads_kernel_structs(text, header, sizeof(header)))
		return false;
	headers_find(&h);
	if (!h.headers_release[0] || !strcmp(h.headers_release, h.release))
		return false;
	snprintf(msg, len, "warning: the kernel headers are %s's but the running kernel is %s: "
		 "this text reads kernel structs (it includes <%s>) and may read wrong field "
		 "offsets; install the running kernel's headers or set BCC_KERNEL_SOURCE",
		 h.headers_release, h.release, header);
	return true;
}

int feature_report(FILE *out)
{
	static const struct {
		const char *name;
		void (*check)(struct feature *f);
	} checks[] = {
		{ "privileges", feature_privileges },
		{ "tracefs", feature_tracefs },
		{ "kprobes", feature_kprobes },
		/* kretprobes come with kprobes: the same kernel option and PMU */
		{ "kretprobes", feature_kprobes },
		{ "uprobes", feature_uprobes },
		{ "tracepoints", feature_tracepoints },
		{ "raw tracepoints", feature_raw_tracepoints },
		{ "kfunc", feature_kfunc },
		{ "btf", feature_btf },
		{ "kernel headers", feature_headers },
	};
	struct compat c;
	int no = 0;

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct feature f;

		checks[i].check(&f);
		fprintf(out, "%s: %s: %s\n", checks[i].name, f.ok ? "yes" : "no", f.detail);
		no += !f.ok;
	}
	/* a choice, not a yes or no */
	compat_detect(&c);
	fprintf(out, "uapi bpf.h: %s\n", c.detail);
	fprintf(out, "libbcc: %s (built against; Debian's libbpfcc)\n", LIBBCC_VERSION);
	return no;
}
