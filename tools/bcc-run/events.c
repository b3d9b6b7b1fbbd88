/* A session's BPF_PERF_OUTPUT and BPF_RINGBUF_OUTPUT tables: opened with
 * the field list libbcc reports for each, so that every event prints as
 * name=value pairs (or JSON) with its stacks, counted for --metrics. */
#include "bcc-run.h"

#include "log.h"
#include "metrics_scrape.h"
#include "perf_buf.h"
#include "ring_buf.h"
#include "stacks.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE_CNT 64

static void print_event(struct output *o, const void *data, size_t size)
{
	if (o->json) {
		printf("{\"type\":\"event\",\"table\":\"%s\",\"data\":{", o->name);
		if (o->decodable)
			event_format(&o->layout, data, size, true, stdout);
		else
			printf("\"raw_size\":%zu", size);
		putchar('}');
		if (o->decodable)
			stacks__print_event(o->stacks, &o->layout, data, size, true, stdout);
		puts("}");
		return;
	}
	if (o->show_name)
		printf("%s: ", o->name);
	if (o->decodable) {
		event_format(&o->layout, data, size, false, stdout);
	} else {
		printf("raw=");
		for (size_t i = 0; i < size; i++)
			printf("%02x", ((const unsigned char *)data)[i]);
	}
	putchar('\n');
	if (o->decodable)
		stacks__print_event(o->stacks, &o->layout, data, size, false, stdout);
}

static void on_perf_event(void *ctx, int cpu, const void *data, size_t size)
{
	struct output *o = ctx;

	(void)cpu;
	if (o->ev)
		o->ev->events++;
	print_event(o, data, size);
}

static void on_perf_lost(void *ctx, int cpu, uint64_t lost)
{
	struct output *o = ctx;

	if (o->ev)
		o->ev->lost += lost;
	log_info("lost %" PRIu64 " events of '%s' on CPU %d (the perf buffer was full)", lost,
		 o->name, cpu);
}

static void on_ring_event(void *ctx, const void *data, size_t size)
{
	struct output *o = ctx;

	if (o->ev)
		o->ev->events++;
	print_event(o, data, size);
}

void session_drain(struct session *s)
{
	for (size_t i = 0; i < s->noutputs; i++) {
		if (s->outputs[i].pb)
			perf_buf__consume(s->outputs[i].pb);
		else
			ring_buf__poll(s->outputs[i].rb, 0);
	}
}

static int open_output(struct bcc_run *r, struct session *s, const struct tracer_table *tab)
{
	struct output *o = &s->outputs[s->noutputs];

	*o = (struct output){ .name = tab->name, .stacks = s->stacks, .json = r->env.json };
	o->decodable = tracer__event_layout(s->t, o->name, &o->layout) == 0;
	if (o->decodable)
		stacks__claim_layout(s->stacks, &o->layout);
	if (!o->decodable)
		log_info("events of '%s' are printed as raw bytes: libbcc reports no field "
			 "list this tool can decode (nested structs, or nothing submitted)",
			 o->name);
	s->noutputs++; /* from now on session_close() frees what opens below */
	if (r->ex.metrics && !(o->ev = metrics__events(r->ex.metrics, o->name)))
		return tracer__fail(s->t, -ENOMEM, "cannot open the outputs: out of memory");
	if (tab->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return perf_buf__open(s->t, o->name, &(struct perf_buf_opts){
			.page_cnt = PAGE_CNT, .sample = on_perf_event, .lost = on_perf_lost,
			.ctx = o }, &o->pb);
	return ring_buf__open(s->t, o->name, on_ring_event, o, &o->rb);
}

int open_outputs(struct bcc_run *r, struct session *s)
{
	size_t n = tracer__num_tables(s->t);
	int err = 0;

	/* the outputs never move: their callbacks hold pointers to them */
	s->outputs = calloc(n ? n : 1, sizeof(*s->outputs));
	if (!s->outputs)
		return tracer__fail(s->t, -ENOMEM, "cannot open the outputs: out of memory");
	for (size_t i = 0; i < n && !err; i++) {
		struct tracer_table tab;

		if (tracer__table_at(s->t, i, &tab) == 0 &&
		    (tab.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY || tab.type == BPF_MAP_TYPE_RINGBUF))
			err = open_output(r, s, &tab);
	}
	for (size_t i = 0; i < s->noutputs; i++)
		s->outputs[i].show_name = s->noutputs > 1;
	return err;
}

void close_outputs(struct session *s)
{
	for (size_t i = 0; i < s->noutputs; i++) {
		perf_buf__free(s->outputs[i].pb);
		ring_buf__free(s->outputs[i].rb);
	}
	free(s->outputs);
}
