/* The Prometheus exposition of tables, on byte buffers (no kernel): label
 * escaping, struct keys as labels, per-CPU sums, counters and gauges,
 * log2 histograms with cumulative buckets, labelled histogram families,
 * the series cap; then the HTTP endpoint on a loopback port (GET /metrics,
 * 404, 405, a stalled client, bad listen addresses) and the textfile. */
#include "check.h"
#include "metrics.h"
#include "metrics_store.h"
#include "metrics_serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* libbcc 0.26's descriptions of struct { u32 pid; char comm[16]; u64 slot; }
 * and struct { u32 nr; char name[8]; } */
#define HKEY_DESC                                                                           \
	"[\"key_t\", [[\"pid\",\"unsigned int\"], [\"comm\",\"char\", [16]], "                 \
	"[\"__pad_2\",\"char\",[4]], [\"slot\",\"unsigned long long\"] ], \"struct_packed\"]"
#define KEY_DESC "[\"k\", [[\"nr\",\"unsigned int\"], [\"name\",\"char\", [8]]], \"struct\"]"

struct hkey {
	uint32_t pid;
	char comm[16];
	char pad[4];
	uint64_t slot;
};

struct key {
	uint32_t nr;
	char name[8];
};

static char *written(const struct metrics_opts *o, const struct metrics_table *t, int *ret)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	*ret = metrics_write_table(f, o, t);
	fclose(f);
	return out;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || !p[n]))
			return true;
	return false;
}

#define CHECK_LINE(text, line)                                                            \
	do {                                                                              \
		if (!has_line(text, line)) {                                              \
			fprintf(stderr, "%s:%d: no line '%s' in:\n%s\n", __FILE__, __LINE__, \
				line, text);                                              \
			check_failures++;                                                 \
		}                                                                         \
	} while (0)

static void test_label_escaping(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	metrics_label_value(f, "a\\b\"c\nd\xff" "e\0hidden", 16);
	fclose(f);
	CHECK_STR(out, "a\\\\b\\\"c\\nd\xef\xbf\xbd" "e");
	free(out);
	CHECK(metrics_valid_prefix("bcc_"));
	CHECK(metrics_valid_prefix("a:b_1"));
	CHECK(!metrics_valid_prefix("1x"));
	CHECK(!metrics_valid_prefix("a-b"));
}

static void test_struct_keys(void)
{
	struct key keys[2] = { { 59, "exe\"c" }, { 1, "a\\b\nc" } };
	uint64_t vals[2] = { 3, 4 };
	struct td_type *kt, *lt;
	struct metrics_table t = { .name = "calls", .type = BPF_MAP_TYPE_HASH, .ncpus = 1,
				   .stride = 8, .keys = keys, .leaves = vals, .n = 2 };
	struct metrics_opts o = { .source = "x.bpf.c" };
	char *out;
	int ret;

	CHECK_INT(td_parse(KEY_DESC, &kt), 0);
	CHECK_INT(td_parse("\"unsigned long long\"", &lt), 0);
	CHECK_INT(kt->size, sizeof(struct key));
	t.kt = kt;
	t.lt = lt;
	out = written(&o, &t, &ret);
	CHECK_INT(ret, 0);
	CHECK_LINE(out, "# HELP bcc_calls BPF_HASH 'calls' of x.bpf.c, each entry's value");
	CHECK_LINE(out, "# TYPE bcc_calls gauge");
	CHECK_LINE(out, "bcc_calls{nr=\"59\",name=\"exe\\\"c\"} 3");
	CHECK_LINE(out, "bcc_calls{nr=\"1\",name=\"a\\\\b\\nc\"} 4");
	free(out);

	t.type = BPF_MAP_TYPE_LRU_HASH;
	out = written(&o, &t, &ret);
	CHECK_LINE(out, "# HELP bcc_calls BPF_TABLE(\"lru_hash\") 'calls' of x.bpf.c, each entry's value");
	free(out);

	/* _count: a counter, named _total; a custom prefix */
	t.name = "exec_count";
	o.prefix = "node_bpf_";
	out = written(&o, &t, &ret);
	CHECK_LINE(out, "# TYPE node_bpf_exec_count_total counter");
	CHECK_LINE(out, "node_bpf_exec_count_total{nr=\"59\",name=\"exe\\\"c\"} 3");
	free(out);
	t.name = "bytes_total";
	out = written(&o, &t, &ret);
	CHECK_LINE(out, "# TYPE node_bpf_bytes_total counter");
	free(out);

	/* the cap: one series, one dropped */
	o.max_series = 1;
	out = written(&o, &t, &ret);
	CHECK_INT(ret, 1);
	CHECK(has_line(out, "node_bpf_bytes_total{nr=\"59\",name=\"exe\\\"c\"} 3"));
	CHECK(!strstr(out, "nr=\"1\""));
	free(out);

	/* a struct value is not exported */
	t.lt = kt;
	free(written(&o, &t, &ret));
	CHECK_INT(ret, -ENOTSUP);
	td_free(kt);
	td_free(lt);
}

