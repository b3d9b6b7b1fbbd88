/* The '#include' lines of a BPF text, read by the headers' warning
 * (feature.c) and by the front ends' pasting of a text's own headers
 * (tool.c): one reading of the preprocessor's syntax for both. */
#ifndef BCC_C_INCLUDE_LINE_H
#define BCC_C_INCLUDE_LINE_H

#include <stdbool.h>
#include <stddef.h>

/* The header the line [p, eol) names when it is '#include <H>' or
 * '#include "H"' (blanks allowed around '#'), into out (size bytes);
 * *quoted says which form. False when the line is no include, or H is
 * empty or does not fit. */
bool include_line(const char *p, const char *eol, char *out, size_t size, bool *quoted);

#endif
