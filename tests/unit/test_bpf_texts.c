/* Every BPF text of the project compiles against this host's headers, so
 * a text error shows up in the fast run and not only where the text can
 * attach (kprobe texts attach only in the kernel lab). libbcc creates the
 * tables while compiling, which needs root: skipped (77) without it. */
#include "check.h"
#include "tracer.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: compiling creates BPF maps, which needs root\n");
		return 77;
	}
	/* each argument is FILE or FILE:-DFLAG[:-DFLAG] (one variant of a text) */
	for (int i = 1; i < argc; i++) {
		struct tracer *t = tracer__new();
		char *path = strdup(argv[i]), *flag = strchr(path, ':');
		const char *cflags[4];
		struct tracer_src src = { .name = argv[i], .cflags = cflags, .no_cache = 1 };
		char *text;
		int err;

		for (; flag && src.ncflags < 4; flag = strchr(flag, ':')) {
			*flag++ = '\0';
			cflags[src.ncflags++] = flag;
		}
		src.text = text = slurp(path);

		CHECK(t && text);
		if (!t || !text) {
			tracer__free(t);
			free(text);
			free(path);
			continue;
		}
		err = tracer__compile(t, &src);
		if (err)
			fprintf(stderr, "%s\n", tracer__errmsg(t));
		CHECK_INT(err, 0);
		tracer__free(t);
		free(text);
		free(path);
	}
	return CHECK_DONE();
}