/* the names a family takes, which bcc-run's scrape keeps apart */
static void test_names(void)
{
	struct td_type *kt, *lt;
	struct metrics_table t = { .name = "a_count", .type = BPF_MAP_TYPE_HASH, .ncpus = 1 };
	struct metrics_opts o = { 0 };
	char *names[4];

	CHECK_INT(td_parse("\"int\"", &kt), 0);
	CHECK_INT(td_parse("\"unsigned long long\"", &lt), 0);
	CHECK_INT(metrics_table_names(&o, &t, names), -ENOTSUP); /* no types */
	t.kt = kt;
	t.lt = lt;
	CHECK_INT(metrics_table_names(&o, &t, names), 1);
	CHECK_STR(names[0], "bcc_a_count_total");
	free(names[0]);
	t.name = "lat";
	t.hist = true;
	o.prefix = "x_";
	CHECK_INT(metrics_table_names(&o, &t, names), 4);
	CHECK_STR(names[0], "x_lat");
	CHECK_STR(names[1], "x_lat_bucket");
	CHECK_STR(names[2], "x_lat_sum");
	CHECK_STR(names[3], "x_lat_count");
	for (int i = 0; i < 4; i++)
		free(names[i]);
	td_free(kt);
	td_free(lt);
}

/* a scrape keeps what it exports: 3000 entries of a per-CPU hash on 128
 * CPUs (3 MiB as read) with a cap of 10 hold 10 keys and sums; an entry
 * seen again (a walk that started over) is not a second series */
static void test_store(void)
{
	static uint64_t leaf[128];
	struct td_type *kt, *lt;
	struct metrics_table t = { .name = "per", .type = BPF_MAP_TYPE_PERCPU_HASH, .ncpus = 128,
				   .stride = 8 }, kept;
	struct metrics_opts o = { .max_series = 10 };
	struct metrics_store *st;
	char *out, *p;
	int ret, lines = 0;

	CHECK_INT(td_parse("\"unsigned int\"", &kt), 0);
	CHECK_INT(td_parse("\"unsigned long long\"", &lt), 0);
	t.kt = kt;
	CHECK(metrics_store__new(&o, &t) == NULL && errno == ENOTSUP); /* no value type */
	t.lt = lt;
	st = metrics_store__new(&o, &t);
	for (int c = 0; c < 128; c++)
		leaf[c] = 1;
	for (uint32_t k = 0; k < 3000; k++)
		CHECK_INT(metrics_store__add(st, &k, leaf), 0);
	for (uint32_t k = 0; k < 10; k++) /* the walk starts over */
		CHECK_INT(metrics_store__add(st, &k, leaf), 0);
	CHECK_INT(metrics_store__dropped(st), 2990);
	CHECK(metrics_store__bytes(st) < 4096);
	metrics_store__table(st, &kept);
	CHECK_INT(kept.n, 10);
	out = written(&o, &kept, &ret);
	CHECK_INT(ret, 0);
	CHECK_LINE(out, "bcc_per{key=\"0\"} 128");
	CHECK_LINE(out, "bcc_per{key=\"9\"} 128");
	for (p = out; (p = strstr(p, "\nbcc_per{")); p++)
		lines++;
	CHECK_INT(lines, 10);
	free(out);
	metrics_store__free(st);
	metrics_store__free(NULL);

	/* the batch buffer stays near a MiB on many CPUs */
	CHECK_INT(metrics_batch_entries(4, 8), 4096);
	CHECK(metrics_batch_entries(4, 128 * 8) * (4 + 128 * 8) <= 1 << 20);
	CHECK_INT(metrics_batch_entries(8, 1 << 20), 64);
	td_free(kt);
	td_free(lt);
}

