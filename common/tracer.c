#include "tracer_priv.h"

#include "capture.h"
#include "diag.h"
#include "event_decode.h"
#include "feature.h"

#include <bcc/bcc_common.h>
#include <bcc/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VERIFIER_TAIL_LINES 20

struct tracer *tracer__new(void)
{
	return calloc(1, sizeof(struct tracer));
}

int tracer__fail(struct tracer *t, int err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) >= 0) {
		free(t->err);
		t->err = msg;
	}
	va_end(ap);
	return err;
}

const char *tracer__errmsg(const struct tracer *t)
{
	return t->err ? t->err : "";
}

int tracer__compile(struct tracer *t, const struct tracer_src *src)
{
	struct feature headers;
	struct capture cap;
	char *diag = NULL, *named;
	int err;

	t->name = strdup(src->name ? src->name : "BPF text");
	if (!t->name)
		return -ENOMEM;
	feature_headers(&headers);
	if (!headers.ok)
		return tracer__fail(t, -ENOENT, "cannot compile '%s': %s", t->name,
				    headers.detail);

	err = capture_begin(&cap);
	if (err)
		return tracer__fail(t, err, "cannot compile '%s': cannot capture diagnostics: %s",
				    t->name, strerror(-err));
	t->mod = bpf_module_create_c_from_string(src->text, 0, (const char **)src->cflags,
						 (int)src->ncflags, true, NULL);
	capture_end(&cap, &diag);
	named = diag ? diag_remap(diag, src->text, t->name) : NULL;
	free(diag);
	if (!t->mod) {
		err = tracer__fail(t, -EINVAL, "cannot compile '%s': clang reported:\n%s", t->name,
				   named && named[0] ? named : "(no diagnostics)\n");
		free(named);
		return err;
	}
	if (named && named[0])
		fputs(named, stderr);
	free(named);
	return 0;
}

/* The last n lines of s (a pointer into s). */
static const char *tail_lines(const char *s, int n)
{
	const char *p = s + strlen(s);

	while (p > s && p[-1] == '\n')
		p--;
	while (p > s && n > 0)
		if (*--p == '\n')
			n--;
	return p == s ? s : p + 1;
}

int tracer_load(struct tracer *t, const char *fn_name, int prog_type)
{
	struct tracer_prog *progs;
	struct capture cap;
	char *log = NULL, *name;
	void *start;
	int fd, err;

	for (size_t i = 0; i < t->nprogs; i++)
		if (!strcmp(t->progs[i].name, fn_name))
			return t->progs[i].fd;
	if (!t->mod)
		return tracer__fail(t, -EINVAL, "cannot load '%s': no BPF text compiled", fn_name);
	start = bpf_function_start(t->mod, fn_name);
	if (!start)
		return tracer__fail(t, -ENOENT, "cannot load '%s': '%s' has no function '%s' "
				    "(it must be a non-static function of the BPF text)",
				    fn_name, t->name, fn_name);
	progs = realloc(t->progs, (t->nprogs + 1) * sizeof(*progs));
	name = strdup(fn_name);
	if (!progs || !name) {
		free(name);
		if (progs)
			t->progs = progs;
		return -ENOMEM;
	}
	t->progs = progs;

	capture_begin(&cap);
	fd = bcc_func_load(t->mod, prog_type, fn_name, start, bpf_function_size(t->mod, fn_name),
			   bpf_module_license(t->mod), bpf_module_kern_version(t->mod), 0, NULL, 0,
			   NULL, -1);
	err = errno;
	capture_end(&cap, &log);
	if (fd < 0) {
		free(name);
		if ((err == EPERM || err == EACCES) && geteuid() != 0)
			fd = tracer__fail(t, -err, "cannot load '%s': %s; run as root "
					  "(loading BPF programs needs CAP_BPF and CAP_PERFMON, "
					  "or CAP_SYS_ADMIN)%s%s", fn_name, strerror(err),
					  log && log[0] ? "; the kernel said:\n" : "",
					  log ? tail_lines(log, VERIFIER_TAIL_LINES) : "");
		else
			fd = tracer__fail(t, -err, "cannot load '%s': the kernel refused it: %s%s%s",
					  fn_name, strerror(err),
					  log && log[0] ? "; end of the verifier's log:\n" : "",
					  log ? tail_lines(log, VERIFIER_TAIL_LINES) : "");
		free(log);
		return fd;
	}
	free(log);
	t->progs[t->nprogs++] = (struct tracer_prog){ .name = name, .type = prog_type, .fd = fd };
	return fd;
}

