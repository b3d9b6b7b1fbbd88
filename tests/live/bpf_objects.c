/* Lists the BPF programs and maps the kernel holds, one per line:
 * "prog ID NAME" or "map ID NAME" (NAME as the kernel keeps it: at most 15
 * characters, "-" when empty). Live tests compare these against a snapshot
 * to find what a tool left loaded behind it (see snapshot in lib.sh). */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* The name of the object with this id, or "" when it went away meanwhile. */
static int object_name(int get_fd_cmd, __u32 id, char *name, size_t len)
{
	struct bpf_prog_info prog;
	struct bpf_map_info map;
	union bpf_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	if (get_fd_cmd == BPF_PROG_GET_FD_BY_ID)
		attr.prog_id = id;
	else
		attr.map_id = id;
	fd = sys_bpf(get_fd_cmd, &attr);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	if (get_fd_cmd == BPF_PROG_GET_FD_BY_ID) {
		memset(&prog, 0, sizeof(prog));
		attr.info.info = (unsigned long)&prog;
		attr.info.info_len = sizeof(prog);
	} else {
		memset(&map, 0, sizeof(map));
		attr.info.info = (unsigned long)&map;
		attr.info.info_len = sizeof(map);
	}
	err = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) ? -errno : 0;
	close(fd);
	if (!err)
		snprintf(name, len, "%s", get_fd_cmd == BPF_PROG_GET_FD_BY_ID ?
			 prog.name : map.name);
	return err;
}

static int list(const char *what, int next_id_cmd, int get_fd_cmd)
{
	union bpf_attr attr;
	char name[BPF_OBJ_NAME_LEN];
	int err;

	memset(&attr, 0, sizeof(attr));
	while (sys_bpf(next_id_cmd, &attr) == 0) {
		__u32 id = attr.next_id;

		name[0] = '\0';
		err = object_name(get_fd_cmd, id, name, sizeof(name));
		if (err)
			return err;
		printf("%s %u %s\n", what, id, name[0] ? name : "-");
		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
	}
	return errno == ENOENT ? 0 : -errno;
}

int main(void)
{
	int err = list("prog", BPF_PROG_GET_NEXT_ID, BPF_PROG_GET_FD_BY_ID);

	if (!err)
		err = list("map", BPF_MAP_GET_NEXT_ID, BPF_MAP_GET_FD_BY_ID);
	if (err) {
		fprintf(stderr, "bpf_objects: cannot list BPF objects: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
