#include "capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int capture_begin(struct capture *c)
{
	c->saved_fd = -1;
	c->mem_fd = memfd_create("bcc-c-stderr", MFD_CLOEXEC);
	if (c->mem_fd < 0)
		return -errno;
	fflush(stderr);
	c->saved_fd = dup(STDERR_FILENO);
	if (c->saved_fd < 0 || dup2(c->mem_fd, STDERR_FILENO) < 0) {
		int err = -errno;

		if (c->saved_fd >= 0)
			close(c->saved_fd);
		close(c->mem_fd);
		c->saved_fd = c->mem_fd = -1;
		return err;
	}
	return 0;
}

int capture_end(struct capture *c, char **out)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n = 0;
	int err = 0;

	fflush(stderr);
	dup2(c->saved_fd, STDERR_FILENO);
	close(c->saved_fd);
	c->saved_fd = -1;

	if (fstat(c->mem_fd, &st) < 0) {
		err = -errno;
		goto out;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	n = pread(c->mem_fd, buf, st.st_size, 0);
	if (n < 0) {
		err = -errno;
		n = 0;
	}
	buf[n] = '\0';
out:
	close(c->mem_fd);
	c->mem_fd = -1;
	*out = buf;
	return buf ? err : -ENOMEM;
}
