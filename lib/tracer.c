#include "tracer_priv.h"

#include "cache.h"
#include "capture.h"
#include "compat.h"
#include "diag.h"
#include "event_decode.h"
#include "feature.h"
#include "opts.h"

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

/* The message when there is no memory to write the real one: never freed. */
static char no_memory_msg[] = "out of memory (while writing the message of an error)";

static void set_err(struct tracer *t, char *msg)
{
	if (t->err != no_memory_msg)
		free(t->err);
	t->err = msg;
}

int tracer__fail(struct tracer *t, int err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	set_err(t, vasprintf(&msg, fmt, ap) >= 0 ? msg : no_memory_msg);
	va_end(ap);
	return err;
}

const char *tracer__errmsg(const struct tracer *t)
{
	return t->err ? t->err : "";
}

static tracer_print_fn print_fn;

tracer_print_fn tracer_set_print(tracer_print_fn fn)
{
	tracer_print_fn old = print_fn;

	print_fn = fn;
	return old;
}

void tracer_print(enum tracer_print_level level, const char *fmt, ...)
{
	va_list ap;

	if (!print_fn)
		return;
	va_start(ap, fmt);
	print_fn(level, fmt, ap);
	va_end(ap);
}

/* Why the cache was refused (a directory or entry another user could
 * write, a bad size cap): once per process, as every compile would again. */
static void cache_refused(const char *why)
{
	static bool said;

	if (!said && why[0]) {
		said = true;
		tracer_print(TRACER_WARN, "%s", why);
	}
}

static void cache_put(const char *key, const struct image *img)
{
	char why[1024] = "";

	/* otherwise only speed is lost if it fails */
	if (cache_store(key, img, why, sizeof(why)))
		cache_refused(why);
}

/* Creates the maps of a cached image; on failure none is left. */
static int create_maps(struct tracer *t)
{
	t->fds = calloc(t->img.ntables ? t->img.ntables : 1, sizeof(*t->fds));
	if (!t->fds)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->img.ntables; i++) {
		const struct image_table *tab = &t->img.tables[i];

		t->fds[i] = bcc_create_map(tab->type, tab->name, tab->key_size, tab->leaf_size,
					   tab->max_entries, tab->flags);
		if (t->fds[i] < 0) {
			int err = -errno;

			while (i-- > 0)
				close(t->fds[i]);
			free(t->fds);
			t->fds = NULL;
			return err;
		}
	}
	return 0;
}

static void close_maps(struct tracer *t)
{
	for (uint32_t i = 0; t->fds && i < t->img.ntables; i++)
		close(t->fds[i]);
	free(t->fds);
	t->fds = NULL;
}

/* Compiles src into a module of libbcc (*mod, which owns the maps it
 * created) and the image of that module. */
static int compile_text(struct tracer *t, const struct tracer_src *src, void **mod,
			struct image *img)
{
	struct compat_flags cflags;
	struct feature headers;
	struct compat compat;
	struct capture cap;
	const char **argv;
	char *diag = NULL, *named, why[512];
	int err;

	feature_headers(&headers);
	if (!headers.ok)
		return tracer__fail(t, -ENOENT, "cannot compile '%s': %s", t->name,
				    headers.detail);
	t->cc = compiler_get(why, sizeof(why));
	if (!t->cc)
		return tracer__fail(t, -ENOENT, "cannot compile '%s': %s", t->name, why);

	/* the headers' uapi bpf.h in place of libbcc's copy when it is newer */
	compat_detect(&compat);
	err = compat_flags_open(&compat, &cflags);
	if (err) {
		compat_flags_close(&cflags);
		return tracer__fail(t, err, "cannot compile '%s': cannot prepare the headers' %s "
				    "to replace libbcc's copy: %s", t->name, compat.uapi,
				    strerror(-err));
	}
	argv = calloc(src->ncflags + cflags.argc + 1, sizeof(*argv));
	if (!argv) {
		compat_flags_close(&cflags);
		return tracer__fail(t, -ENOMEM, "cannot compile '%s': out of memory", t->name);
	}
	for (size_t i = 0; i < src->ncflags; i++)
		argv[i] = src->cflags[i];
	for (size_t i = 0; i < cflags.argc; i++)
		argv[src->ncflags + i] = cflags.argv[i];

