/* Every BPF text of the project compiles against this host's headers, so
 * a text error shows up in the fast run and not only where the text can
 * attach (kprobe texts attach only in the kernel lab). libbcc creates the
 * tables while compiling, which needs root: skipped (77) without it.
 * bpf_texts_headers.sh runs it against other headers (Debian's 6.12). */
#include "check.h"
#include "tool.h"
#include "tracer.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* spec is "TABLE:N" */
static void check_max_entries(struct tracer *t, const char *text, const char *spec)
{
	const char *colon = strchr(spec, ':');
	struct tracer_table tab = { 0 };
	char name[64];
	int err;

	CHECK(colon != NULL);
	if (!colon)
		return;
	snprintf(name, sizeof(name), "%.*s", (int)(colon - spec), spec);
	err = tracer__table(t, name, &tab);
	CHECK_INT(err, 0);
	if (!err && tab.max_entries != strtoul(colon + 1, NULL, 10))
		fprintf(stderr, "%s: table %s has max_entries %zu, expected %s\n", text, name,
			tab.max_entries, colon + 1);
	CHECK_INT(tab.max_entries, strtoul(colon + 1, NULL, 10));
}

int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: compiling creates BPF maps, which needs root\n");
		return 77;
	}
	/* each argument is FILE or FILE:-DFLAG[:-DFLAG] (one variant of a text),
	 * optionally followed by --max-entries=TABLE:N, which that text's
	 * TABLE must have (a size the compile saw, see bpf_list_node_size.bpf.c) */
	for (int i = 1; i < argc; i++) {
		struct tracer *t = tracer__new();
		char *path = strdup(argv[i]), *flag = strchr(path, ':');
		const char *cflags[4];
		BCC_C_OPTS(tracer_src, src, .name = argv[i], .cflags = cflags, .no_cache = 1);
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
		if (i + 1 < argc && !strncmp(argv[i + 1], "--max-entries=", 14)) {
			check_max_entries(t, argv[i], argv[i + 1] + 14);
			i++;
		}
		tracer__free(t);
		free(text);
		free(path);
	}
	return CHECK_DONE();
}
