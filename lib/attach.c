/* Attaching programs to kernel and user events: the attach half of
 * tracer.h. Each function checks that the kernel can do what is asked
 * before loading anything, so a refusal is explained, not guessed at. */
#include "tracer_priv.h"

#include "capture.h"
#include "feature.h"
#include "ifunc.h"
#include "ksyms.h"
#include "opts.h"
#include "suggest.h"
#include "trace_pipe.h"
#include "uprobe_target.h"

#include <bcc/libbpf.h>
#include <errno.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs a libbcc attach call with its stderr chatter captured and dropped:
 * the caller explains a failure better than libbcc's raw perror lines. */
#define QUIET(expr)                                    \
	({                                             \
		struct capture __cap;                  \
		char *__out = NULL;                    \
		int __ok = capture_begin(&__cap) == 0; \
		__typeof__(expr) __r = (expr);         \
		int __e = errno;                       \
		if (__ok)                              \
			capture_end(&__cap, &__out);   \
		free(__out);                           \
		errno = __e;                           \
		__r;                                   \
	})

static int check_feature(struct tracer *t, void (*probe)(struct feature *), const char *what,
			 const char *fn_name, const char *where)
{
	struct feature f;

	probe(&f);
	if (f.ok)
		return 0;
	return tracer__fail(t, -EOPNOTSUPP, "cannot attach %s '%s' to %s: %s", what, fn_name,
			    where, f.detail);
}

static int attach_kprobe(struct tracer *t, const char *fn_name, const char *func,
			 uint64_t offset, int ret)
{
	enum probe_kind kind = ret ? PROBE_KRETPROBE : PROBE_KPROBE;
	char ev_name[256], where[300];
	int fd, pfd, err;

	snprintf(where, sizeof(where), "kernel function '%s'", func);
	err = check_feature(t, feature_kprobes, probe_kind_str(kind), fn_name, where);
	if (err)
		return err;
	fd = tracer__load(t, fn_name, BPF_PROG_TYPE_KPROBE);
	if (fd < 0)
		return fd;
	err = probe_names_event(kind, func, 0, 0, ev_name, sizeof(ev_name));
	if (err)
		return tracer__fail(t, err, "kernel function name too long: '%s'", func);
	pfd = QUIET(bpf_attach_kprobe(fd, ret ? BPF_PROBE_RETURN : BPF_PROBE_ENTRY, ev_name, func,
				      offset, 0));
	if (pfd < 0) {
		err = errno ? -errno : -EINVAL;
		/* libbcc's fallback may have left an entry in kprobe_events */
		QUIET(bpf_detach_kprobe(ev_name));
		if (ksyms_exists(func) == 0) {
			char close[1024];

			ksyms_suggest(func, close, sizeof(close));
			return tracer__fail(t, -ENOENT, "cannot attach %s '%s': this kernel has no "
					    "function '%s' (it is not in /proc/kallsyms); %s%s",
					    probe_kind_str(kind), fn_name, func,
					    close[0] ? "close names: " :
					    "check the name for this kernel version", close);
		}
		return tracer__fail(t, err, "cannot attach %s '%s' to %s: %s (it may be inlined "
				    "or marked notrace; see available_filter_functions in tracefs)",
				    probe_kind_str(kind), fn_name, where, strerror(-err));
	}
	return tracer_add_link(t, kind, ev_name, pfd);
}

int tracer__attach_kprobe(struct tracer *t, const char *fn_name, const char *func,
			  uint64_t offset)
{
	return attach_kprobe(t, fn_name, func, offset, 0);
}

int tracer__attach_kretprobe(struct tracer *t, const char *fn_name, const char *func)
{
	return attach_kprobe(t, fn_name, func, 0, 1);
}

/* An IFUNC symbol is its resolver, which runs only while the dynamic
 * linker binds it: the calls a user means go where it points on this host.
 * Where the probe went is said through the print function (INFO), since
 * the tools that attach have no way to ask. */
