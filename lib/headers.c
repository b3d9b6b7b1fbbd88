#include "headers.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* UTS_RELEASE from the headers' include/generated/utsrelease.h, or "". */
static void read_release(const char *dir, char out[256])
{
	char path[PATH_MAX + 64], line[256];
	FILE *fp;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/include/generated/utsrelease.h", dir);
	fp = fopen(path, "re");
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "#define UTS_RELEASE \"%255[^\"]\"", out) == 1)
			break;
	fclose(fp);
}

void headers_find(struct headers *h)
{
	char real[PATH_MAX];
	struct utsname un;

	h->env = getenv("BCC_KERNEL_SOURCE");
	uname(&un);
	snprintf(h->release, sizeof(h->release), "%s", un.release);
	if (h->env) {
		snprintf(h->kpath, sizeof(h->kpath), "%s", h->env);
		snprintf(h->build, sizeof(h->build), "%s", h->env);
		snprintf(h->source, sizeof(h->source), "%s", h->env);
	} else {
		snprintf(h->build, sizeof(h->build), "/lib/modules/%s/build", un.release);
		snprintf(h->source, sizeof(h->source), "/lib/modules/%s/source", un.release);
		/* libbcc compiles in source/ when both exist, else in build/ */
		snprintf(h->kpath, sizeof(h->kpath), "%s",
			 is_dir(h->build) && is_dir(h->source) ? h->source : h->build);
	}
	read_release(h->build, h->headers_release);
	snprintf(h->uapi, sizeof(h->uapi), "%s/include/uapi/linux/bpf.h",
		 realpath(h->kpath, real) ? real : h->kpath);
}
