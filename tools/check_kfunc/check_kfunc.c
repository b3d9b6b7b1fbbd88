/* check_kfunc: can this kernel run kfunc (fentry/fexit) programs? Answers
 * by loading and attaching one, not by looking at symbols. */
#include "feature.h"
#include "tool.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: check_kfunc\n"
	"Print whether kfunc (fentry/fexit) programs load and attach on this kernel.\n"
	"Exit status 0 when they do, 1 when they do not (the reason is printed).\n"
	"  --version  print the versions (bcc-c, libbcc) and whether the cache is on\n"
	"  -h         print this help\n"
	"Example:\n"
	"  sudo ./build/bin/check_kfunc\n";

int main(int argc, char **argv)
{
	struct feature f;

	if (argc == 2 && !strcmp(argv[1], "--version")) {
		tool_print_version(stdout, argv[0]);
		return 0;
	}
	if (argc > 1) {
		int help = !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help");

		fputs(usage, help ? stdout : stderr);
		return help ? 0 : 2;
	}
	feature_kfunc(&f);
	if (f.ok) {
		printf("kfunc is supported\n");
		return 0;
	}
	printf("kfunc is not supported\n%s\n", f.detail);
	return 1;
}
