/* A session's life: the text compiled (with --usdt's argument code before
 * it), every bcc-named function and command-line probe attached, the
 * tables printed, everything freed. A --watch reload opens a second
 * session beside the running one: session_open() fills the session it is
 * handed and reads only r's options, path and metrics. */
#include "bcc-run.h"

#include "dump.h"
#include "log.h"
#include "stacks.h"
#include "tool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int attach_spec(struct tracer *t, const struct env *env, enum probe_opt kind,
		       const struct spec *s)
{
	switch (kind) {
	case OPT_UPROBE:
	case OPT_URETPROBE: {
		BCC_C_OPTS(tracer_uprobe, u, .fn_name = s->fn, .binary = s->target,
			   .symbol = s->symbol[0] ? s->symbol : NULL, .addr = s->addr,
			   .pid = (pid_t)env->pid, .retprobe = kind == OPT_URETPROBE);

		return tracer__attach_uprobe(t, &u);
	}
	case OPT_KPROBE:
		return tracer__attach_kprobe(t, s->fn, s->target, 0);
	case OPT_KRETPROBE:
		return tracer__attach_kretprobe(t, s->fn, s->target);
	case OPT_TRACEPOINT:
		return tracer__attach_tracepoint(t, s->fn, s->target, s->symbol);
	}
	return -EINVAL;
}

/* BPF_HISTOGRAM(name ...) tables are printed as histograms at exit. */
static int find_hists(struct session *s)
{
	return dump_text_hists(s->text, &s->hists, &s->nhists);
}

static bool is_hist(const struct session *s, const char *name)
{
	for (size_t i = 0; i < s->nhists; i++)
		if (!strcmp(s->hists[i], name))
			return true;
	return false;
}

void session_close(struct session *s)
{
	close_outputs(s);
	for (size_t i = 0; i < s->nhists; i++)
		free(s->hists[i]);
	free(s->hists);
	stacks__free(s->stacks);
	tracer__free(s->t);
	usdt__free(s->usdt);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

/* --usdt: enables the probes and puts their argument code before the
 * text, as bcc does; *text becomes a new string to free when it is not
 * s->text. */
static int usdt_prepend(struct session *s, const struct env *env, const char *path,
			char **text)
{
	char msg[8192];
	int err;

	if (!env->nusdts)
		return 0;
	err = usdt__open(env->usdts, env->nusdts, &s->usdt, msg, sizeof(msg));
	if (err)
		return tracer__fail(s->t, err, "%s", msg);
	if (asprintf(text, "%s\n%s", usdt__argcode(s->usdt), s->text) < 0) {
		*text = s->text;
		return tracer__fail(s->t, -ENOMEM, "cannot read '%s': out of memory", path);
	}
	return 0;
}

double monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The probes: the text's own, then the command line's, then --usdt's. */
static int session_attach(struct session *s, const struct env *env)
{
	int err = tracer__autoattach(s->t);

	err = err > 0 ? 0 : err;
	/* Ctrl-C between two attaches stops there: there may be 64 of them */
	for (size_t i = 0; i < env->nspecs && !err; i++)
		err = tool_exiting ? -EINTR : attach_spec(s->t, env, env->specs[i].kind,
							  &env->specs[i].spec);
	if (!err && s->usdt)
		err = usdt__attach(s->usdt, s->t);
	if (!err && tracer__num_links(s->t) == 0)
		err = tracer__fail(s->t, -ENOENT, "nothing to attach: the text has no function "
				   "named kprobe__, kretprobe__, tracepoint__ (TRACEPOINT_PROBE), "
				   "raw_tracepoint__, kfunc__ or kretfunc__, and the command line "
				   "names no probe (-u, -U, -k, -K, -t, --usdt)");
	return err;
}

int session_open(struct bcc_run *r, struct session *s, char *text)
{
	const struct env *env = &r->env;
	double start = monotonic_s();
	int err;

	memset(s, 0, sizeof(*s));
	s->text = text;
	s->printk = strstr(text, "bpf_trace_printk") != NULL;
	s->t = tracer__new();
	if (!s->t) {
		log_error("cannot compile '%s': out of memory", r->path);
		session_close(s);
		return -ENOMEM;
	}
	err = usdt_prepend(s, env, r->path, &text);
	if (!err) {
		BCC_C_OPTS(tracer_src, src, .text = text, .name = r->path,
			   .cflags = (const char *const *)env->cflags, .ncflags = env->ncflags,
			   .no_cache = env->no_cache);

		err = tool_compile(s->t, &src);
	}
	if (text != s->text)
		free(text);
	s->compile_seconds = monotonic_s() - start;
	if (!err && find_hists(s))
		err = tracer__fail(s->t, -ENOMEM, "cannot read '%s': out of memory", r->path);
	if (!err)
		err = session_attach(s, env);
	if (!err && !(s->stacks = stacks__new(s->t, print_note, NULL)))
		err = tracer__fail(s->t, -errno, "cannot read the stack tables: out of memory");
	stacks__set_text(s->stacks, s->text);
	stacks__set_pid(s->stacks, (int)env->pid);
	if (!err)
		err = open_outputs(r, s);
	if (err) {
		tool_fail(s->t, err);
		session_close(s);
	}
	return err;
}

bool session_is_hist(const char *name, void *ctx)
{
	return is_hist(ctx, name);
}

void print_note(const char *msg, void *ctx)
{
	(void)ctx;
	log_info("%s", msg);
}

void print_tables(const struct bcc_run *r, struct session *s)
{
	dump__tables(s->t, stdout, &(struct dump_opts){ .json = r->env.json,
		     .is_hist = session_is_hist, .note = print_note, .ctx = s,
		     .stacks = s->stacks });
}

int session_start(struct bcc_run *r)
{
	char *text;
	int err = tool_read_text(r->path, &text);

	return err ? err : session_open(r, &r->s, text);
}
