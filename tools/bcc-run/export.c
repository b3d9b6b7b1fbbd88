/* --metrics and --metrics-textfile: the running session's tables, scraped
 * by cli/metrics/metrics_scrape.c, served over HTTP by cli/metrics/metrics_serve.c
 * or written to node_exporter's textfile directory. Everything here is
 * opened before the first attach, so a bad address or directory leaves
 * nothing behind. */
#include "bcc-run.h"

#include "log.h"
#include "metrics_scrape.h"
#include "metrics_serve.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One scrape of the running session (r->s, which a reload refills in
 * place, so this always reads the program attached now). */
static int metrics_body(FILE *out, void *ctx)
{
	struct bcc_run *r = ctx;
	struct session *s = &r->s;

	/* the rings emptied first, and again every so often (metrics_tick):
	 * a scrape of a large table is no gap in the events */
	session_drain(s);
	return metrics__scrape(r->ex.metrics, &(struct metrics_scrape){ .t = s->t,
			       .is_hist = session_is_hist, .ctx = s,
			       .compile_seconds = s->compile_seconds }, out);
}

/* --metrics-textfile: writes the file when its interval has passed. */
void export_textfile(struct bcc_run *r)
{
	struct export *ex = &r->ex;
	char *body = NULL;
	size_t len = 0;
	FILE *out;
	int err;

	if (!ex->textfile[0] || monotonic_s() < ex->next_write)
		return;
	ex->next_write = monotonic_s() + (double)r->env.interval;
	out = open_memstream(&body, &len);
	if (!out) {
		log_error("cannot write '%s': out of memory", ex->textfile);
		return;
	}
	err = metrics_body(out, r);
	if (fclose(out) && !err)
		err = -ENOMEM;
	if (!err)
		err = metrics_textfile_write(ex->textfile, body, len);
	if (err)
		log_error("cannot write the metrics to '%s': %s (the previous file stays)",
			  ex->textfile, strerror(-err));
	free(body);
}

/* Why metrics cannot be served on --metrics' address, for errno err. */
static const char *listen_why(int err)
{
	switch (err) {
	case -EINVAL:
		return "expected [ADDR:]PORT: PORT from 0 to 65535 (0: any free port), ADDR an "
		       "IPv4 address, an IPv6 address in brackets ([::1]) or localhost; "
		       "127.0.0.1 when left out";
	case -EADDRNOTAVAIL:
		return "the address is not one of this host's (ip -br addr lists them); use "
		       "127.0.0.1, 0.0.0.0 for every interface, or one of those";
	case -EADDRINUSE:
		return "another program listens on that port (ss -ltnp names it); choose "
		       "another PORT";
	case -EACCES:
		return "ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port "
		       "above 1023 (Prometheus exporters use 9100-9999)";
	default:
		return NULL;
	}
}

static void metrics_tick(void *ctx)
{
	struct bcc_run *r = ctx;

	session_drain(&r->s);
}

/* Opens the HTTP endpoint and checks the textfile's directory. Prints why
 * not on failure. */
int export_open(struct bcc_run *r)
{
	const struct env *env = &r->env;
	struct export *ex = &r->ex;
	int err;

	if (!env->metrics_listen && !env->metrics_dir)
		return 0;
	ex->metrics = metrics__new(&(struct metrics_opts){ .prefix = env->metrics_prefix,
			       .source = r->path, .max_series = (size_t)env->metrics_max_series,
			       .note = print_note, .tick = metrics_tick, .ctx = r });
	if (!ex->metrics) {
		log_error("cannot export metrics: out of memory");
		return -ENOMEM;
	}
	if (env->metrics_listen) {
		err = metrics_server__open(env->metrics_listen, metrics_body, r, &ex->srv);
		if (err) {
			log_error("cannot serve metrics on '%s': %s", env->metrics_listen,
				  listen_why(err) ? listen_why(err) : strerror(-err));
			return err;
		}
	}
	if (env->metrics_dir) {
		err = metrics_textfile_path(env->metrics_dir, r->path, ex->textfile,
					    sizeof(ex->textfile));
		if (!err)
			err = metrics_textfile_check(ex->textfile);
		if (err) {
			log_error("cannot write metrics to the directory '%s': %s; give "
				  "--metrics-textfile a directory that exists and that this user "
				  "can write (node_exporter's --collector.textfile.directory)",
				  env->metrics_dir, strerror(-err));
			ex->textfile[0] = '\0';
			return err;
		}
	}
	return 0;
}

void export_close(struct export *ex)
{
	metrics_server__free(ex->srv);
	/* a stopped program's counts would look alive to node_exporter */
	if (ex->textfile[0])
		unlink(ex->textfile);
	metrics__free(ex->metrics);
	ex->metrics = NULL;
}
