#include "perf_buf.h"

#include <bcc/libbpf.h>
#include <bcc/perf_reader.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CPUS 1024

struct perf_ring {
	struct perf_buf *pb;
	int cpu;
};

struct perf_buf {
	struct perf_buf_opts opts;
	struct perf_ring *rings;
	struct perf_reader **readers; /* readers[i] reads rings[i] */
	int n;
	uint64_t received, lost;
};

int perf_buf_parse_cpus(const char *list, int *cpus, int max)
{
	int n = 0;
	const char *p = list;

	while (*p && *p != '\n') {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p || lo < 0)
			return -EINVAL;
		p = end;
		if (*p == '-') {
			hi = strtol(p + 1, &end, 10);
			if (end == p + 1 || hi < lo)
				return -EINVAL;
			p = end;
		}
		for (long c = lo; c <= hi && n < max; c++)
			cpus[n++] = (int)c;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return n ? n : -EINVAL;
}

static int online_cpus(int *cpus, int max)
{
	char buf[4096];
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	int ok;

	if (!f)
		return -errno;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	return ok ? perf_buf_parse_cpus(buf, cpus, max) : -EIO;
}

static void on_sample(void *cookie, void *raw, int size)
{
	struct perf_ring *r = cookie;

	r->pb->received++;
	r->pb->opts.sample(r->pb->opts.ctx, r->cpu, raw, (size_t)size);
}

static void on_lost(void *cookie, uint64_t lost)
{
	struct perf_ring *r = cookie;

	r->pb->lost += lost;
	if (r->pb->opts.lost)
		r->pb->opts.lost(r->pb->opts.ctx, r->cpu, lost);
}

int perf_buf__open(struct tracer *t, const char *table, const struct perf_buf_opts *opts,
		   struct perf_buf **out)
{
	struct tracer_table tab;
	struct perf_buf *pb;
	int cpus[MAX_CPUS], n, err;

	if (!opts->sample || !opts->page_cnt || (opts->page_cnt & (opts->page_cnt - 1)))
		return tracer__fail(t, -EINVAL, "cannot open perf buffer '%s': the page count "
				    "must be a power of two (got %zu)", table, opts->page_cnt);
	err = tracer__table(t, table, &tab);
	if (err)
		return err;
	if (tab.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return tracer__fail(t, -EINVAL, "cannot open perf buffer '%s': it is not a "
				    "BPF_PERF_OUTPUT table", table);
	n = online_cpus(cpus, MAX_CPUS);
	if (n < 0)
		return tracer__fail(t, n, "cannot open perf buffer '%s': cannot read the online "
				    "CPUs: %s", table, strerror(-n));
	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return -ENOMEM;
	pb->opts = *opts;
	pb->rings = calloc(n, sizeof(*pb->rings));
	pb->readers = calloc(n, sizeof(*pb->readers));
	if (!pb->rings || !pb->readers) {
		perf_buf__free(pb);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		int fd;

		pb->rings[i] = (struct perf_ring){ .pb = pb, .cpu = cpus[i] };
		pb->readers[i] = bpf_open_perf_buffer(on_sample, on_lost, &pb->rings[i], -1,
						      cpus[i], (int)opts->page_cnt);
		if (!pb->readers[i]) {
			err = errno ? -errno : -EINVAL;
			perf_buf__free(pb);
			return tracer__fail(t, err, "cannot open perf buffer '%s' on CPU %d: %s%s",
					    table, cpus[i], strerror(-err),
					    err == -ENOMEM || err == -EPERM ?
					    " (try fewer pages, or raise perf_event_mlock_kb)" : "");
		}
		pb->n = i + 1;
		fd = perf_reader_fd(pb->readers[i]);
		if (bpf_update_elem(tab.fd, &cpus[i], &fd, 0) < 0) {
			err = -errno;
			perf_buf__free(pb);
			return tracer__fail(t, err, "cannot open perf buffer '%s': cannot set the "
					    "ring of CPU %d: %s", table, cpus[i], strerror(-err));
		}
	}
	*out = pb;
	return 0;
}

int perf_buf__poll(struct perf_buf *pb, int timeout_ms)
{
	int ret = perf_reader_poll(pb->n, pb->readers, timeout_ms);

	return ret < 0 ? -errno : ret;
}

uint64_t perf_buf__received(const struct perf_buf *pb)
{
	return pb->received;
}

uint64_t perf_buf__lost(const struct perf_buf *pb)
{
	return pb->lost;
}

void perf_buf__free(struct perf_buf *pb)
{
	if (!pb)
		return;
	for (int i = 0; i < pb->n; i++)
		perf_reader_free(pb->readers[i]);
	free(pb->readers);
	free(pb->rings);
	free(pb);
}