static void test_percpu_scalar_key(void)
{
	/* 2 CPUs; u32 values padded to 8 bytes a CPU; signed keys */
	int32_t keys[2] = { -1, 7 };
	uint32_t leaves[2][2][2] = { { { 5, 0 }, { 6, 0 } }, { { 1, 0 }, { 0, 0 } } };
	struct td_type *kt, *lt;
	struct metrics_table t = { .name = "per", .type = BPF_MAP_TYPE_PERCPU_ARRAY, .ncpus = 2,
				   .stride = 8, .keys = keys, .leaves = leaves, .n = 2 };
	char *out;
	int ret;

	CHECK_INT(td_parse("\"int\"", &kt), 0);
	CHECK_INT(td_parse("\"unsigned int\"", &lt), 0);
	t.kt = kt;
	t.lt = lt;
	out = written(&(struct metrics_opts){ 0 }, &t, &ret);
	CHECK_INT(ret, 0);
	CHECK_LINE(out, "# TYPE bcc_per gauge");
	CHECK_LINE(out, "bcc_per{key=\"-1\"} 11");
	CHECK_LINE(out, "bcc_per{key=\"7\"} 1");
	CHECK(strstr(out, "summed over the CPUs") != NULL);
	free(out);
	td_free(kt);
	td_free(lt);
}

static void tick(void *ctx)
{
	(*(int *)ctx)++;
}

/* a long table gives the caller its turn every METRICS_TICK series */
static void test_tick(void)
{
	static uint32_t keys[3000], vals[3000];
	struct td_type *kt;
	struct metrics_table t = { .name = "big", .type = BPF_MAP_TYPE_ARRAY, .ncpus = 1,
				   .stride = 4, .keys = keys, .leaves = vals, .n = 3000 };
	int ticks = 0, ret;

	CHECK_INT(td_parse("\"unsigned int\"", &kt), 0);
	t.kt = t.lt = kt;
	free(written(&(struct metrics_opts){ .tick = tick, .ctx = &ticks }, &t, &ret));
	CHECK_INT(ret, 0);
	CHECK_INT(ticks, 2);
	td_free(kt);
}

static void test_slot_hist(void)
{
	/* slots 1 (0..1), 3 (4..7), 5 (16..31) */
	uint32_t keys[3] = { 3, 1, 5 };
	uint64_t vals[3] = { 10, 2, 1 };
	struct td_type *kt, *lt;
	struct metrics_table t = { .name = "dist", .type = BPF_MAP_TYPE_HASH, .hist = true,
				   .ncpus = 1, .stride = 8, .keys = keys, .leaves = vals, .n = 3 };
	char *out;
	int ret;

	CHECK_INT(td_parse("\"int\"", &kt), 0);
	CHECK_INT(td_parse("\"unsigned long long\"", &lt), 0);
	t.kt = kt;
	t.lt = lt;
	out = written(&(struct metrics_opts){ 0 }, &t, &ret);
	CHECK_INT(ret, 0);
	CHECK_LINE(out, "# TYPE bcc_dist histogram");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"0\"} 0");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"1\"} 2");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"3\"} 2");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"7\"} 12");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"15\"} 12");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"31\"} 13");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"+Inf\"} 13");
	CHECK_LINE(out, "bcc_dist_count 13");
	CHECK_LINE(out, "bcc_dist_sum 0");
	CHECK(!strstr(out, "le=\"63\""));
	free(out);

	/* slot 64 is 2^64-1; beyond counts in +Inf only */
	keys[0] = 64;
	keys[1] = 70;
	out = written(&(struct metrics_opts){ 0 }, &t, &ret);
	CHECK_LINE(out, "bcc_dist_bucket{le=\"18446744073709551615\"} 11");
	CHECK_LINE(out, "bcc_dist_bucket{le=\"+Inf\"} 13");
	free(out);

	t.n = 0;
	out = written(&(struct metrics_opts){ 0 }, &t, &ret);
	CHECK_LINE(out, "bcc_dist_bucket{le=\"+Inf\"} 0");
	CHECK_LINE(out, "bcc_dist_count 0");
	free(out);
	td_free(kt);
	td_free(lt);
}

