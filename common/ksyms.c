#include "ksyms.h"

#include "probe_names.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Calls match(name, ctx) for each symbol until it returns non-zero.
 * Returns that value, 0 at the end, or a negative errno. */
static int ksyms_each(int (*match)(const char *name, void *ctx), void *ctx)
{
	char line[512];
	FILE *f = fopen("/proc/kallsyms", "re");
	int ret = 0;

	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		char *name = strchr(line, ' ');

		/* "<addr> <type> <name>[\t[module]]\n" */
		if (!name || !(name = strchr(name + 1, ' ')))
			continue;
		name++;
		name[strcspn(name, "\t\n")] = '\0';
		ret = match(name, ctx);
	}
	fclose(f);
	return ret;
}

static int match_exact(const char *name, void *ctx)
{
	return !strcmp(name, ctx);
}

int ksyms_exists(const char *name)
{
	return ksyms_each(match_exact, (void *)name);
}

/* bcc takes the first prefix of its list for which "<prefix>bpf" exists,
 * so the scan keeps the lowest list index seen. */
static int match_syscall_bpf(const char *name, void *ctx)
{
	int *best = ctx;

	for (int i = 0; i < *best && probe_names_syscall_prefixes[i]; i++) {
		size_t plen = strlen(probe_names_syscall_prefixes[i]);

		if (!strncmp(name, probe_names_syscall_prefixes[i], plen) &&
		    !strcmp(name + plen, "bpf")) {
			*best = i;
			return i == 0;
		}
	}
	return 0;
}

const char *ksyms_syscall_prefix(void)
{
	static const char *prefix;

	if (!prefix) {
		int best = INT_MAX;

		ksyms_each(match_syscall_bpf, &best);
		prefix = probe_names_syscall_prefixes[best == INT_MAX ? 0 : best];
	}
	return prefix;
}
