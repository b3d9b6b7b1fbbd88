/* bcc-run's scrape (see metrics_scrape.h): its own process metrics, then
 * every table read into a store and written as text, each metric name
 * claimed once. */
#include "metrics_scrape.h"

#include "cpus.h"
#include "metrics_store.h"
#include "table.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Per table, across reloads: event counts and series dropped. */
struct table_state {
	struct table_state *next;
	struct metrics_events ev;
	bool output;
	uint64_t dropped;
	bool told_dropped, told_unexported, told_taken;
	char name[];
};

struct metrics {
	struct metrics_opts o;
	char *prefix, *source;
	struct table_state *tables; /* in the order first seen */
};

struct metrics *metrics__new(const struct metrics_opts *o)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->o = *o;
	m->prefix = strdup(o->prefix ? o->prefix : METRICS_DEFAULT_PREFIX);
	m->source = strdup(o->source ? o->source : "the BPF text");
	if (!m->prefix || !m->source) {
		metrics__free(m);
		errno = ENOMEM;
		return NULL;
	}
	m->o.prefix = m->prefix;
	m->o.source = m->source;
	return m;
}

void metrics__free(struct metrics *m)
{
	if (!m)
		return;
	while (m->tables) {
		struct table_state *next = m->tables->next;

		free(m->tables);
		m->tables = next;
	}
	free(m->prefix);
	free(m->source);
	free(m);
}

static struct table_state *state(struct metrics *m, const char *name)
{
	struct table_state **p = &m->tables;

	for (; *p; p = &(*p)->next)
		if (!strcmp((*p)->name, name))
			return *p;
	*p = calloc(1, sizeof(**p) + strlen(name) + 1);
	if (*p)
		strcpy((*p)->name, name);
	return *p;
}

struct metrics_events *metrics__events(struct metrics *m, const char *table)
{
	struct table_state *st = state(m, table);

	if (!st)
		return NULL;
	st->output = true;
	return &st->ev;
}

__attribute__((format(printf, 2, 3))) static void note(const struct metrics *m,
						       const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!m->o.note)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) >= 0) {
		m->o.note(msg, m->o.ctx);
		free(msg);
	}
	va_end(ap);
}

/* The metric names one scrape has written or will write: two families of
 * one name (a table "run_up" beside bcc_run_up, "a_count" beside
 * "a_count_total") make Prometheus' parsers reject the whole text. */
struct taken {
	char **v;
	size_t n;
};

static const char *const process_names[] = {
	"bcc_run_up", "bcc_run_programs_attached", "bcc_run_compile_seconds", "bcc_run_cache_hit",
	"bcc_run_events_total", "bcc_run_events_lost_total", "bcc_run_series_dropped_total",
};

static bool taken_has(const struct taken *tk, const char *name)
{
	for (size_t i = 0; i < sizeof(process_names) / sizeof(*process_names); i++)
		if (!strcmp(process_names[i], name))
			return true;
	for (size_t i = 0; i < tk->n; i++)
		if (!strcmp(tk->v[i], name))
			return true;
	return false;
}

/* The first of the n names already taken, or NULL. */
static const char *taken_clash(const struct taken *tk, char **names, int n)
{
	for (int i = 0; i < n; i++)
		if (taken_has(tk, names[i]))
			return names[i];
	return NULL;
}

