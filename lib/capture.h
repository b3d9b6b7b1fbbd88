/* libbcc prints clang diagnostics and verifier logs straight to stderr.
 * A capture redirects fd 2 into memory around one libbcc call so the
 * runtime can rename "/virtual/main.c" to the user's file, or fold the
 * text into an error message instead of spraying it on the terminal. */
#ifndef BCC_C_CAPTURE_H
#define BCC_C_CAPTURE_H

struct capture {
	int saved_fd; /* the real stderr while capturing, -1 otherwise */
	int mem_fd;   /* memfd receiving fd 2's output */
};

/* Start redirecting fd 2. Returns 0 or a negative errno (stderr unchanged). */
int capture_begin(struct capture *c);

/* Restore fd 2 and return what was written in *out (malloc'd, NUL-terminated,
 * caller frees; "" when nothing). Returns 0 or a negative errno, and always
 * restores stderr. */
int capture_end(struct capture *c, char **out);

#endif
