/* Just enough of BTF to find a kernel function's type id, so feature
 * detection can load a real fentry program without compiling anything. */
#ifndef BCC_C_BTF_H
#define BCC_C_BTF_H

#include <stdint.h>

/* Looks up the BTF_KIND_FUNC named name in the raw BTF file at path
 * (normally /sys/kernel/btf/vmlinux). Returns its type id (> 0), -ENOENT
 * when absent, -EINVAL when the file is not BTF, or another negative errno. */
int btf_find_func(const char *path, const char *name);

#endif
