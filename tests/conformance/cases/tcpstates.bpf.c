/* tcpstates: TCP state changes, IPv4 and IPv6, from sock:inet_sock_set_state.
 * From iovisor/bcc tools/tcpstates.py, default options: ipv4_data_t and
 * ipv6_data_t (addresses as unsigned __int128), the last-change hash
 * keyed by the socket, the tracepoint's addresses copied with
 * bpf_probe_read_kernel. Changed: only the tracepoint's own fields are
 * read (no struct sock through a pointer: this host's headers are another
 * kernel's), so no headers but ptrace.h and the constants defined here;
 * only connections to or from port 47913, the suite's (tcpstates -L/-D). */
#include <uapi/linux/ptrace.h>

/* linux/sched.h's, without including kernel headers */
#define TASK_COMM_LEN 16

#define CONF_PORT 47913
#define CONF_AF_INET 2
#define CONF_AF_INET6 10
#define CONF_IPPROTO_TCP 6
#define CONF_TCP_CLOSE 7

BPF_HASH(last, u64, u64);

struct ipv4_data_t {
	u64 ts_us;
	u64 skaddr;
	u32 saddr;
	u32 daddr;
	u64 span_us;
	u32 pid;
	u16 lport;
	u16 dport;
	u8 oldstate;
	u8 newstate;
	char task[TASK_COMM_LEN];
};
BPF_PERF_OUTPUT(ipv4_events);

struct ipv6_data_t {
	u64 ts_us;
	u64 skaddr;
	unsigned __int128 saddr;
	unsigned __int128 daddr;
	u64 span_us;
	u32 pid;
	u16 lport;
	u16 dport;
	u8 oldstate;
	u8 newstate;
	char task[TASK_COMM_LEN];
};
BPF_PERF_OUTPUT(ipv6_events);

TRACEPOINT_PROBE(sock, inet_sock_set_state)
{
	u64 skaddr = (u64)args->skaddr;
	u64 *tsp, delta_us, ts;
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	u16 lport = args->sport, dport = args->dport;

	if (args->protocol != CONF_IPPROTO_TCP)
		return 0;
	if (lport != CONF_PORT && dport != CONF_PORT)
		return 0;
	tsp = last.lookup(&skaddr);
	ts = bpf_ktime_get_ns();
	delta_us = tsp == 0 ? 0 : (ts - *tsp) / 1000;

	if (args->family == CONF_AF_INET) {
		struct ipv4_data_t data4 = {
			.span_us = delta_us,
			.oldstate = args->oldstate,
			.newstate = args->newstate,
		};

		data4.skaddr = skaddr;
		data4.ts_us = ts / 1000;
		bpf_probe_read_kernel(&data4.saddr, sizeof(data4.saddr), args->saddr);
		bpf_probe_read_kernel(&data4.daddr, sizeof(data4.daddr), args->daddr);
		data4.lport = lport;
		data4.dport = dport;
		data4.pid = pid;
		bpf_get_current_comm(&data4.task, sizeof(data4.task));
		ipv4_events.perf_submit(args, &data4, sizeof(data4));
	} else {
		struct ipv6_data_t data6 = {
			.span_us = delta_us,
			.oldstate = args->oldstate,
			.newstate = args->newstate,
		};

		data6.skaddr = skaddr;
		data6.ts_us = ts / 1000;
		bpf_probe_read_kernel(&data6.saddr, sizeof(data6.saddr), args->saddr_v6);
		bpf_probe_read_kernel(&data6.daddr, sizeof(data6.daddr), args->daddr_v6);
		data6.lport = lport;
		data6.dport = dport;
		data6.pid = pid;
		bpf_get_current_comm(&data6.task, sizeof(data6.task));
		ipv6_events.perf_submit(args, &data6, sizeof(data6));
	}
	if (args->newstate == CONF_TCP_CLOSE)
		last.delete(&skaddr);
	else
		last.update(&skaddr, &ts);
	return 0;
}
