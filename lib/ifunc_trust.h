/* Which libraries the tracer may run code of to resolve an IFUNC: only
 * those that no one but root can change, and that load nothing anyone else
 * can. A file owned by a user, or in a directory a user can write, would
 * otherwise get its code run by tracing it. For the ifunc module only. */
#ifndef BCC_C_IFUNC_TRUST_H
#define BCC_C_IFUNC_TRUST_H

#include "ifunc_sandbox.h"

#include <stddef.h>

/* Whether the file at path may be loaded: it is the file its real path
 * names (not one of another mount namespace seen through /proc/PID/root),
 * and it, every directory above it, and every library the dynamic linker
 * would load with it (listed by the dynamic linker itself, run in sb with
 * the tracer's LD_LIBRARY_PATH) is owned by root and writable by no one
 * else (a sticky directory, as /tmp, only holding root's entries). Copies
 * the real path to real (rlen bytes): what to load. Returns 0; -EPERM with
 * why (len bytes) naming the file, its owner or mode, and the fix;
 * -ENOEXEC when it cannot be loaded at all; -EINTR, -ETIMEDOUT. */
int ifunc_trust_library(const struct ifunc_sandbox *sb, const char *path, char *real,
			size_t rlen, char *why, size_t len);

#endif