static int resolve_ifunc(struct tracer *t, const struct tracer_uprobe *u, const char *what,
			 const char *path, uint64_t *offset)
{
	char why[512], name[256];
	uint64_t vaddr;
	int err;

	err = ifunc_resolve(path, u->symbol, &vaddr, why, sizeof(why));
	if (err)
		return tracer__fail(t, err, "cannot attach %s '%s' to '%s' in '%s': it is an IFUNC "
				    "(its code only picks the implementation this CPU runs, once per "
				    "process), and the implementation it picks here cannot be found: "
				    "%s; attach to an implementation by its address instead "
				    "(BINARY:0xADDR, as nm prints it)", what, u->fn_name, u->symbol,
				    path, why);
	err = uprobe_target_addr(path, vaddr, u->pid, offset);
	if (err)
		return tracer__fail(t, err, "cannot attach %s '%s' to '%s' in '%s': it is an IFUNC "
				    "whose implementation on this host, at address 0x%llx, is in no "
				    "executable segment of the file", what, u->fn_name, u->symbol, path,
				    (unsigned long long)vaddr);
	if (uprobe_target_name(path, vaddr, name, sizeof(name)))
		name[0] = '\0';
	tracer_print(TRACER_INFO, "'%s' in %s is an IFUNC; attaching to the implementation this "
		     "CPU uses, %s%sat address 0x%llx (file offset 0x%llx)", u->symbol, path, name,
		     name[0] ? " " : "", (unsigned long long)vaddr, (unsigned long long)*offset);
	return 0;
}

static int resolve_uprobe(struct tracer *t, const struct tracer_uprobe *u, const char *what,
			  char *path, size_t len, uint64_t *offset)
{
	int err = uprobe_target_resolve(u->binary, u->pid, path, len);

	if (err == -ENOENT && strchr(u->binary, '/'))
		return tracer__fail(t, err, "cannot attach %s '%s': '%s' does not exist; give "
				    "the path of a binary", what, u->fn_name, u->binary);
	if (err == -ENOENT)
		return tracer__fail(t, err, "cannot attach %s '%s': '%s' is neither a library "
				    "(lib%s.so%s) nor a program on PATH; give a path instead",
				    what, u->fn_name, u->binary, u->binary,
				    u->pid > 0 ? " mapped by that process" : " in the linker cache");
	if (err)
		return tracer__fail(t, err, "cannot attach %s '%s' to '%s': %s", what,
				    u->fn_name, u->binary, strerror(-err));
	if (u->pid > 0) {
		/* bcc would attach anyway, to a probe that can never fire */
		err = uprobe_target_mapped(path, u->pid);
		if (err == -ESRCH)
			return tracer__fail(t, err, "cannot attach %s '%s': no process %d", what,
					    u->fn_name, (int)u->pid);
		if (err == 0)
			return tracer__fail(t, -ENOENT, "cannot attach %s '%s': process %d has not "
					    "loaded '%s', so the probe could never fire; check the "
					    "pid, or name the library the process uses", what,
					    u->fn_name, (int)u->pid, path);
	}
	if (!u->symbol) {
		err = uprobe_target_addr(path, u->addr, u->pid, offset);
		if (err == -ENOEXEC)
			return tracer__fail(t, err, "cannot attach %s '%s' at address 0x%llx of "
					    "'%s': the file is not an ELF executable or shared "
					    "library", what, u->fn_name,
					    (unsigned long long)u->addr, path);
		if (err)
			return tracer__fail(t, err, "cannot attach %s '%s' at address 0x%llx of "
					    "'%s': the address is in no executable segment of the "
					    "file; give the virtual address of code, as nm or "
					    "objdump -d print it (see: nm -D %s)", what, u->fn_name,
					    (unsigned long long)u->addr, path, path);
		return 0;
	}
	err = uprobe_target_symbol(path, u->symbol, u->pid, offset);
	if (err == -ENOEXEC)
		return tracer__fail(t, err, "cannot attach %s '%s' to '%s' in '%s': the file is "
				    "not an ELF executable or shared library", what, u->fn_name,
				    u->symbol, path);
	if (err)
		return tracer__fail(t, err, "cannot attach %s '%s' to '%s' in '%s': symbol not "
				    "found (is the binary stripped? list its symbols with: nm -D %s)",
				    what, u->fn_name, u->symbol, path, path);
	if (ifunc_check(path, u->symbol, u->pid) == 1)
		return resolve_ifunc(t, u, what, path, offset);
	return 0;
}

/* What EINVAL from a uprobe at a valid offset can mean: the kernel keeps
 * one uprobe per file and offset, and refuses another with a different
 * reference counter. One leaked by a tracer killed while it detached stays
 * registered until reboot; the kernel logs the mismatch with the inode and
 * offset given here, so the user can find the line. */
