/* One place for diagnostics: every message to the user goes to stderr
 * through these, so tools never format errors on their own. */
#ifndef BCC_C_LOG_H
#define BCC_C_LOG_H

#include <stdarg.h>

/* The program name printed before every message ("uprobe_simple: ..."). */
void log_set_prog(const char *name);

/* "<prog>: error: <msg>\n" to stderr. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "<prog>: <msg>\n" to stderr, for notices like which probe mode was chosen. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a va_list. */
void log_vinfo(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