	err = capture_begin(&cap);
	if (err) {
		free(argv);
		compat_flags_close(&cflags);
		return tracer__fail(t, err, "cannot compile '%s': cannot capture diagnostics: %s",
				    t->name, strerror(-err));
	}
	*mod = t->cc->create_from_string(src->text, 0, argv, (int)(src->ncflags + cflags.argc),
					 true, NULL);
	capture_end(&cap, &diag);
	free(argv);
	compat_flags_close(&cflags);
	named = diag ? diag_remap(diag, src->text, t->name) : NULL;
	free(diag);
	if (!*mod) {
		err = tracer__fail(t, -EINVAL, "cannot compile '%s': clang reported:\n%s", t->name,
				   named && named[0] ? named : "(no diagnostics)\n");
		free(named);
		return err;
	}
	if (named)
		diag_drop_headers(named);
	if (named && named[0]) {
		size_t n = strlen(named); /* clang's lines end with one; messages do not */

		tracer_print(TRACER_WARN, "'%s' compiled with warnings:\n%.*s", t->name,
			     (int)(n - (named[n - 1] == '\n')), named);
	}
	free(named);

	if (image_from_module(t->cc, *mod, src->text, img)) {
		t->cc->destroy(*mod);
		*mod = NULL;
		return tracer__fail(t, -ENOMEM, "cannot compile '%s': out of memory while copying "
				    "the compiled program", t->name);
	}
	return 0;
}

/* Makes t use the maps libbcc created with mod for t->img. */
static int use_module(struct tracer *t, void *mod)
{
	t->mod = mod;
	t->fds = calloc(t->img.ntables ? t->img.ntables : 1, sizeof(*t->fds));
	if (!t->fds)
		return tracer__fail(t, -ENOMEM, "cannot compile '%s': out of memory while listing "
				    "its tables", t->name);
	for (uint32_t i = 0; i < t->img.ntables; i++)
		t->fds[i] = t->cc->table_fd_id(mod, i);
	return 0;
}

/* A program from the cache keeps its text and cflags, to be compiled if
 * the kernel refuses it. */
static int keep_src(struct tracer *t, const struct tracer_src *src)
{
	t->text = strdup(src->text);
	t->cflags = calloc(src->ncflags ? src->ncflags : 1, sizeof(*t->cflags));
	if (!t->text || !t->cflags)
		return -ENOMEM;
	for (t->ncflags = 0; t->ncflags < src->ncflags; t->ncflags++)
		if (!(t->cflags[t->ncflags] = strdup(src->cflags[t->ncflags])))
			return -ENOMEM;
	return 0;
}

/* A hit, with its maps made. Anything else is a miss: compile. */
static int load_cached(struct tracer *t, const struct tracer_src *src)
{
	char why[1024] = "";
	int err = cache_load(t->key, &t->img, why, sizeof(why));

	if (err == -EPERM)
		cache_refused(why);
	if (err)
		return err;
	err = create_maps(t);
	if (!err) {
		err = keep_src(t, src);
		if (err)
			close_maps(t);
	}
	if (err)
		image_free(&t->img);
	return err;
}

int tracer__compile(struct tracer *t, const struct tracer_src *opts)
{
	struct tracer_src copy;
	const struct tracer_src *src = &copy;
	struct feature priv;
	void *mod;
	int err;

	if (!opts__copy(&copy, sizeof(copy), opts))
		return tracer__fail(t, -EINVAL, "cannot compile: %s", opts__refusal(opts));
	if (!src->text)
		return tracer__fail(t, -EINVAL, "cannot compile '%s': no BPF text given",
				    src->name ? src->name : "BPF text");

	t->name = strdup(src->name ? src->name : "BPF text");
	if (!t->name)
		return tracer__fail(t, -ENOMEM, "cannot compile '%s': out of memory",
				    src->name ? src->name : "BPF text");
	/* libbcc creates the maps while compiling: without privileges it
	 * fails with nothing a user can act on */
	feature_privileges(&priv);
	if (!priv.ok)
		return tracer__fail(t, -EPERM, "cannot load '%s': %s", t->name, priv.detail);
	if (!src->no_cache && cache_enabled())
		t->key = cache_key(src->text, src->cflags, src->ncflags);
	if (t->key && load_cached(t, src) == 0) {
		t->compiled = t->from_cache = true;
		return 0;
	}
	err = compile_text(t, src, &mod, &t->img);
	if (!err)
		err = use_module(t, mod);
	if (err)
		return err;
	t->compiled = true;
	if (t->key)
		cache_put(t->key, &t->img);
	return 0;
}

static bool same_tables(const struct image *a, const struct image *b)
{
	if (a->ntables != b->ntables)
		return false;
	for (uint32_t i = 0; i < a->ntables; i++) {
		const struct image_table *x = &a->tables[i], *y = &b->tables[i];

		if (strcmp(x->name, y->name) || x->type != y->type || x->key_size != y->key_size ||
		    x->leaf_size != y->leaf_size || x->max_entries != y->max_entries ||
		    x->flags != y->flags)
			return false;
	}
	return true;
}

