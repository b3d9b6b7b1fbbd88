/* The online-CPU list format of /sys/devices/system/cpu/online, and the
 * perf ring reader over rings laid out the way the kernel writes them. */
#include "check.h"
#include "cpus.h"
#include "perf_buf.h"
#include "perf_ring.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>

#define RING 256 /* data bytes of the test ring */

struct seen {
	int n;
	unsigned char last[64];
	size_t last_size;
	int cpu;
	uint64_t lost_calls;
};

static void on_sample(void *ctx, int cpu, const void *data, size_t size)
{
	struct seen *s = ctx;

	s->n++;
	s->cpu = cpu;
	s->last_size = size < sizeof(s->last) ? size : sizeof(s->last);
	memcpy(s->last, data, s->last_size);
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	struct seen *s = ctx;

	(void)cpu;
	s->lost_calls += lost;
}

/* Writes len bytes at ring position pos, wrapping like the kernel. */
static void ring_put(unsigned char *data, uint64_t pos, const void *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		data[(pos + i) % RING] = ((const unsigned char *)src)[i];
}

/* A PERF_RECORD_SAMPLE of payload size bytes filled with fill; returns its size. */
static size_t put_sample(unsigned char *data, uint64_t pos, uint32_t size, unsigned char fill)
{
	unsigned char rec[128] = { 0 };
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE,
		.size = (uint16_t)((sizeof(h) + sizeof(size) + size + 7) & ~7u) };

	memcpy(rec, &h, sizeof(h));
	memcpy(rec + sizeof(h), &size, sizeof(size));
	memset(rec + sizeof(h) + sizeof(size), fill, size);
	ring_put(data, pos, rec, h.size);
	return h.size;
}

static size_t put_lost(unsigned char *data, uint64_t pos, uint64_t lost)
{
	unsigned char rec[24];
	struct perf_event_header h = { .type = PERF_RECORD_LOST, .size = sizeof(rec) };
	uint64_t id = 7;

	memcpy(rec, &h, sizeof(h));
	memcpy(rec + 8, &id, 8);
	memcpy(rec + 16, &lost, 8);
	ring_put(data, pos, rec, sizeof(rec));
	return sizeof(rec);
}

static void check_ring(void)
{
	struct perf_event_mmap_page page = { 0 };
	_Alignas(8) unsigned char data[RING] = { 0 };
	struct perf_ring_map m = { .page = &page, .data = data, .size = RING };
	struct seen s = { 0 };
	struct perf_ring_sink sink = { .sample = on_sample, .lost = on_lost, .ctx = &s, .cpu = 3 };
	uint64_t pos;

	/* nothing written: nothing read */
	CHECK_INT(perf_ring_read(&m, &sink), 0);

	/* two samples and a loss record, read in one batch */
	pos = 0;
	pos += put_sample(data, pos, 12, 0xaa);
	pos += put_lost(data, pos, 5);
	pos += put_sample(data, pos, 20, 0xbb);
	page.data_head = pos;
	CHECK_INT(perf_ring_read(&m, &sink), 3);
	CHECK_INT(page.data_tail, pos);
	CHECK_INT(s.n, 2);
	CHECK_INT(s.cpu, 3);
	CHECK_INT(s.last_size, 20);
	CHECK_INT(s.last[19], 0xbb);
	CHECK_INT(sink.received, 2);
	CHECK_INT(sink.lost_total, 5);
	CHECK_INT(s.lost_calls, 5);

	/* a sample that runs past the end of the ring arrives whole */
	pos = page.data_tail;
	while (RING - pos % RING > 16)
		pos += put_sample(data, pos, 4, 0x11);
	pos += put_sample(data, pos, 40, 0xcc);
	page.data_head = pos;
	s.n = 0;
	CHECK(perf_ring_read(&m, &sink) > 1);
	CHECK_INT(s.last_size, 40);
	CHECK_INT(s.last[0], 0xcc);
	CHECK_INT(s.last[39], 0xcc);
	CHECK_INT(page.data_tail, pos);

	/* a record claiming more than the ring holds is refused, and skipped */
	{
		struct perf_event_header bad = { .type = PERF_RECORD_SAMPLE, .size = 0 };

		ring_put(data, pos, &bad, sizeof(bad));
		page.data_head = pos + 8;
		CHECK_INT(perf_ring_read(&m, &sink), -EBADMSG);
		CHECK_INT(page.data_tail, pos + 8);
	}
	perf_ring_map_release(&m);
}

int main(void)
{
	int cpus[16];

	CHECK_INT(cpus_parse("0-1\n", cpus, 16), 2);
	CHECK_INT(cpus[1], 1);
	CHECK_INT(cpus_parse("0", cpus, 16), 1);
	CHECK_INT(cpus_parse("0-3,6,8-9\n", cpus, 16), 7);
	CHECK_INT(cpus[4], 6);
	CHECK_INT(cpus[6], 9);
	CHECK_INT(cpus_parse("0-100", cpus, 16), 101);
	CHECK_INT(cpus[15], 15);
	CHECK_INT(cpus_parse("0-4095", NULL, 0), 4096);
	CHECK_INT(cpus_parse("", cpus, 16), -EINVAL);
	CHECK_INT(cpus_parse("3-1", cpus, 16), -EINVAL);
	CHECK_INT(cpus_parse("a", cpus, 16), -EINVAL);
	CHECK_INT(cpus_parse("1;2", cpus, 16), -EINVAL);
	check_ring();
	return CHECK_DONE();
}
