/* The event loop: one poll over trace_pipe, the perf and ring outputs,
 * the --watch inotify fd and the metrics server's socket, then a bounded
 * share of work for each, until the deadline or Ctrl-C. */
#include "bcc-run.h"

#include "log.h"
#include "metrics_serve.h"
#include "perf_buf.h"
#include "render.h"
#include "ring_buf.h"
#include "tool.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A turn of the event loop reads at most this many trace_pipe lines, so a
 * flood of bpf_trace_printk() cannot starve the perf rings, the deadline,
 * --watch or Ctrl-C. */
#define TRACE_BATCH 256
/* The loop wakes at least this often: perf rings below their watermark are
 * read every 50 ms (perf_buf.h). */
#define TURN_MS 50

/* What the event loop watches besides the session. */
struct loop {
	struct trace_pipe *tp;
	unsigned long lost_reported;
	int watch_fd;
	const char *watch_base;
};

static void print_trace(const struct trace_fields *f, void *ctx)
{
	const struct bcc_run *r = ctx;

	if (!r->env.json) {
		tool_print_timed(f, NULL);
		return;
	}
	printf("{\"type\":\"trace\",\"time\":%.9f,\"comm\":", f->ts);
	json_string(stdout, f->task, sizeof(f->task));
	printf(",\"pid\":%d,\"message\":", f->pid);
	json_string(stdout, f->msg, strlen(f->msg));
	puts("}");
}

/* Opens trace_pipe the first time a session's text prints to it. */
static int loop_trace_pipe(struct loop *l, const struct bcc_run *r)
{
	int err;

	if (!r->s.printk || l->tp)
		return 0;
	err = tool_trace_pipe_open(&l->tp);
	if (!err && !r->env.json)
		fputs(TOOL_TIMED_HEADER, stdout);
	return err;
}

/* One turn: waits up to wait_ms for any source, then serves each one a
 * bounded batch. Returns 1 when trace lines are left over (the next turn
 * must not wait), 0, or a negative errno after printing why. */
static int loop_turn(struct loop *l, struct bcc_run *r, int wait_ms)
{
	struct session *s = &r->s;
	struct pollfd *pfds = calloc(s->noutputs + 3, sizeof(*pfds));
	struct trace_fields f;
	nfds_t n = 0;
	int err = 0, lines = 0;

	if (!pfds) {
		log_error("cannot read events: out of memory");
		return -ENOMEM;
	}
	if (l->tp)
		pfds[n++] = (struct pollfd){ .fd = trace_pipe__fd(l->tp), .events = POLLIN };
	if (l->watch_fd >= 0)
		pfds[n++] = (struct pollfd){ .fd = l->watch_fd, .events = POLLIN };
	if (r->ex.srv)
		pfds[n++] = (struct pollfd){ .fd = metrics_server__fd(r->ex.srv), .events = POLLIN };
	for (size_t i = 0; i < s->noutputs; i++)
		pfds[n++] = (struct pollfd){ .events = POLLIN, .fd = s->outputs[i].pb ?
					     perf_buf__fd(s->outputs[i].pb) :
					     ring_buf__fd(s->outputs[i].rb) };
	if (poll(pfds, n, wait_ms) < 0 && errno != EINTR)
		err = -errno;
	free(pfds);
	while (!err && l->tp && lines < TRACE_BATCH && (err = trace_pipe__next(l->tp, &f, 0)) > 0) {
		print_trace(&f, r);
		lines++;
		err = 0;
	}
	if (l->tp)
		tool_trace_pipe_report_lost(l->tp, &l->lost_reported);
	for (size_t i = 0; i < s->noutputs && err >= 0; i++)
		err = s->outputs[i].pb ? perf_buf__poll(s->outputs[i].pb, 0) :
					 ring_buf__poll(s->outputs[i].rb, 0);
	err = err == -EINTR ? 0 : err;
	if (err < 0) {
		log_error("cannot read events: %s", strerror(-err));
		return err;
	}
	/* after the events: a scrape reads the tables between two turns, and
	 * the server only does what its sockets allow without waiting */
	if (r->ex.srv)
		metrics_server__run(r->ex.srv);
	export_textfile(r);
	if (l->watch_fd >= 0)
		watch_serve(r, l->watch_fd, l->watch_base);
	return lines == TRACE_BATCH;
}

/* The ready line names everything a test or a user waits for. */
static void loop_ready(const struct bcc_run *r)
{
	char where[PATH_MAX + 64] = "";

	if (r->ex.srv)
		snprintf(where, sizeof(where), "; metrics on %s", metrics_server__url(r->ex.srv));
	if (r->ex.textfile[0])
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
			 "; metrics in %s every %ld s", r->ex.textfile, r->env.interval);
	log_info("ready: %zu probe(s) attached from '%s'%s%s", tracer__num_links(r->s.t),
		 r->path, r->env.watch ? "; watching it for changes" : "", where);
}

int loop_run(struct bcc_run *r, long duration)
{
	struct loop l = { .watch_fd = -1 };
	struct tool_deadline deadline;
	int wait, busy = 0, err;

	if (r->env.watch && (l.watch_fd = watch_open(r->path, &l.watch_base)) < 0)
		return l.watch_fd;
	err = loop_trace_pipe(&l, r);
	export_textfile(r); /* the file is there once ready is said */
	if (!err)
		loop_ready(r);
	tool_deadline_start(&deadline, duration);
	while (!err && (wait = tool_deadline_wait_ms(&deadline, TURN_MS)) >= 0) {
		busy = loop_turn(&l, r, busy ? 0 : wait);
		err = busy < 0 ? busy : loop_trace_pipe(&l, r);
	}
	/* before the last events are read: the tables printed next stop
	 * changing, and the traced programs stop paying for the probes */
	tracer__detach(r->s.t);
	session_drain(&r->s);
	if (l.tp)
		tool_trace_pipe_drain(l.tp, print_trace, r);
	if (l.watch_fd >= 0)
		close(l.watch_fd);
	trace_pipe__free(l.tp);
	return err;
}
