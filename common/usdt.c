/* USDT probes through libbcc's bcc_usdt_* C API (see usdt.h). */
#include "usdt.h"
#include "tracer.h"

#include <bcc/bcc_usdt.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One enabled spec: libbcc's context (one per spec, as bcc's USDT object
 * per process or binary) and the semaphore its probe has. */
struct usdt_ctx {
	const struct usdt_spec *spec;
	void *ctx;
	char provider[256]; /* the probe's, found when the spec gave none */
	uint64_t sem_offset; /* file offset of the semaphore; 0: none */
	int nlocs;
};

struct usdt {
	struct usdt_ctx *ctxs;
	size_t n;
	char *argcode;
};

static int copy_field(char *dst, size_t size, const char *src, size_t len)
{
	if (!len || len >= size)
		return -EINVAL;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int usdt_spec_parse(const char *s, struct usdt_spec *out, const char **why)
{
	const char *fn = strrchr(s, ':'), *probe, *prov = NULL;
	char *end;
	long pid;

	memset(out, 0, sizeof(*out));
	*why = "expected PATH|PID:[PROVIDER:]PROBE:FN";
	if (!fn || fn == s)
		return -EINVAL;
	for (probe = fn - 1; probe > s && probe[-1] != ':'; probe--)
		;
	if (probe == s)
		return -EINVAL;
	/* TARGET:PROVIDER:PROBE:FN when a ':' is left before PROBE */
	for (const char *p = probe - 2; p > s; p--)
		if (*p == ':') {
			prov = p + 1;
			break;
		}
	if (copy_field(out->fn, sizeof(out->fn), fn + 1, strlen(fn + 1)) ||
	    copy_field(out->probe, sizeof(out->probe), probe, (size_t)(fn - probe)) ||
	    (prov && copy_field(out->provider, sizeof(out->provider), prov,
				(size_t)(probe - 1 - prov))) ||
	    copy_field(out->target, sizeof(out->target), s,
		       (size_t)((prov ? prov : probe) - 1 - s)))
		return -EINVAL;
	errno = 0;
	pid = strtol(out->target, &end, 10);
	if (!*end && !errno) {
		if (pid <= 0 || pid > INT_MAX) {
			*why = "the PID must be a positive number";
			return -EINVAL;
		}
		out->pid = (pid_t)pid;
		out->target[0] = '\0';
	}
	return 0;
}

/* bcc_usdt_foreach() passes no context: usdt_find() sets this first. */
static struct usdt_ctx *finding;

static void on_probe(struct bcc_usdt *p)
{
	const struct usdt_spec *s = finding->spec;

	if (strcmp(p->name, s->probe) || (s->provider[0] && strcmp(p->provider, s->provider)))
		return;
	if (finding->nlocs) { /* two providers have it: the first, as libbcc */
		return;
	}
	snprintf(finding->provider, sizeof(finding->provider), "%s", p->provider);
	finding->sem_offset = p->semaphore ? p->semaphore_offset : 0;
	finding->nlocs = p->num_locations;
}

static void usdt_find(struct usdt_ctx *c)
{
	finding = c;
	bcc_usdt_foreach(c->ctx, on_probe);
	finding = NULL;
}

static const char *where(const struct usdt_spec *s, char *buf, size_t len)
{
	if (s->pid)
		snprintf(buf, len, "process %d", (int)s->pid);
	else
		snprintf(buf, len, "'%s'", s->target);
	return buf;
}

static int usdt_enable(struct usdt_ctx *c, char *errmsg, size_t len)
{
	const struct usdt_spec *s = c->spec;
	char w[4200];

	c->ctx = s->pid ? bcc_usdt_new_frompid(s->pid, NULL) : bcc_usdt_new_frompath(s->target);
	if (!c->ctx) {
		snprintf(errmsg, len, "cannot enable USDT probe '%s' of %s: %s", s->probe,
			 where(s, w, sizeof(w)), s->pid ? "no such process, or it cannot be read" :
			 "the file does not exist or is not an ELF binary with USDT notes");
		return -ENOENT;
	}
	usdt_find(c);
	if (!c->nlocs) {
		snprintf(errmsg, len, "cannot enable USDT probe '%s%s%s' of %s: no such probe; "
			 "list them with: readelf -n %s | grep -A4 stapsdt", s->provider,
			 s->provider[0] ? ":" : "", s->probe, where(s, w, sizeof(w)),
			 s->pid ? "/proc/PID/exe (and its libraries)" : s->target);
		return -ENOENT;
	}
	if (bcc_usdt_enable_fully_specified_probe(c->ctx, c->provider, s->probe, s->fn)) {
		snprintf(errmsg, len, "cannot enable USDT probe '%s:%s' of %s for '%s'%s",
			 c->provider, s->probe, where(s, w, sizeof(w)), s->fn,
			 s->pid ? ": its semaphore cannot be set in the process (is it still "
			 "running?)" : ": libbcc enables a probe guarded by a semaphore only in a "
			 "process; give the PID instead of the path");
		return -EINVAL;
	}
	return 0;
}

int usdt__open(const struct usdt_spec *specs, size_t n, struct usdt **out, char *errmsg,
	       size_t len)
{
	struct usdt *u = calloc(1, sizeof(*u));
	void **ctxs = NULL;
	const char *code;
	int err = -ENOMEM;

	*out = NULL;
	snprintf(errmsg, len, "cannot enable the USDT probes: out of memory");
	if (!u || !(u->ctxs = calloc(n ? n : 1, sizeof(*u->ctxs))) ||
	    !(ctxs = calloc(n ? n : 1, sizeof(*ctxs))))
		goto err;
	for (; u->n < n; u->n++) {
		u->ctxs[u->n].spec = &specs[u->n];
		err = usdt_enable(&u->ctxs[u->n], errmsg, len);
		if (err) {
			u->n++; /* usdt__free() closes its context */
			goto err;
		}
		ctxs[u->n] = u->ctxs[u->n].ctx;
	}
	code = bcc_usdt_genargs(ctxs, (int)n);
	err = -EINVAL;
	if (!code) {
		snprintf(errmsg, len, "cannot enable the USDT probes: libbcc cannot read the "
			 "arguments of one of them");
		goto err;
	}
	u->argcode = strdup(code);
	err = -ENOMEM;
	if (!u->argcode)
		goto err;
	free(ctxs);
	*out = u;
	return 0;
err:
	free(ctxs);
	usdt__free(u);
	return err;
}

const char *usdt__argcode(const struct usdt *u)
{
	return u->argcode;
}

int usdt__attach(struct usdt *u, struct tracer *t)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct usdt_ctx *c = &u->ctxs[i];

		for (int l = 0; l < c->nlocs; l++) {
			struct bcc_usdt_location loc;
			int err;

			if (bcc_usdt_get_location(c->ctx, c->provider, c->spec->probe, l, &loc))
				return tracer__fail(t, -ENOENT, "cannot attach USDT probe '%s:%s': "
						    "libbcc lost its location %d", c->provider,
						    c->spec->probe, l);
			/* in a process libbcc has set the semaphore itself */
			err = tracer__attach_uprobe(t, &(struct tracer_uprobe){
				.fn_name = c->spec->fn, .binary = loc.bin_path, .addr = loc.address,
				.pid = c->spec->pid,
				.ref_ctr_offset = c->spec->pid ? 0 : c->sem_offset });
			if (err)
				return err;
		}
	}
	return 0;
}

void usdt__free(struct usdt *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		if (u->ctxs[i].ctx)
			bcc_usdt_close(u->ctxs[i].ctx);
	free(u->ctxs);
	free(u->argcode);
	free(u);
}
