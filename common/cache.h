/* The compile cache: program images keyed by everything that shapes a
 * compile. Location: $BCC_C_CACHE_DIR if set ("off" disables it), else
 * /var/cache/bcc-c for root, else $XDG_CACHE_HOME/bcc-c or ~/.cache/bcc-c.
 * A cache that cannot be read or written only costs speed. */
#ifndef BCC_C_CACHE_H
#define BCC_C_CACHE_H

#include "image.h"

#include <stdbool.h>
#include <stddef.h>

/* The exact inputs of a compile, as one string (malloc'd): the text, the
 * cflags, libbcc's version, the kernel release and the identity of the
 * headers libbcc compiles against (paths and stamps of their key files). */
char *cache_key(const char *text, const char *const *cflags, size_t ncflags);

/* The cache directory into buf; -ENOENT when the cache is turned off. */
int cache_dir(char *buf, size_t len);

/* Whether a compile should use the cache: not when BCC_C_NO_CACHE is set
 * or the cache is turned off (then not even the key is worth computing). */
bool cache_enabled(void);

/* Reads the entry for key into img. Returns 0 on a hit, -ENOENT on a miss,
 * -EINVAL for a corrupt or truncated entry (to be recompiled). */
int cache_load(const char *key, struct image *img);

/* Writes the entry for key, atomically; returns 0 or a negative errno that
 * callers may ignore. */
int cache_store(const char *key, const struct image *img);

#endif
