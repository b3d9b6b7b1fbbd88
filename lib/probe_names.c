#include "probe_names.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *const probe_names_syscall_prefixes[] = {
	"sys_", "__x64_sys_", "__x32_compat_sys_", "__ia32_compat_sys_",
	"__arm64_sys_", "__s390x_sys_", "__s390_sys_", NULL,
};

static const struct {
	const char *prefix;
	enum probe_kind kind;
} auto_prefixes[] = {
	{ "kprobe__", PROBE_KPROBE },
	{ "kretprobe__", PROBE_KRETPROBE },
	{ "tracepoint__", PROBE_TRACEPOINT },
	{ "raw_tracepoint__", PROBE_RAW_TRACEPOINT },
	{ "kfunc__", PROBE_KFUNC },
	{ "kretfunc__", PROBE_KRETFUNC },
};

const char *probe_kind_str(enum probe_kind kind)
{
	static const char *const names[] = {
		[PROBE_NONE] = "none",
		[PROBE_KPROBE] = "kprobe",
		[PROBE_KRETPROBE] = "kretprobe",
		[PROBE_TRACEPOINT] = "tracepoint",
		[PROBE_RAW_TRACEPOINT] = "raw tracepoint",
		[PROBE_KFUNC] = "kfunc",
		[PROBE_KRETFUNC] = "kretfunc",
		[PROBE_UPROBE] = "uprobe",
		[PROBE_URETPROBE] = "uretprobe",
	};
	return names[kind];
}

static int copy_str(char *out, size_t len, const char *s)
{
	if (snprintf(out, len, "%s", s) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

enum probe_kind probe_names_classify(const char *fn_name, char *target, size_t len)
{
	for (size_t i = 0; i < sizeof(auto_prefixes) / sizeof(auto_prefixes[0]); i++) {
		size_t plen = strlen(auto_prefixes[i].prefix);
		const char *rest = fn_name + plen;

		if (strncmp(fn_name, auto_prefixes[i].prefix, plen) || !*rest)
			continue;
		if (copy_str(target, len, rest))
			return PROBE_NONE;
		if (auto_prefixes[i].kind == PROBE_TRACEPOINT) {
			/* tracepoint__sched__sched_switch -> sched:sched_switch */
			char *sep = strstr(target, "__");

			if (!sep || sep == target || !sep[2])
				return PROBE_NONE;
			sep[0] = ':';
			memmove(sep + 1, sep + 2, strlen(sep + 2) + 1);
		}
		return auto_prefixes[i].kind;
	}
	return PROBE_NONE;
}

int probe_names_is_syscall(const char *name)
{
	for (int i = 0; probe_names_syscall_prefixes[i]; i++)
		if (!strncmp(name, probe_names_syscall_prefixes[i],
			     strlen(probe_names_syscall_prefixes[i])))
			return 1;
	return 0;
}

int probe_names_fix_syscall(const char *name, const char *prefix, char *out, size_t len)
{
	const char *rest = NULL;

	for (int i = 0; probe_names_syscall_prefixes[i]; i++) {
		size_t plen = strlen(probe_names_syscall_prefixes[i]);

		if (!strncmp(name, probe_names_syscall_prefixes[i], plen)) {
			rest = name + plen;
			break;
		}
	}
	if (!rest)
		return copy_str(out, len, name);
	if (snprintf(out, len, "%s%s", prefix, rest) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int probe_names_event(enum probe_kind kind, const char *target, uint64_t addr, pid_t pid,
		      char *out, size_t len)
{
	const char *p = (kind == PROBE_KRETPROBE || kind == PROBE_URETPROBE) ? "r_" : "p_";
	int n;

	if (kind == PROBE_UPROBE || kind == PROBE_URETPROBE) {
		if (pid > 0)
			n = snprintf(out, len, "%s%s_0x%llx_%d", p, target,
				     (unsigned long long)addr, (int)pid);
		else
			n = snprintf(out, len, "%s%s_0x%llx", p, target,
				     (unsigned long long)addr);
	} else {
		n = snprintf(out, len, "%s%s", p, target);
	}
	if (n < 0 || n >= (int)len)
		return -ENAMETOOLONG;
	/* tracefs event names take [A-Za-z0-9_] only */
	for (char *c = out; *c; c++)
		if (!isalnum((unsigned char)*c))
			*c = '_';
	return 0;
}
