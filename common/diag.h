/* clang's diagnostics as the user's file would number them. libbcc names
 * the text "/virtual/main.c", and for TRACEPOINT_PROBE texts it inserts the
 * tracepoint structs at the top before compiling, so its line numbers run
 * ahead of the file's. */
#ifndef BCC_C_DIAG_H
#define BCC_C_DIAG_H

/* Returns diag (malloc'd, caller frees; NULL on ENOMEM) with every
 * "/virtual/main.c:LINE" renamed to "name:LINE'", LINE' being the line of
 * text the diagnostic quotes: the shift is learnt from the first quoted
 * source line found exactly once in text. */
char *diag_remap(const char *diag, const char *text, const char *name);

#endif
