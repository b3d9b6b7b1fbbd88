/* Benchmark helper: compile a BPF text (or take it from the cache) and
 * load every function that this kernel can load without attaching, then
 * exit: "start to ready" for texts whose probes cannot attach here.
 * Usage: compile_load [--no-cache] FILE [-DNAME=VALUE]... */
#include "log.h"
#include "tool.h"

#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct tool_opts opts = { .duration = 0 };
	BCC_C_OPTS(tracer_src, src, .no_cache = 0);
	struct tracer *t;
	char *text = NULL;
	size_t len = 0;
	int i = 1, err = 0;
	FILE *f;

	log_set_prog("compile_load");
	if (i < argc && !strcmp(argv[i], "--no-cache")) {
		opts.no_cache = 1;
		i++;
	}
	if (i >= argc || !(f = fopen(argv[i], "re"))) {
		fprintf(stderr, "usage: compile_load [--no-cache] FILE [-DNAME=VALUE]...\n");
		return 2;
	}
	if (getdelim(&text, &len, '\0', f) < 0) {
		fclose(f);
		return 1;
	}
	fclose(f);
	src.text = text;
	src.name = argv[i];
	src.cflags = (const char *const *)argv + i + 1;
	src.ncflags = (size_t)(argc - i - 1);
	src.no_cache = opts.no_cache;
	t = tracer__new();
	err = tracer__compile(t, &src);
	for (size_t k = 0; !err && k < tracer__num_functions(t); k++) {
		const char *fn = tracer__function_name(t, k);
		int type = !strncmp(fn, "tracepoint__", 12) ? BPF_PROG_TYPE_TRACEPOINT :
			   BPF_PROG_TYPE_KPROBE;

		/* kfunc programs need a kernel that runs them: not loadable here */
		if (!strncmp(fn, "kfunc__", 7) || !strncmp(fn, "kretfunc__", 10))
			continue;
		err = tracer__load(t, fn, type) < 0;
	}
	if (err)
		log_error("%s", tracer__errmsg(t));
	else
		printf("ready\n");
	tracer__free(t);
	free(text);
	return err != 0;
}
