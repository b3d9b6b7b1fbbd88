/* The compile cache: program images keyed by everything that shapes a
 * compile. Location: $BCC_C_CACHE_DIR if set ("off" disables it), else
 * /var/cache/bcc-c for root, else $XDG_CACHE_HOME/bcc-c or ~/.cache/bcc-c.
 * The directory and its entries are used only when owned by the effective
 * user or root and writable by no one else (cache_trust.h). It holds at
 * most $BCC_C_CACHE_MAX_MB MiB (default 64); storing an entry removes the
 * least recently used ones above that. A cache that cannot be read or
 * written only costs speed. */
#ifndef BCC_C_CACHE_H
#define BCC_C_CACHE_H

#include "image.h"

#include <stdbool.h>
#include <stddef.h>

/* The exact inputs of a compile, as one string (malloc'd): the text, the
 * cflags, libbcc's version, the kernel release and the identity of the
 * headers libbcc compiles against (paths and stamps of their key files),
 * and the number of possible CPUs. */
char *cache_key(const char *text, const char *const *cflags, size_t ncflags);

/* The cache directory into buf; -ENOENT when the cache is turned off. */
int cache_dir(char *buf, size_t len);

/* Whether a compile should use the cache: not when BCC_C_NO_CACHE is set
 * or the cache is turned off (then not even the key is worth computing). */
bool cache_enabled(void);

/* Reads the entry for key into img. Returns 0 on a hit, -ENOENT on a miss,
 * -EINVAL for a corrupt or truncated entry, -ESTALE for one whose perf
 * tables have fewer slots than this host's CPUs (all to be recompiled), and
 * -EPERM when the directory or the entry may not be trusted: then why (len
 * bytes) holds one sentence for the user saying what and the fix. */
int cache_load(const char *key, struct image *img, char *why, size_t len);

/* Writes the entry for key, atomically (a new file renamed into place),
 * then evicts the least recently used entries above the size cap. Returns
 * 0 or a negative errno that callers may ignore, except -EPERM (directory
 * not trusted) and -EINVAL (BCC_C_CACHE_MAX_MB not a size), which set why
 * as cache_load() does. */
int cache_store(const char *key, const struct image *img, char *why, size_t len);

#endif