static void test_section_hist(void)
{
	struct hkey keys[4] = { { 7, "a\"b", "", 2 }, { 9, "z", "", 1 }, { 7, "a\"b", "", 1 },
				{ 9, "z", "", 3 } };
	uint64_t vals[4] = { 5, 1, 2, 4 };
	struct td_type *kt, *lt;
	struct metrics_table t = { .name = "lat", .type = BPF_MAP_TYPE_HASH, .hist = true,
				   .ncpus = 1, .stride = 8, .keys = keys, .leaves = vals, .n = 4 }, kept;
	struct metrics_store *st;
	char *out;
	int ret;

	memset(keys[0].pad, 0x55, sizeof(keys[0].pad)); /* padding does not split a family */
	CHECK_INT(td_parse(HKEY_DESC, &kt), 0);
	CHECK_INT(td_parse("\"unsigned long long\"", &lt), 0);
	t.kt = kt;
	t.lt = lt;
	out = written(&(struct metrics_opts){ 0 }, &t, &ret);
	CHECK_INT(ret, 0);
	CHECK_LINE(out, "bcc_lat_bucket{pid=\"7\",comm=\"a\\\"b\",le=\"0\"} 0");
	CHECK_LINE(out, "bcc_lat_bucket{pid=\"7\",comm=\"a\\\"b\",le=\"1\"} 2");
	CHECK_LINE(out, "bcc_lat_bucket{pid=\"7\",comm=\"a\\\"b\",le=\"3\"} 7");
	/* every label set has the family's buckets, up to the top slot */
	CHECK_LINE(out, "bcc_lat_bucket{pid=\"7\",comm=\"a\\\"b\",le=\"7\"} 7");
	CHECK_LINE(out, "bcc_lat_bucket{pid=\"7\",comm=\"a\\\"b\",le=\"+Inf\"} 7");
	CHECK_LINE(out, "bcc_lat_count{pid=\"7\",comm=\"a\\\"b\"} 7");
	CHECK_LINE(out, "bcc_lat_bucket{pid=\"9\",comm=\"z\",le=\"7\"} 5");
	CHECK_LINE(out, "bcc_lat_count{pid=\"9\",comm=\"z\"} 5");
	CHECK_LINE(out, "bcc_lat_sum{pid=\"9\",comm=\"z\"} 0");
	CHECK(!strstr(out, "slot="));
	free(out);

	/* the cap counts label sets */
	out = written(&(struct metrics_opts){ .max_series = 1 }, &t, &ret);
	CHECK_INT(ret, 1);
	free(out);

	/* so does a scrape's store, which keeps whole label sets */
	st = metrics_store__new(&(struct metrics_opts){ .max_series = 1 }, &t);
	for (int i = 0; i < 4; i++)
		CHECK_INT(metrics_store__add(st, &keys[i], &vals[i]), 0);
	CHECK_INT(metrics_store__add(st, &keys[0], &vals[0]), 0);
	CHECK_INT(metrics_store__dropped(st), 2);
	metrics_store__table(st, &kept);
	CHECK_INT(kept.n, 2);
	out = written(&(struct metrics_opts){ .max_series = 1 }, &kept, &ret);
	CHECK_INT(ret, 0);
	CHECK_LINE(out, "bcc_lat_count{pid=\"7\",comm=\"a\\\"b\"} 7");
	CHECK(!strstr(out, "pid=\"9\""));
	free(out);
	metrics_store__free(st);
	td_free(kt);
	td_free(lt);
}

/* An HTTP request to port; returns the response (malloc'd), polling the
 * server between reads as bcc-run's loop does. */
static char *http(struct metrics_server *s, int port, const char *request)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char *resp = calloc(1, 1 << 16);
	size_t len = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	connect(fd, (struct sockaddr *)&a, sizeof(a));
	for (int i = 0; i < 200; i++) {
		struct pollfd p = { .fd = metrics_server__fd(s), .events = POLLIN };
		ssize_t n;

		poll(&p, 1, 10);
		metrics_server__run(s);
		if (request) {
			if (send(fd, request, strlen(request), MSG_NOSIGNAL) > 0)
				request = NULL;
			continue;
		}
		n = recv(fd, resp + len, (1 << 16) - 1 - len, 0);
		if (n == 0)
			break;
		if (n > 0)
			len += (size_t)n;
	}
	close(fd);
	return resp;
}

static int body(FILE *out, void *ctx)
{
	(*(int *)ctx)++;
	fputs("# TYPE bcc_run_up gauge\nbcc_run_up 1\n", out);
	return 0;
}

static int port_of(const struct metrics_server *s)
{
	return atoi(strrchr(metrics_server__url(s), ':') + 1);
}

