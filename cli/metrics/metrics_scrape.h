/* bcc-run's whole export at one scrape: its own process metrics beside
 * every table of the running program (metrics.h writes the tables, through
 * the series store of metrics_store.h), with what must outlive a --watch
 * reload: the outputs' event counts and the series dropped so far. */
#ifndef BCC_C_METRICS_SCRAPE_H
#define BCC_C_METRICS_SCRAPE_H

#include "metrics.h"

/* What bcc-run exports beside the tables, kept across --watch reloads. */
struct metrics;

/* Counts of one BPF_PERF_OUTPUT or BPF_RINGBUF_OUTPUT table; the event
 * callbacks add to them. */
struct metrics_events {
	uint64_t events;
	uint64_t lost;
};

/* NULL with errno set on allocation failure. Copies what o points to. */
struct metrics *metrics__new(const struct metrics_opts *o);
void metrics__free(struct metrics *m);

/* The counters of output table name, created at 0 the first time and
 * kept (at the same address) until metrics__free(); NULL on ENOMEM. */
struct metrics_events *metrics__events(struct metrics *m, const char *table);

/* What one scrape reads. */
struct metrics_scrape {
	struct tracer *t; /* the running program */
	/* whether the text declared table name with BPF_HISTOGRAM */
	bool (*is_hist)(const char *name, void *ctx);
	void *ctx;
	double compile_seconds; /* its compile, or its load from the cache */
};

/* Writes the process metrics (bcc_run_up, bcc_run_programs_attached,
 * bcc_run_compile_seconds, bcc_run_cache_hit, bcc_run_events_total,
 * bcc_run_events_lost_total, bcc_run_series_dropped_total) and every
 * table of s->t, read from the kernel now, to out. Returns 0 or -ENOMEM. */
int metrics__scrape(struct metrics *m, const struct metrics_scrape *s, FILE *out);

#endif
