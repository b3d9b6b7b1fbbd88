/* Every BPF text of the project compiles against this host's headers, so
 * a text error shows up in the fast run and not only where the text can
 * attach (kprobe texts attach only in the kernel lab). libbcc creates the
 * tables while compiling, which needs root: skipped (77) without it. */
#include "check.h"
#include "tool.h"
#include "tracer.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
		char *text = NULL;
		int err;

		for (; flag && src.ncflags < 4; flag = strchr(flag, ':')) {
			*flag++ = '\0';
			cflags[src.ncflags++] = flag;
		}
		/* read as the tools read a text given with -f */
		if (tool_read_text(path, &text))
			text = NULL;
		src.text = text;

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
