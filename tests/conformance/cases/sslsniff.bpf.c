/* sslsniff: SSL_write() buffers as events sized to what was copied.
 * From iovisor/bcc tools/sslsniff.py, default options, SSL_write only:
 * struct probe_SSL_data_t, the per-CPU scratch array ssl_data, and
 * perf_submit(ctx, data, EVENT_SIZE(buf_copy_size)) of only the part of
 * buf that was read. Changed: MAX_BUF_SIZE 256 (bcc: 8192), no min() (the
 * 6.1 kernel headers' macro does not compile in libbcc), no pid/uid
 * filter; probed on the suite's own SSL_write (OpenSSL's signature). */
#include <uapi/linux/ptrace.h>

/* linux/sched.h's, without including kernel headers */
#define TASK_COMM_LEN 16

#define MAX_BUF_SIZE 256

struct probe_SSL_data_t {
	u64 timestamp_ns;
	u64 delta_ns;
	u32 pid;
	u32 tid;
	u32 uid;
	u32 len;
	int buf_filled;
	int rw;
	char comm[TASK_COMM_LEN];
	char buf[MAX_BUF_SIZE];
};

#define BASE_EVENT_SIZE ((size_t)(&((struct probe_SSL_data_t *)0)->buf))
#define EVENT_SIZE(X) (BASE_EVENT_SIZE + ((size_t)(X)))

BPF_PERCPU_ARRAY(ssl_data, struct probe_SSL_data_t, 1);
BPF_PERF_OUTPUT(perf_SSL_write);

int probe_SSL_write(struct pt_regs *ctx, void *ssl, void *buf, int num)
{
	int ret;
	u32 zero = 0;
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 buf_copy_size;
	struct probe_SSL_data_t *data = ssl_data.lookup(&zero);

	if (!data)
		return 0;
	data->timestamp_ns = bpf_ktime_get_ns();
	data->delta_ns = 0;
	data->pid = pid_tgid >> 32;
	data->tid = pid_tgid;
	data->uid = bpf_get_current_uid_gid();
	data->len = num;
	data->buf_filled = 0;
	data->rw = 1;
	buf_copy_size = (size_t)num < MAX_BUF_SIZE ? (size_t)num : MAX_BUF_SIZE;
	bpf_get_current_comm(&data->comm, sizeof(data->comm));
	if (buf != 0)
		ret = bpf_probe_read_user(data->buf, buf_copy_size, buf);
	else
		ret = -1;
	if (!ret)
		data->buf_filled = 1;
	else
		buf_copy_size = 0;
	perf_SSL_write.perf_submit(ctx, data, EVENT_SIZE(buf_copy_size));
	return 0;
}
