#include "uprobe_target.h"

#include <bcc/bcc_elf.h>
#include <bcc/bcc_proc.h>
#include <bcc/bcc_syms.h>
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int copy_path(char *path, size_t len, const char *s)
{
	if (snprintf(path, len, "%s", s) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

int uprobe_target_resolve(const char *name, pid_t pid, char *path, size_t len)
{
	char *found;
	int err;

	if (strchr(name, '/')) {
		if (access(name, F_OK))
			return -errno;
		return copy_path(path, len, name);
	}
	found = bcc_procutils_which_so(name, pid > 0 ? pid : 0);
	if (!found)
		found = bcc_procutils_which(name);
	if (!found)
		return -ENOENT;
	err = copy_path(path, len, found);
	bcc_procutils_free(found);
	return err;
}

int uprobe_target_symbol(const char *path, const char *sym, pid_t pid, uint64_t *offset)
{
	struct bcc_symbol s = {0};

	if (!bcc_elf_is_exe(path) && !bcc_elf_is_shared_obj(path))
		return -ENOEXEC;
	if (bcc_resolve_symname(path, sym, 0, pid > 0 ? pid : 0, NULL, &s) < 0)
		return -ENOENT;
	*offset = s.offset;
	bcc_procutils_free(s.module);
	return 0;
}

int uprobe_target_addr(const char *path, uint64_t vaddr, pid_t pid, uint64_t *offset)
{
	struct bcc_symbol s = {0};

	if (!bcc_elf_is_exe(path) && !bcc_elf_is_shared_obj(path))
		return -ENOEXEC;
	/* with no name, libbcc only converts the address; it refuses 0 */
	if (bcc_resolve_symname(path, NULL, vaddr, pid > 0 ? pid : 0, NULL, &s) < 0)
		return -EFAULT;
	*offset = s.offset;
	bcc_procutils_free(s.module);
	return 0;
}

struct name_at {
	uint64_t vaddr;
	char *name;
	size_t len;
	int found;
};

static int name_at_cb(const char *name, uint64_t start, uint64_t size, void *payload)
{
	struct name_at *n = payload;

	(void)size;
	/* libbcc reads the debug file, then the file itself, whatever we return */
	if (n->found)
		return -1;
	if (start != n->vaddr)
		return 0;
	snprintf(n->name, n->len, "%s", name);
	n->found = 1;
	return -1;
}

int uprobe_target_name(const char *path, uint64_t vaddr, char *name, size_t len)
{
	struct bcc_symbol_option functions = {
		.use_debug_file = 1,
		.check_debug_file_crc = 1,
		.use_symbol_type = 1u << STT_FUNC,
	};
	struct name_at n = { .vaddr = vaddr, .name = name, .len = len };

	bcc_elf_foreach_sym(path, name_at_cb, &functions, &n);
	return n.found ? 0 : -ENOENT;
}

int uprobe_target_mapped(const char *path, pid_t pid)
{
	char maps[64], real[PATH_MAX], line[PATH_MAX + 128];
	int found = 0;
	FILE *f;

	if (!realpath(path, real))
		return -errno;
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	f = fopen(maps, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		char *name = strchr(line, '/');

		if (name) {
			name[strcspn(name, "\n")] = '\0';
			found = !strcmp(name, real);
		}
	}
	fclose(f);
	return found;
}
