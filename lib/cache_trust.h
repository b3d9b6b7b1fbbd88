/* Which compile cache files may be trusted. A cache entry becomes a
 * program the kernel runs with the rights of whoever loads it, so, as
 * ssh's StrictModes and git's safe.directory do, the cache uses a directory
 * or an entry only when it is owned by the effective user or root and no
 * one else can write to it. For the cache module only. */
#ifndef BCC_C_CACHE_TRUST_H
#define BCC_C_CACHE_TRUST_H

#include <stddef.h>

/* Opens directory path (O_DIRECTORY). Returns the fd; -ENOENT when it does
 * not exist; -EPERM when it may not be trusted, with why holding one
 * sentence for the user: the directory, whose it is, its mode, the fix. */
int cache_trust_open_dir(const char *path, char *why, size_t len);

/* Opens entry name of the directory dfd (path dir) for reading, never
 * through a symbolic link, regular files only, checked on the opened fd.
 * Returns the fd; -ENOENT when there is none; -EPERM with why set when it
 * may not be trusted (the caller compiles, and its new entry replaces it). */
int cache_trust_open_entry(int dfd, const char *dir, const char *name, char *why, size_t len);

#endif