/* A connection from the loopback address src that asks "GET /metr" and
 * no more. */
static int stalled_from(const char *src, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in from = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	inet_pton(AF_INET, src, &from.sin_addr);
	if (bind(fd, (struct sockaddr *)&from, sizeof(from)) ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) || send(fd, "GET /metr", 9, 0) != 9)
		fprintf(stderr, "cannot connect from %s: %s\n", src, strerror(errno));
	return fd;
}

static void serve_a_while(struct metrics_server *s)
{
	for (int i = 0; i < 20; i++) {
		struct pollfd p = { .fd = metrics_server__fd(s), .events = POLLIN };

		poll(&p, 1, 5);
		metrics_server__run(s);
	}
}

static bool cut_off(int fd)
{
	char c;

	return recv(fd, &c, 1, MSG_DONTWAIT) == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
}

/* 4 connections an address, 16 in all: past either, the oldest waiting
 * one gives way, and a fresh scrape is answered */
static void test_server_limits(void)
{
	struct metrics_server *s;
	int scrapes = 0, fd[22], port, cut = 0;
	char src[16], *r;

	CHECK_INT(metrics_server__open("127.0.0.1:0", body, &scrapes, &s), 0);
	port = port_of(s);
	for (int i = 0; i < 6; i++) {
		fd[i] = stalled_from("127.0.0.2", port);
		serve_a_while(s);
	}
	for (int i = 0; i < 6; i++)
		CHECK_INT(cut_off(fd[i]), i < 2);
	for (int i = 6; i < 22; i++) { /* 127.0.0.3-6: 4 each, 20 live in all */
		snprintf(src, sizeof(src), "127.0.0.%d", 3 + (i - 6) / 4);
		fd[i] = stalled_from(src, port);
		serve_a_while(s);
	}
	for (int i = 0; i < 22; i++)
		cut += cut_off(fd[i]);
	CHECK_INT(cut, 6); /* 2 by 127.0.0.2's own, 4 for the 16 */
	CHECK_INT(cut_off(fd[21]), 0);
	r = http(s, port, "GET /metrics HTTP/1.0\r\n\r\n");
	CHECK(!strncmp(r, "HTTP/1.1 200", 12));
	CHECK_INT(scrapes, 1);
	free(r);
	for (int i = 0; i < 22; i++)
		close(fd[i]);
	metrics_server__free(s);
}

