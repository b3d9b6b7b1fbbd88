#include "perf_buf.h"

#include "cpus.h"
#include "perf_ring.h"

#include <bcc/libbpf.h>
#include <errno.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Rings that never reach their watermark are read this often. */
#define FLUSH_MS 50

struct perf_ring {
	struct perf_ring_map map;
	int cpu;
	int fd;
};

struct perf_buf {
	struct perf_buf_opts opts;
	struct perf_ring *rings;
	struct pollfd *pfds; /* pfds[i] watches rings[i] */
	int n;
	int epoll_fd; /* every ring, for loops that watch other sources too */
	uint64_t received, lost;
	int64_t flush_at; /* CLOCK_MONOTONIC ms of the next read of every ring */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* bcc's rings wake the reader on every event; in a VM each wakeup costs
 * the traced task an interrupt (about 7 us here, against well under 1 us
 * for the write itself). These wake it once a quarter of the ring is
 * full, and perf_buf__poll() reads the quieter rings every FLUSH_MS. */
static int ring_open(struct perf_ring *r, size_t page_cnt)
{
	size_t page = (size_t)getpagesize();
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_RAW,
		.watermark = 1,
		.wakeup_watermark = (uint32_t)(page_cnt * page / 4),
	};
	void *base;

	r->fd = (int)syscall(__NR_perf_event_open, &attr, -1, r->cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	base = mmap(NULL, (page_cnt + 1) * page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (base == MAP_FAILED)
		return -errno;
	r->map.page = base;
	r->map.data = (char *)base + page;
	r->map.size = page_cnt * page;
	return 0;
}

static void ring_close(struct perf_ring *r)
{
	if (r->map.page)
		munmap(r->map.page, r->map.size + (size_t)getpagesize());
	if (r->fd >= 0)
		close(r->fd);
	perf_ring_map_release(&r->map);
}

static void ring_read(struct perf_buf *pb, struct perf_ring *r)
{
	struct perf_ring_sink sink = { .sample = pb->opts.sample, .lost = pb->opts.lost,
				       .ctx = pb->opts.ctx, .cpu = r->cpu };

	/* a malformed record only costs the rest of that batch */
	perf_ring_read(&r->map, &sink);
	pb->received += sink.received;
	pb->lost += sink.lost_total;
}

int perf_buf__open(struct tracer *t, const char *table, const struct perf_buf_opts *opts,
		   struct perf_buf **out)
{
	struct tracer_table tab;
	struct perf_buf *pb;
	int *cpus = NULL, n, err;

	if (!opts->sample || !opts->page_cnt || (opts->page_cnt & (opts->page_cnt - 1)))
		return tracer__fail(t, -EINVAL, "cannot open perf buffer '%s': the page count "
				    "must be a power of two (got %zu)", table, opts->page_cnt);
	err = tracer__table(t, table, &tab);
	if (err)
		return err;
	if (tab.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return tracer__fail(t, -EINVAL, "cannot open perf buffer '%s': it is not a "
				    "BPF_PERF_OUTPUT table", table);
	n = cpus_read("online", &cpus);
	if (n < 0)
		return tracer__fail(t, n, "cannot open perf buffer '%s': cannot read the online "
				    "CPUs: %s", table, strerror(-n));
	pb = calloc(1, sizeof(*pb));
	if (!pb) {
		free(cpus);
		return tracer__fail(t, -ENOMEM, "cannot open perf buffer '%s': out of memory",
				    table);
	}
	pb->opts = *opts;
	pb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	pb->rings = calloc(n, sizeof(*pb->rings));
	pb->pfds = calloc(n, sizeof(*pb->pfds));
	if (pb->epoll_fd < 0 || !pb->rings || !pb->pfds) {
		err = pb->epoll_fd < 0 ? -errno : -ENOMEM;
		perf_buf__free(pb);
		free(cpus);
		return tracer__fail(t, err, "cannot open perf buffer '%s': %s", table,
				    strerror(-err));
	}
	for (int i = 0; i < n; i++) {
		struct perf_ring *r = &pb->rings[i];

		*r = (struct perf_ring){ .cpu = cpus[i], .fd = -1 };
		pb->n = i + 1;
		err = ring_open(r, opts->page_cnt);
		if (err) {
			err = tracer__fail(t, err, "cannot open perf buffer '%s' on CPU %d: %s%s",
					   table, cpus[i], strerror(-err),
					   err == -ENOMEM || err == -EPERM ?
					   " (try fewer pages, or raise perf_event_mlock_kb)" : "");
			goto err;
		}
		pb->pfds[i] = (struct pollfd){ .fd = r->fd, .events = POLLIN };
		if (epoll_ctl(pb->epoll_fd, EPOLL_CTL_ADD, r->fd,
			      &(struct epoll_event){ .events = EPOLLIN }) < 0) {
			err = -errno;
			err = tracer__fail(t, err, "cannot open perf buffer '%s': cannot watch the "
					   "ring of CPU %d: %s", table, cpus[i], strerror(-err));
			goto err;
		}
		if (bpf_update_elem(tab.fd, &cpus[i], &r->fd, 0) < 0) {
			err = -errno;
			err = tracer__fail(t, err, "cannot open perf buffer '%s': cannot set the "
					   "ring of CPU %d: %s%s", table, cpus[i], strerror(-err),
					   cpus[i] >= (int)tab.max_entries ?
					   " (the table has fewer entries than this host has CPUs)" :
					   "");
			goto err;
		}
	}
	free(cpus);
	pb->flush_at = now_ms() + FLUSH_MS;
	*out = pb;
	return 0;
err:
	perf_buf__free(pb);
	free(cpus);
	return err;
}

int perf_buf__fd(const struct perf_buf *pb)
{
	return pb->epoll_fd;
}

static int delivered_since(const struct perf_buf *pb, uint64_t before)
{
	uint64_t n = pb->received + pb->lost - before;

	return n > INT_MAX ? INT_MAX : (int)n;
}

int perf_buf__consume(struct perf_buf *pb)
{
	uint64_t before = pb->received + pb->lost;

	for (int i = 0; i < pb->n; i++)
		ring_read(pb, &pb->rings[i]);
	pb->flush_at = now_ms() + FLUSH_MS;
	return delivered_since(pb, before);
}

int perf_buf__poll(struct perf_buf *pb, int timeout_ms)
{
	uint64_t before = pb->received + pb->lost;
	int64_t left = pb->flush_at - now_ms();
	int wait = left < 0 ? 0 : (int)left;

	if (timeout_ms >= 0 && timeout_ms < wait)
		wait = timeout_ms;
	if (poll(pb->pfds, (nfds_t)pb->n, wait) < 0)
		return -errno;
	if (now_ms() >= pb->flush_at) {
		perf_buf__consume(pb);
		return delivered_since(pb, before);
	}
	for (int i = 0; i < pb->n; i++)
		if (pb->pfds[i].revents & POLLIN)
			ring_read(pb, &pb->rings[i]);
	return delivered_since(pb, before);
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
		ring_close(&pb->rings[i]);
	if (pb->epoll_fd >= 0)
		close(pb->epoll_fd);
	free(pb->pfds);
	free(pb->rings);
	free(pb);
}
