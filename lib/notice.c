#include "notice.h"

#include <stdio.h>
#include <stdlib.h>

void vnotice(notice_fn fn, void *ctx, const char *fmt, va_list ap)
{
	char *msg;

	if (fn && vasprintf(&msg, fmt, ap) >= 0) {
		fn(msg, ctx);
		free(msg);
	}
}
