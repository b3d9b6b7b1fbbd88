/* libFuzzer target: perf_ring_read() over arbitrary ring contents and
 * head/tail positions. The input is: 8 bytes data_tail, 2 bytes how far
 * data_head is past it, then up to 256 bytes of ring data. */
#include "perf_ring.h"

#include <linux/perf_event.h>
#include <stdint.h>
#include <string.h>

#define RING 256

static void on_sample(void *ctx, int cpu, const void *data, size_t size)
{
	volatile unsigned char sum = 0;

	(void)ctx;
	(void)cpu;
	for (size_t i = 0; i < size; i++) /* every delivered byte must be readable */
		sum += ((const unsigned char *)data)[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	struct perf_event_mmap_page page = { 0 };
	_Alignas(8) unsigned char data[RING] = { 0 };
	struct perf_ring_map m = { .page = &page, .data = data, .size = RING };
	struct perf_ring_sink sink = { .sample = on_sample };
	uint64_t tail = 0;
	uint16_t ahead = 0;

	if (len < sizeof(tail) + sizeof(ahead))
		return 0;
	memcpy(&tail, in, sizeof(tail));
	memcpy(&ahead, in + sizeof(tail), sizeof(ahead));
	in += sizeof(tail) + sizeof(ahead);
	len -= sizeof(tail) + sizeof(ahead);
	memcpy(data, in, len < RING ? len : RING);
	tail &= ~7ULL; /* the kernel keeps records 8-byte aligned */
	page.data_tail = tail;
	page.data_head = tail + (ahead & ~7u);
	perf_ring_read(&m, &sink);
	if (page.data_tail != page.data_head)
		__builtin_trap(); /* everything up to head must be consumed or skipped */
	perf_ring_map_release(&m);
	return 0;
}