/* A program from the cache could not be loaded: compiles the text, once,
 * rewrites the entry and goes on with the compiled image. The maps made
 * for the cached image may be in use (programs loaded, a table handed to a
 * perf buffer): they stay when the compiled tables are the same; otherwise
 * the module's maps replace them, which only works while nothing uses them.
 * The cached image stays until tracer__free(): callers hold its names. */
static int recompile(struct tracer *t, const char *fn_name)
{
	const struct tracer_src src = { .text = t->text, .name = t->name, .ncflags = t->ncflags,
					.cflags = (const char *const *)t->cflags };
	const char *why = tracer__errmsg(t);
	struct image img;
	void *mod;
	int err;

	t->from_cache = false; /* one compile, whatever it gives */
	tracer_print(TRACER_WARN, "the compile cache's copy of '%s' failed: %.*s; compiling it again "
		     "and rewriting the entry", t->name, (int)strcspn(why, ";\n"), why);
	err = compile_text(t, &src, &mod, &img);
	if (err)
		return err;
	cache_put(t->key, &img);
	if (!t->nprogs && !t->maps_used) {
		close_maps(t);
		t->prev = t->img;
		t->img = img;
		return use_module(t, mod);
	}
	t->cc->destroy(mod);
	if (img.portable && same_tables(&t->img, &img)) {
		t->prev = t->img;
		t->img = img;
		return 0;
	}
	image_free(&img);
	return tracer__fail(t, -ESTALE, "cannot load '%s': the compile cache's copy of '%s' "
			    "failed and its tables, already in use, differ from the compiled "
			    "ones; the entry is rewritten: run again", fn_name, t->name);
}

