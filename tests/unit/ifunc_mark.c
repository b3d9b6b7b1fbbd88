/* A library whose code tells who ran it, for test_ifunc: its constructor
 * writes "constructor ran as uid U euid E" to the file LIB.mark next to
 * itself, and its IFUNC ifunc_mark picks ifunc_mark_root when its resolver
 * runs as root, ifunc_mark_user otherwise. Code a tracer must never run as
 * root unless only root can change it. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int ifunc_mark_root(void);
int ifunc_mark_user(void);

int ifunc_mark_root(void)
{
	return 0;
}

int ifunc_mark_user(void)
{
	return 1;
}

static void __attribute__((constructor)) leave_mark(void)
{
	char path[4096];
	Dl_info info;
	int fd;

	if (!dladdr((void *)leave_mark, &info) || !info.dli_fname)
		return;
	snprintf(path, sizeof(path), "%s.mark", info.dli_fname);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	dprintf(fd, "constructor ran as uid %d euid %d\n", (int)getuid(), (int)geteuid());
	close(fd);
}

static int (*resolve_mark(void))(void)
{
	return geteuid() == 0 ? ifunc_mark_root : ifunc_mark_user;
}

int ifunc_mark(void) __attribute__((ifunc("resolve_mark")));
