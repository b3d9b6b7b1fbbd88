/* Prints how many BPF programs and maps the kernel holds, so live tests
 * can check that a tool left nothing loaded behind it. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long count(int cmd)
{
	union bpf_attr attr;
	long n = 0;

	memset(&attr, 0, sizeof(attr));
	while (syscall(__NR_bpf, cmd, &attr, sizeof(attr)) == 0) {
		n++;
		attr.start_id = attr.next_id;
	}
	return errno == ENOENT ? n : -errno;
}

int main(void)
{
	long progs = count(BPF_PROG_GET_NEXT_ID), maps = count(BPF_MAP_GET_NEXT_ID);

	if (progs < 0 || maps < 0) {
		fprintf(stderr, "bpf_objects: cannot list BPF objects: %s\n",
			strerror((int)-(progs < 0 ? progs : maps)));
		return 1;
	}
	printf("progs %ld maps %ld\n", progs, maps);
	return 0;
}