int tracer__table(struct tracer *t, const char *name, struct tracer_table *out)
{
	size_t id;

	if (!t->mod)
		return tracer__fail(t, -EINVAL, "no BPF text compiled");
	id = bpf_table_id(t->mod, name);
	if (id >= bpf_num_tables(t->mod))
		return tracer__fail(t, -ENOENT, "'%s' has no table '%s'", t->name, name);
	*out = (struct tracer_table){
		.name = bpf_table_name(t->mod, id),
		.fd = bpf_table_fd_id(t->mod, id),
		.type = bpf_table_type_id(t->mod, id),
		.key_size = bpf_table_key_size_id(t->mod, id),
		.leaf_size = bpf_table_leaf_size_id(t->mod, id),
		.max_entries = bpf_table_max_entries_id(t->mod, id),
	};
	return 0;
}

size_t tracer__num_functions(const struct tracer *t)
{
	return t->mod ? bpf_num_functions(t->mod) : 0;
}

const char *tracer__function_name(const struct tracer *t, size_t i)
{
	return bpf_function_name(t->mod, i);
}

size_t tracer__num_tables(const struct tracer *t)
{
	return t->mod ? bpf_num_tables(t->mod) : 0;
}

int tracer__table_at(struct tracer *t, size_t i, struct tracer_table *out)
{
	if (i >= tracer__num_tables(t))
		return -ENOENT;
	return tracer__table(t, bpf_table_name(t->mod, i), out);
}

int tracer__event_layout(struct tracer *t, const char *table, struct event_layout *out)
{
	size_t n = bpf_perf_event_fields(t->mod, table);
	const char *descs[EVENT_MAX_FIELDS];

	if (n == 0 || n > EVENT_MAX_FIELDS)
		return -ENOTSUP;
	for (size_t i = 0; i < n; i++)
		descs[i] = bpf_perf_event_field(t->mod, table, i);
	return event_layout_parse(descs, n, out);
}

const char *tracer__key_desc(struct tracer *t, const char *table)
{
	return bpf_table_key_desc(t->mod, table);
}

const char *tracer__leaf_desc(struct tracer *t, const char *table)
{
	return bpf_table_leaf_desc(t->mod, table);
}

int tracer__key_str(struct tracer *t, const char *table, const void *key, char *buf,
		    size_t len)
{
	return bpf_table_key_snprintf(t->mod, bpf_table_id(t->mod, table), buf, len, key) ?
		       -EINVAL : 0;
}

int tracer__leaf_str(struct tracer *t, const char *table, const void *leaf, char *buf,
		     size_t len)
{
	return bpf_table_leaf_snprintf(t->mod, bpf_table_id(t->mod, table), buf, len, leaf) ?
		       -EINVAL : 0;
}

size_t tracer__num_links(const struct tracer *t)
{
	return t->nlinks;
}

/* Closing the perf event fd removes a probe made through the PMU; the
 * detach call removes one libbcc had to create in {k,u}probe_events. */
static void link_release(enum probe_kind kind, int fd, const char *ev_name)
{
	switch (kind) {
	case PROBE_KPROBE:
	case PROBE_KRETPROBE:
		bpf_close_perf_event_fd(fd);
		bpf_detach_kprobe(ev_name);
		break;
	case PROBE_UPROBE:
	case PROBE_URETPROBE:
		bpf_close_perf_event_fd(fd);
		bpf_detach_uprobe(ev_name);
		break;
	case PROBE_TRACEPOINT:
		bpf_close_perf_event_fd(fd);
		break;
	default:
		close(fd);
	}
}

void tracer__free(struct tracer *t)
{
	if (!t)
		return;
	for (size_t i = t->nlinks; i-- > 0;) {
		link_release(t->links[i].kind, t->links[i].fd, t->links[i].ev_name);
		free(t->links[i].ev_name);
	}
	free(t->links);
	for (size_t i = 0; i < t->nprogs; i++) {
		close(t->progs[i].fd);
		free(t->progs[i].name);
	}
	free(t->progs);
	if (t->mod)
		bpf_module_destroy(t->mod);
	free(t->name);
	free(t->err);
	free(t);
}

int tracer_add_link(struct tracer *t, enum probe_kind kind, const char *ev_name, int fd)
{
	struct tracer_link *links = realloc(t->links, (t->nlinks + 1) * sizeof(*links));
	char *ev = ev_name ? strdup(ev_name) : NULL;

	if (links)
		t->links = links;
	if (!links || (ev_name && !ev)) {
		free(ev);
		link_release(kind, fd, ev_name);
		return -ENOMEM;
	}
	t->links[t->nlinks++] = (struct tracer_link){ .kind = kind, .ev_name = ev, .fd = fd };
	return 0;
}