static void uprobe_einval_hint(const char *path, uint64_t offset, char *buf, size_t len)
{
	char inode[40] = "";
	struct stat st;

	if (!stat(path, &st))
		snprintf(inode, sizeof(inode), "inode: 0x%lx ", (unsigned long)st.st_ino);
	snprintf(buf, len, "; the kernel refuses a uprobe at an address that already has "
		 "one with another reference counter (ref_ctr_offset), for example one leaked "
		 "by a tracer killed while it detached (dmesg: 'leaking uprobe'), which stays "
		 "until reboot; look for it with: dmesg | grep 'ref_ctr_offset mismatch. "
		 "%soffset: 0x%llx'", inode, (unsigned long long)offset);
}

int tracer__attach_uprobe(struct tracer *t, const struct tracer_uprobe *opts)
{
	struct tracer_uprobe copy;
	bool valid = opts__copy(&copy, sizeof(copy), opts);
	const struct tracer_uprobe *u = &copy;
	enum probe_kind kind = u->retprobe ? PROBE_URETPROBE : PROBE_UPROBE;
	const char *what = probe_kind_str(kind);
	char path[PATH_MAX], ev_name[PATH_MAX + 64], where[PATH_MAX + 64];
	pid_t pid = u->pid > 0 ? u->pid : -1;
	uint64_t offset;
	int fd, pfd, err;

	if (!valid)
		return tracer__fail(t, -EINVAL, "cannot attach a uprobe: %s", opts__refusal(opts));
	if (!u->fn_name || !u->binary)
		return tracer__fail(t, -EINVAL, "cannot attach a uprobe: no %s given",
				    u->fn_name ? "binary" : "BPF function");
	err = resolve_uprobe(t, u, what, path, sizeof(path), &offset);
	if (err)
		return err;
	snprintf(where, sizeof(where), "'%s'", path);
	err = check_feature(t, feature_uprobes, what, u->fn_name, where);
	if (err)
		return err;
	fd = tracer__load(t, u->fn_name, BPF_PROG_TYPE_KPROBE);
	if (fd < 0)
		return fd;
	err = probe_names_event(kind, path, offset, pid, ev_name, sizeof(ev_name));
	if (err)
		return tracer__fail(t, err, "path too long: '%s'", path);
	pfd = QUIET(bpf_attach_uprobe(fd, u->retprobe ? BPF_PROBE_RETURN : BPF_PROBE_ENTRY,
				      ev_name, path, offset, pid, u->ref_ctr_offset));
	if (pfd < 0) {
		char hint[512] = "";

		err = errno ? -errno : -EINVAL;
		/* libbcc's fallback may have left an entry in uprobe_events */
		QUIET(bpf_detach_uprobe(ev_name));
		if (err == -ESRCH)
			return tracer__fail(t, err, "cannot attach %s '%s': no process %d",
					    what, u->fn_name, (int)pid);
		if (err == -EINVAL)
			uprobe_einval_hint(path, offset, hint, sizeof(hint));
		if (!u->symbol)
			return tracer__fail(t, err, "cannot attach %s '%s' at address 0x%llx (file "
					    "offset 0x%llx) of '%s': %s%s", what, u->fn_name,
					    (unsigned long long)u->addr, (unsigned long long)offset,
					    path, strerror(-err), hint);
		return tracer__fail(t, err, "cannot attach %s '%s' to '%s' in '%s' (offset 0x%llx): "
				    "%s%s", what, u->fn_name, u->symbol, path,
				    (unsigned long long)offset, strerror(-err), hint);
	}
	return tracer_add_link(t, kind, ev_name, pfd);
}

/* Tracepoints named like category:event, from tracefs's available_events. */
static void tracepoint_suggest(const char *dir, const char *category, const char *event,
			       char *buf, size_t len)
{
	char path[512], line[256], want[256];
	struct suggest s;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/available_events", dir);
	snprintf(want, sizeof(want), "%s:%s", category, event);
	f = fopen(path, "re");
	if (!f)
		return;
	suggest_init(&s, want);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		suggest_add(&s, line);
	}
	fclose(f);
	suggest_format(&s, buf, len);
}

