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

/* Removes from diag, in place, the diagnostics clang reports in the kernel's
 * headers (libbcc names them from the headers' folder: "include/...",
 * "arch/...") and in libbcc's own ("/virtual/include/..."), each with its
 * "In file included from" lines and its notes, and then the count line
 * ("N warnings generated."). Meant for the warnings of a compile that
 * succeeded: newer headers than libbcc's clang knows give dozens the user
 * can do nothing about. */
void diag_drop_headers(char *diag);

#endif
