#include "cpus.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

int cpus_parse(const char *list, int *cpus, int max)
{
	int n = 0;
	const char *p = list;

	while (*p && *p != '\n') {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p || lo < 0 || lo > INT_MAX)
			return -EINVAL;
		p = end;
		if (*p == '-') {
			hi = strtol(p + 1, &end, 10);
			if (end == p + 1 || hi < lo || hi > INT_MAX)
				return -EINVAL;
			p = end;
		}
		for (long c = lo; c <= hi; c++, n++)
			if (n < max)
				cpus[n] = (int)c;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return n ? n : -EINVAL;
}

int cpus_read(const char *which, int **out)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	int n = -EIO;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s", which);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (getline(&line, &cap, f) > 0)
		n = cpus_parse(line, NULL, 0);
	fclose(f);
	if (out && n > 0) {
		*out = calloc((size_t)n, sizeof(**out));
		if (*out)
			cpus_parse(line, *out, n);
		else
			n = -ENOMEM;
	}
	free(line);
	return n;
}