int tracer__attach_tracepoint(struct tracer *t, const char *fn_name, const char *category,
			      const char *event)
{
	const char *dir = tracefs_dir();
	char path[512];
	int fd, pfd, err;

	if (!dir)
		return tracer__fail(t, -ENOENT, "cannot attach tracepoint '%s' to %s:%s: tracefs "
				    "is not mounted; mount it: mount -t tracefs nodev "
				    "/sys/kernel/tracing", fn_name, category, event);
	snprintf(path, sizeof(path), "%s/events/%s/%s", dir, category, event);
	if (access(path, F_OK)) {
		char close[1024];

		tracepoint_suggest(dir, category, event, close, sizeof(close));
		return tracer__fail(t, -ENOENT, "cannot attach tracepoint '%s': this kernel has no "
				    "tracepoint %s:%s (%s%s)", fn_name, category, event,
				    close[0] ? "close names: " : "see available_events in tracefs",
				    close);
	}
	fd = tracer__load(t, fn_name, BPF_PROG_TYPE_TRACEPOINT);
	if (fd < 0)
		return fd;
	pfd = QUIET(bpf_attach_tracepoint(fd, category, event));
	if (pfd < 0) {
		err = errno ? -errno : -EINVAL;
		return tracer__fail(t, err, "cannot attach tracepoint '%s' to %s:%s: %s", fn_name,
				    category, event, strerror(-err));
	}
	return tracer_add_link(t, PROBE_TRACEPOINT, NULL, pfd);
}

int tracer__attach_raw_tracepoint(struct tracer *t, const char *fn_name, const char *tp)
{
	int fd, lfd, err;

	fd = tracer__load(t, fn_name, BPF_PROG_TYPE_RAW_TRACEPOINT);
	if (fd < 0)
		return fd;
	lfd = QUIET(bpf_attach_raw_tracepoint(fd, tp));
	if (lfd < 0) {
		err = errno ? -errno : -EINVAL;
		return tracer__fail(t, err, "cannot attach raw tracepoint '%s' to '%s': %s%s",
				    fn_name, tp, strerror(-err),
				    err == -ENOENT ? " (no such tracepoint in this kernel)" : "");
	}
	return tracer_add_link(t, PROBE_RAW_TRACEPOINT, NULL, lfd);
}

int tracer__attach_kfunc(struct tracer *t, const char *fn_name)
{
	char target[256];
	enum probe_kind kind = probe_names_classify(fn_name, target, sizeof(target));
	char where[300];
	int fd, lfd, err;

	if (kind != PROBE_KFUNC && kind != PROBE_KRETFUNC)
		return tracer__fail(t, -EINVAL, "cannot attach '%s' as a kfunc: its name must "
				    "start with kfunc__ or kretfunc__", fn_name);
	snprintf(where, sizeof(where), "kernel function '%s'", target);
	err = check_feature(t, feature_kfunc, probe_kind_str(kind), fn_name, where);
	if (err)
		return err;
	fd = tracer__load(t, fn_name, BPF_PROG_TYPE_TRACING);
	if (fd < 0)
		return fd;
	lfd = QUIET(bpf_attach_kfunc(fd));
	if (lfd < 0) {
		err = errno ? -errno : -EINVAL;
		return tracer__fail(t, err, "cannot attach %s '%s' to %s: %s", probe_kind_str(kind),
				    fn_name, where, strerror(-err));
	}
	return tracer_add_link(t, kind, NULL, lfd);
}

static int autoattach_one(struct tracer *t, const char *fn_name)
{
	char target[256], fixed[300];
	enum probe_kind kind = probe_names_classify(fn_name, target, sizeof(target));
	char *colon;

	switch (kind) {
	case PROBE_KPROBE:
	case PROBE_KRETPROBE:
		/* kallsyms is read only for names that need the fix-up */
		if (probe_names_fix_syscall(target, probe_names_is_syscall(target) ?
					    ksyms_syscall_prefix() : "", fixed, sizeof(fixed)))
			return tracer__fail(t, -ENAMETOOLONG, "name too long: '%s'", fn_name);
		return attach_kprobe(t, fn_name, fixed, 0, kind == PROBE_KRETPROBE);
	case PROBE_TRACEPOINT:
		colon = strchr(target, ':');
		*colon = '\0';
		return tracer__attach_tracepoint(t, fn_name, target, colon + 1);
	case PROBE_RAW_TRACEPOINT:
		return tracer__attach_raw_tracepoint(t, fn_name, target);
	case PROBE_KFUNC:
	case PROBE_KRETFUNC:
		return tracer__attach_kfunc(t, fn_name);
	default:
		return 0;
	}
}

int tracer__autoattach(struct tracer *t)
{
	size_t before = t->nlinks;

	if (!t->compiled)
		return tracer__fail(t, -EINVAL, "no BPF text compiled");
	for (size_t i = 0; i < tracer__num_functions(t); i++) {
		int err = autoattach_one(t, tracer__function_name(t, i));

		if (err < 0)
			return err;
	}
	return (int)(t->nlinks - before);
}