/* Moves the n names into tk; on -ENOMEM they stay the caller's. */
static int taken_add(struct taken *tk, char **names, int n)
{
	char **v = realloc(tk->v, (tk->n + (size_t)n) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	tk->v = v;
	memcpy(tk->v + tk->n, names, (size_t)n * sizeof(*names));
	tk->n += (size_t)n;
	return 0;
}

static void taken_release(struct taken *tk)
{
	for (size_t i = 0; i < tk->n; i++)
		free(tk->v[i]);
	free(tk->v);
}

/* Claims table mt's names in tk. Returns 0, -EEXIST after naming the
 * table (once) when one is taken, -ENOTSUP or -ENOMEM. */
static int claim_names(struct metrics *m, struct table_state *st, struct taken *tk,
		       const struct metrics_table *mt)
{
	char *names[4];
	const char *clash;
	int n = metrics_table_names(&m->o, mt, names), err = 0;

	if (n < 0)
		return n;
	clash = taken_clash(tk, names, n);
	if (clash && !st->told_taken)
		note(m, "table '%s' is not exported as metrics: its metric name '%s' is taken by "
			"%s; rename the table, or give --metrics-prefix another prefix", mt->name,
		     clash, !strncmp(clash, "bcc_run_", 8) ? "one of bcc-run's own metrics" :
							     "another table's");
	st->told_taken |= clash != NULL;
	if (clash)
		err = -EEXIST;
	else if (!(err = taken_add(tk, names, n)))
		return 0;
	while (n--)
		free(names[n]);
	return err;
}

static bool exported_type(int type)
{
	return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_HASH || table_type_is_percpu(type);
}

/* Reads tab into a store and writes what it kept. Returns the series
 * dropped, or a negative errno. */
static int export_table(struct metrics *m, const struct tracer_table *tab,
			const struct metrics_table *layout, FILE *out)
{
	struct metrics_store *store = metrics_store__new(&m->o, layout);
	struct metrics_table kept;
	int ret;

	if (!store)
		return -errno;
	ret = metrics_store__read(&store, tab, layout->stride * layout->ncpus, &m->o, layout);
	if (!ret) {
		metrics_store__table(store, &kept);
		ret = metrics_write_table(out, &m->o, &kept);
	}
	if (ret >= 0)
		ret += (int)metrics_store__dropped(store);
	metrics_store__free(store);
	return ret;
}

/* Names the table once for what export_table() returned. */
static void tell(struct metrics *m, struct table_state *st, int ret)
{
	if (ret == -ENOTSUP && !st->told_unexported) {
		note(m, "table '%s' is not exported as metrics: its values are not integers, or "
			"its key or value type was not described by libbcc", st->name);
		st->told_unexported = true;
	}
	if (ret <= 0)
		return;
	st->dropped += (uint64_t)ret;
	if (!st->told_dropped)
		note(m, "table '%s' has more entries than --metrics-max-series %zu: the "
			"others are dropped from the metrics (bcc_run_series_dropped_total"
			" counts them); raise the limit, or key the table by fewer values",
		     st->name, m->o.max_series ? m->o.max_series :
						 (size_t)METRICS_DEFAULT_MAX_SERIES);
	st->told_dropped = true;
}

static int scrape_table(struct metrics *m, const struct metrics_scrape *s,
			const struct tracer_table *tab, int ncpus, struct taken *tk, FILE *out)
{
	bool hist = s->is_hist && s->is_hist(tab->name, s->ctx);
	struct metrics_table mt = { .name = tab->name, .type = tab->type, .hist = hist, .ncpus = 1,
				    .stride = tab->leaf_size };
	struct td_type *kt = NULL, *lt = NULL;
	struct table_state *st;
	int ret;

	if (!exported_type(tab->type) && !hist)
		return 0;
	st = state(m, tab->name);
	if (!st)
		return -ENOMEM;
	if (table_type_is_percpu(tab->type)) {
		mt.ncpus = ncpus > 0 ? (size_t)ncpus : 1;
		mt.stride = table__value_stride(tab);
	}
	if (!td_parse(tracer__key_desc(s->t, tab->name), &kt) && kt->size == tab->key_size)
		mt.kt = kt;
	if (!td_parse(tracer__leaf_desc(s->t, tab->name), &lt) && lt->size == tab->leaf_size)
		mt.lt = lt;
	ret = claim_names(m, st, tk, &mt);
	if (!ret && ncpus <= 0 && table_type_is_percpu(tab->type))
		ret = -ENOTSUP; /* how many values an entry holds is not known */
	if (!ret)
		ret = export_table(m, tab, &mt, out);
	tell(m, st, ret);
	td_free(kt);
	td_free(lt);
	return ret == -ENOMEM ? ret : 0;
}

static void gauge(FILE *out, const char *name, const char *help, const char *fmt, double v)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n%s ", name, help, name, name);
	fprintf(out, fmt, v);
	fputc('\n', out);
}

/* A counter family labelled by table: dropped, or the outputs' counts. */
static void per_table(FILE *out, const struct metrics *m, const char *name, const char *help,
		      bool outputs, bool lost)
{
	bool any = false;

	for (const struct table_state *st = m->tables; st; st = st->next) {
		if (st->output != outputs)
			continue;
		if (!any)
			fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
		any = true;
		fprintf(out, "%s{table=\"", name);
		metrics_label_value(out, st->name, strlen(st->name));
		fprintf(out, "\"} %llu\n", (unsigned long long)(!outputs ? st->dropped :
							     lost ? st->ev.lost : st->ev.events));
	}
}

int metrics__scrape(struct metrics *m, const struct metrics_scrape *s, FILE *out)
{
	int ncpus = cpus_read("possible", NULL);
	struct taken tk = { 0 };
	int err = 0;

	gauge(out, "bcc_run_up", "1 while bcc-run has its BPF program attached", "%.0f", 1);
	gauge(out, "bcc_run_programs_attached", "Probes the running BPF program has attached",
	      "%.0f", (double)tracer__num_links(s->t));
	gauge(out, "bcc_run_compile_seconds",
	      "Seconds the running BPF program took to compile (or to load from the compile "
	      "cache)", "%.6f", s->compile_seconds);
	gauge(out, "bcc_run_cache_hit", "1 when the running BPF program came from the compile "
	      "cache", "%.0f", tracer__from_cache(s->t) ? 1 : 0);
	for (size_t i = 0; i < tracer__num_tables(s->t) && !err; i++) {
		struct tracer_table tab;

		if (!tracer__table_at(s->t, i, &tab))
			err = scrape_table(m, s, &tab, ncpus, &tk, out);
		if (m->o.tick)
			m->o.tick(m->o.ctx);
	}
	per_table(out, m, "bcc_run_events_total", "Events the BPF program sent to a "
		  "BPF_PERF_OUTPUT or BPF_RINGBUF_OUTPUT table that bcc-run read", true, false);
	per_table(out, m, "bcc_run_events_lost_total", "Events of a BPF_PERF_OUTPUT table the "
		  "kernel dropped because its buffer was full", true, true);
	per_table(out, m, "bcc_run_series_dropped_total", "Series of a table (of a histogram: "
		  "used buckets) left out of the metrics, over all scrapes, by "
		  "--metrics-max-series", false, false);
	taken_release(&tk);
	return err;
}