int tracer__from_cache(const struct tracer *t)
{
	return t->from_cache;
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

static int load_failed(struct tracer *t, const char *fn_name, int err, const char *log)
{
	const char *tail = log ? tail_lines(log, VERIFIER_TAIL_LINES) : "";

	if ((err == EPERM || err == EACCES) && geteuid() != 0)
		return tracer__fail(t, -err, "cannot load '%s': %s; run as root (loading BPF "
				    "programs needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)%s%s",
				    fn_name, strerror(err), tail[0] ? "; the kernel said:\n" : "",
				    tail);
	return tracer__fail(t, -err, "cannot load '%s': the kernel refused it: %s%s%s", fn_name,
			    strerror(err), tail[0] ? "; end of the verifier's log:\n" : "", tail);
}

/* Loads the image's function fn_name as prog_type: the fd, or a negative
 * errno with the message set. */
static int load_func(struct tracer *t, const char *fn_name, int prog_type)
{
	const struct image_func *f = image_func(&t->img, fn_name);
	struct bpf_insn *insns;
	struct capture cap;
	char *log = NULL;
	int fd, err;

	if (!f)
		return tracer__fail(t, -ENOENT, "cannot load '%s': '%s' has no function '%s' "
				    "(it must be a non-static function of the BPF text)",
				    fn_name, t->name, fn_name);
	insns = malloc((f->ninsns ? f->ninsns : 1) * sizeof(*insns));
	if (!insns)
		return tracer__fail(t, -ENOMEM, "cannot load '%s': out of memory while preparing "
				    "its instructions", fn_name);
	if (image_patch(&t->img, f, t->fds, insns)) {
		free(insns);
		return tracer__fail(t, -EINVAL, "cannot load '%s': it refers to a table the "
				    "program does not have", fn_name);
	}
	capture_begin(&cap);
	fd = bcc_prog_load(prog_type, fn_name, insns, (int)(f->ninsns * sizeof(*insns)),
			   t->img.license, t->img.kern_version, 0, NULL, 0);
	err = errno;
	capture_end(&cap, &log);
	free(insns);
	if (fd < 0)
		fd = load_failed(t, fn_name, err, log);
	free(log);
	return fd;
}

int tracer__load(struct tracer *t, const char *fn_name, int prog_type)
{
	struct tracer_prog *progs;
	char *name;
	int fd;

	for (size_t i = 0; i < t->nprogs; i++)
		if (!strcmp(t->progs[i].name, fn_name))
			return t->progs[i].fd;
	if (!t->compiled)
		return tracer__fail(t, -EINVAL, "cannot load '%s': no BPF text compiled", fn_name);
	progs = realloc(t->progs, (t->nprogs + 1) * sizeof(*progs));
	if (progs)
		t->progs = progs;
	name = strdup(fn_name);
	if (!progs || !name) {
		free(name);
		return tracer__fail(t, -ENOMEM, "cannot load '%s': out of memory while preparing "
				    "its instructions", fn_name);
	}
	fd = load_func(t, fn_name, prog_type);
	if (fd < 0 && t->from_cache && recompile(t, fn_name) == 0)
		fd = load_func(t, fn_name, prog_type);
	if (fd < 0) {
		free(name);
		return fd;
	}
	t->progs[t->nprogs++] = (struct tracer_prog){ .name = name, .type = prog_type, .fd = fd };
	return fd;
}

static int table_index(struct tracer *t, const char *name)
{
	int i = t->compiled ? image_table_index(&t->img, name) : -1;

	if (i < 0)
		return tracer__fail(t, -ENOENT, "'%s' has no table '%s'",
				    t->name ? t->name : "the BPF text", name);
	return i;
}

int tracer__table(struct tracer *t, const char *name, struct tracer_table *out)
{
	const struct image_table *tab;
	int i = table_index(t, name);

	if (i < 0)
		return i;
	tab = &t->img.tables[i];
	t->maps_used = true; /* from now on a recompile keeps them */
	*out = (struct tracer_table){
		.name = tab->name,
		.fd = t->fds[i],
		.type = (int)tab->type,
		.key_size = tab->key_size,
		.leaf_size = tab->leaf_size,
		.max_entries = tab->max_entries,
	};
	return 0;
}

size_t tracer__num_functions(const struct tracer *t)
{
	return t->compiled ? t->img.nfuncs : 0;
}

const char *tracer__function_name(const struct tracer *t, size_t i)
{
	return t->img.funcs[i].name;
}

size_t tracer__num_tables(const struct tracer *t)
{
	return t->compiled ? t->img.ntables : 0;
}

int tracer__table_at(struct tracer *t, size_t i, struct tracer_table *out)
{
	if (i >= tracer__num_tables(t))
		return -ENOENT;
	return tracer__table(t, t->img.tables[i].name, out);
}

int tracer__event_layout(struct tracer *t, const char *table, struct event_layout *out)
{
	int i = table_index(t, table);

	if (i < 0)
		return i;
	if (!t->img.tables[i].nfields || t->img.tables[i].nfields > EVENT_MAX_FIELDS)
		return -ENOTSUP;
	return event_layout_parse((const char *const *)t->img.tables[i].fields,
				  t->img.tables[i].nfields, out);
}

const char *tracer__key_desc(struct tracer *t, const char *table)
{
	int i = table_index(t, table);

	return i < 0 ? NULL : t->img.tables[i].key_desc;
}

const char *tracer__leaf_desc(struct tracer *t, const char *table)
{
	int i = table_index(t, table);

	return i < 0 ? NULL : t->img.tables[i].leaf_desc;
}

/* libbcc's text for a key (or a leaf) of table: only with the compiler */
static int entry_str(struct tracer *t, const char *table, const void *data, char *buf,
		     size_t len, bool leaf)
{
	int i = table_index(t, table);

	if (i < 0)
		return i;
	if (!t->mod)
		return -ENOTSUP;
	return (leaf ? t->cc->table_leaf_snprintf : t->cc->table_key_snprintf)(
		       t->mod, (size_t)i, buf, len, data) ? -EINVAL : 0;
}

int tracer__key_str(struct tracer *t, const char *table, const void *key, char *buf,
		    size_t len)
{
	return entry_str(t, table, key, buf, len, false);
}

int tracer__leaf_str(struct tracer *t, const char *table, const void *leaf, char *buf,
		     size_t len)
{
	return entry_str(t, table, leaf, buf, len, true);
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

void tracer__detach(struct tracer *t)
{
	if (!t)
		return;
	for (size_t i = t->nlinks; i-- > 0;) {
		link_release(t->links[i].kind, t->links[i].fd, t->links[i].ev_name);
		free(t->links[i].ev_name);
	}
	free(t->links);
	t->links = NULL;
	t->nlinks = 0;
}

void tracer__free(struct tracer *t)
{
	if (!t)
		return;
	tracer__detach(t);
	for (size_t i = 0; i < t->nprogs; i++) {
		close(t->progs[i].fd);
		free(t->progs[i].name);
	}
	free(t->progs);
	if (t->mod)
		t->cc->destroy(t->mod); /* and with it the maps */
	else
		for (uint32_t i = 0; t->fds && i < t->img.ntables; i++)
			close(t->fds[i]);
	free(t->fds);
	image_free(&t->img);
	image_free(&t->prev);
	free(t->key);
	free(t->text);
	for (size_t i = 0; i < t->ncflags; i++)
		free(t->cflags[i]);
	free(t->cflags);
	free(t->name);
	set_err(t, NULL);
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
		return tracer__fail(t, -ENOMEM, "cannot attach %s%s%s: out of memory while "
				    "recording the probe (it was detached)", probe_kind_str(kind),
				    ev_name ? " " : "", ev_name ? ev_name : "");
	}
	t->links[t->nlinks++] = (struct tracer_link){ .kind = kind, .ev_name = ev, .fd = fd };
	return 0;
}
