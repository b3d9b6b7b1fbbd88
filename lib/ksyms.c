#include "ksyms.h"

#include "probe_names.h"
#include "suggest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Calls match(name, type, ctx) for each symbol until it returns non-zero.
 * Returns that value, 0 at the end, or a negative errno. */
static int ksyms_each(int (*match)(const char *name, char type, void *ctx), void *ctx)
{
	char line[512];
	FILE *f = fopen("/proc/kallsyms", "re");
	int ret = 0;

	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		char *name = strchr(line, ' ');
		char type;

		/* "<addr> <type> <name>[\t[module]]\n" */
		if (!name || !(name = strchr(name + 1, ' ')))
			continue;
		type = name[-1];
		name++;
		name[strcspn(name, "\t\n")] = '\0';
		ret = match(name, type, ctx);
	}
	fclose(f);
	return ret;
}

static int match_exact(const char *name, char type, void *ctx)
{
	(void)type;
	return !strcmp(name, ctx);
}

int ksyms_exists(const char *name)
{
	return ksyms_each(match_exact, (void *)name);
}

/* bcc takes the first prefix of its list for which "<prefix>bpf" exists,
 * so the scan keeps the lowest list index seen. */
static int match_syscall_bpf(const char *name, char type, void *ctx)
{
	int *best = ctx;

	(void)type;
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

static int add_function(const char *name, char type, void *ctx)
{
	if (type == 't' || type == 'T')
		suggest_add(ctx, name);
	return 0;
}

void ksyms_suggest(const char *name, char *buf, size_t len)
{
	struct suggest s;

	suggest_init(&s, name);
	ksyms_each(add_function, &s);
	suggest_format(&s, buf, len);
}