static void test_server(void)
{
	struct metrics_server *s, *s2;
	char listen[32], *r;
	int scrapes = 0, port, stalled;

	CHECK_INT(metrics_server__open("127.0.0.1:0", body, &scrapes, &s), 0);
	CHECK(!strncmp(metrics_server__url(s), "http://127.0.0.1:", 17));
	port = port_of(s);

	r = http(s, port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	CHECK(!strncmp(r, "HTTP/1.1 200", 12));
	CHECK(strstr(r, "Content-Type: text/plain; version=0.0.4") != NULL);
	CHECK(strstr(r, "\r\n\r\n# TYPE bcc_run_up gauge\nbcc_run_up 1\n") != NULL);
	CHECK_INT(scrapes, 1);
	free(r);
	r = http(s, port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	CHECK(!strncmp(r, "HTTP/1.1 404", 12));
	free(r);
	r = http(s, port, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
			  "Connection: close\r\n\r\nabc");
	CHECK(!strncmp(r, "HTTP/1.1 405", 12));
	free(r);
	r = http(s, port, "\x01garbage\r\n\r\n");
	CHECK(!strstr(r, " 200 ")); /* refused or cut off */
	free(r);

	/* a client that never finishes its request does not hold the next one */
	stalled = socket(AF_INET, SOCK_STREAM, 0);
	connect(stalled, (struct sockaddr *)&(struct sockaddr_in){ .sin_family = AF_INET,
		.sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) },
		sizeof(struct sockaddr_in));
	send(stalled, "GET /metr", 9, 0);
	r = http(s, port, "GET /metrics HTTP/1.0\r\n\r\n");
	CHECK(!strncmp(r, "HTTP/1.1 200", 12));
	CHECK_INT(scrapes, 2);
	free(r);
	close(stalled);

	/* the port in use, bad addresses */
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	CHECK_INT(metrics_server__open(listen, body, NULL, &s2), -EADDRINUSE);
	CHECK(s2 == NULL);
	CHECK_INT(metrics_server__open("10.256.0.1:9435", body, NULL, &s2), -EINVAL);
	CHECK_INT(metrics_server__open("[fe80::zz]:9435", body, NULL, &s2), -EINVAL);
	CHECK_INT(metrics_server__open("192.0.2.1:9435", body, NULL, &s2), -EADDRNOTAVAIL);
	CHECK_INT(metrics_server__open("example:x", body, NULL, &s2), -EINVAL);
	CHECK_INT(metrics_server__open("70000", body, NULL, &s2), -EINVAL);
	CHECK_INT(metrics_server__open(":80", body, NULL, &s2), -EINVAL);
	CHECK_INT(metrics_server__open("::1:80", body, NULL, &s2), -EINVAL);
	metrics_server__free(s);
	CHECK_INT(metrics_server__open("[::1]:0", body, NULL, &s), 0);
	CHECK(!strncmp(metrics_server__url(s), "http://[::1]:", 13));
	metrics_server__free(s);
	metrics_server__free(NULL);
}

static void test_textfile(void)
{
	char dir[] = "/tmp/test_metrics.XXXXXX", path[256], buf[64] = { 0 };
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(metrics_textfile_path(dir, "ex/sys-lat.bpf.c", path, sizeof(path)), 0);
	CHECK(strstr(path, "/bcc_run_sys_lat.prom") != NULL);
	CHECK_INT(metrics_textfile_path(dir, "x.bpf.c", path, 12), -ENAMETOOLONG);
	CHECK_INT(metrics_textfile_path(dir, "x.bpf.c", path, sizeof(path)), 0);
	CHECK_INT(metrics_textfile_check(path), 0);
	CHECK_INT(metrics_textfile_write(path, "a 1\n", 4), 0);
	CHECK_INT(metrics_textfile_write(path, "b 2\n", 4), 0);
	fd = open(path, O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf) - 1) == 4);
	close(fd);
	CHECK_STR(buf, "b 2\n");
	unlink(path);
	CHECK_INT(rmdir(dir), 0); /* no temporary left */
	CHECK_INT(metrics_textfile_check("/nonexistent-dir/bcc_run_x.prom"), -ENOENT);
}

/* Another user who can write the directory put a symlink, then a file of
 * theirs, where bcc-run 0.x put its temporary (PATH.PID.tmp): neither is
 * followed, written or renamed into place. */
static void test_textfile_planted(void)
{
	char dir[] = "/tmp/test_metrics.XXXXXX", path[256], old[300], victim[300];
	char buf[64] = { 0 };
	struct stat st, planted;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(metrics_textfile_path(dir, "x.bpf.c", path, sizeof(path)), 0);
	snprintf(old, sizeof(old), "%s.%d.tmp", path, (int)getpid());
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	fd = open(victim, O_WRONLY | O_CREAT, 0644);
	CHECK(write(fd, "victim\n", 7) == 7);
	close(fd);
	CHECK_INT(symlink(victim, old), 0);
	CHECK_INT(metrics_textfile_check(path), 0);
	CHECK_INT(metrics_textfile_write(path, "a 1\n", 4), 0);
	fd = open(victim, O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf) - 1) == 7);
	close(fd);
	CHECK_STR(buf, "victim\n");
	CHECK_INT(lstat(old, &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	unlink(old);

	/* a file of theirs, still open: it does not become the textfile */
	fd = open(old, O_RDWR | O_CREAT | O_EXCL, 0666);
	CHECK(fd >= 0);
	CHECK_INT(fstat(fd, &planted), 0);
	CHECK_INT(metrics_textfile_write(path, "b 2\n", 4), 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK(st.st_ino != planted.st_ino);
	CHECK_INT(st.st_mode & 0777, 0644); /* node_exporter's user reads it */
	CHECK_INT(fstat(fd, &planted), 0);
	CHECK_INT(planted.st_size, 0);
	close(fd);
	unlink(old);
	unlink(path);
	unlink(victim);
	CHECK_INT(rmdir(dir), 0); /* no temporary left */
}

int main(void)
{
	test_label_escaping();
	test_struct_keys();
	test_names();
	test_store();
	test_percpu_scalar_key();
	test_tick();
	test_slot_hist();
	test_section_hist();
	test_server();
	test_server_limits();
	test_textfile();
	test_textfile_planted();
	return CHECK_DONE();
}
