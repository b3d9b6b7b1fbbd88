#include "log.h"

#include <stdio.h>

static const char *prog = "bcc-c";

void log_set_prog(const char *name)
{
	prog = name;
}

static void log_v(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", prog, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v("error: ", fmt, ap);
	va_end(ap);
}

void log_vinfo(const char *fmt, va_list ap)
{
	log_v("", fmt, ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v("", fmt, ap);
	va_end(ap);
}
