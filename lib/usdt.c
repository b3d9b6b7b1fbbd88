/* USDT probes through libbcc's bcc_usdt_* C API (see usdt.h). */
#include "usdt.h"
#include "tracer.h"

#include <bcc/bcc_elf.h>
#include <bcc/bcc_syms.h>
#include <bcc/bcc_usdt.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One enabled spec: libbcc's context (one per spec, as bcc's USDT object
 * per process or binary) and the semaphore its probe has. */
struct usdt_ctx {
	const struct usdt_spec *spec;
	void *ctx;
	char provider[256]; /* the probe's, found when the spec gave none */
	uint64_t sem_offset; /* file offset of the semaphore; 0: none */
	int nlocs;
	int nargs;
	int nprobes; /* every probe the binary or process has */
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

/* FN is pasted into the C written before the text (_bpf_readarg_FN_N()),
 * and sdt.h makes PROVIDER and PROBE preprocessor tokens: each must be a C
 * identifier, or a spec could smuggle C into the compile. */
static bool c_ident(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static int usdt_spec_check(const struct usdt_spec *s, const char **why)
{
	if (!c_ident(s->fn)) {
		*why = "FN must name a function of the BPF text, a C identifier (letters, digits "
		       "and '_', not starting with a digit)";
		return -EINVAL;
	}
	if ((s->provider[0] && !c_ident(s->provider)) || !c_ident(s->probe)) {
		*why = "PROVIDER and PROBE must be C identifiers, as <sys/sdt.h> names them "
		       "(readelf -n BINARY lists the probes)";
		return -EINVAL;
	}
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
	if (usdt_spec_check(out, why))
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

	finding->nprobes++;
	if (strcmp(p->name, s->probe) || (s->provider[0] && strcmp(p->provider, s->provider)))
		return;
	if (finding->nlocs) { /* two providers have it: the first, as libbcc */
		return;
	}
	snprintf(finding->provider, sizeof(finding->provider), "%s", p->provider);
	finding->sem_offset = p->semaphore ? p->semaphore_offset : 0;
	finding->nlocs = p->num_locations;
	finding->nargs = p->num_arguments;
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

/* Finds the probe of c's spec. In a process, libbcc sets its semaphore
 * now; by path, the kernel does (usdt__attach()) and
 * usdt_genargs_path() writes the argument code. */
static int usdt_enable(struct usdt_ctx *c, char *errmsg, size_t len)
{
	const struct usdt_spec *s = c->spec;
	const char *sep = s->provider[0] ? ":" : "";
	char w[4200];

	c->ctx = s->pid ? bcc_usdt_new_frompid(s->pid, NULL) : bcc_usdt_new_frompath(s->target);
	if (!c->ctx) {
		snprintf(errmsg, len, "cannot enable USDT probe '%s%s%s' of %s: %s", s->provider,
			 sep, s->probe, where(s, w, sizeof(w)),
			 s->pid ? "no such process, or it cannot be read" :
			 access(s->target, F_OK) ? "no such file" : "not an ELF binary or library");
		return -ENOENT;
	}
	usdt_find(c);
	if (!c->nprobes) {
		if (s->pid)
			snprintf(errmsg, len, "cannot enable USDT probe '%s%s%s' of %s: neither its "
				 "binary nor its libraries have USDT probes (no .note.stapsdt "
				 "section); check the PID, or trace a function with -u instead",
				 s->provider, sep, s->probe, where(s, w, sizeof(w)));
		else
			snprintf(errmsg, len, "cannot enable USDT probe '%s%s%s' of %s: the file "
				 "has no USDT probes at all (no .note.stapsdt section: it was built "
				 "without <sys/sdt.h> probes, as some distributions build glibc); "
				 "trace one of its functions with -u %s:SYMBOL:FN instead, or use a "
				 "build of it with the probes (readelf -n lists them)", s->provider,
				 sep, s->probe, where(s, w, sizeof(w)), s->target);
		return -ENOENT;
	}
	if (!c->nlocs) {
		snprintf(errmsg, len, "cannot enable USDT probe '%s%s%s' of %s: no such probe; "
			 "list them with: readelf -n %s | grep -A4 stapsdt", s->provider, sep,
			 s->probe, where(s, w, sizeof(w)),
			 s->pid ? "/proc/PID/exe (and its libraries)" : s->target);
		return -ENOENT;
	}
	if (s->pid && bcc_usdt_enable_fully_specified_probe(c->ctx, c->provider, s->probe, s->fn)) {
		snprintf(errmsg, len, "cannot enable USDT probe '%s:%s' of %s for '%s': its "
			 "semaphore cannot be set in the process (is it still running?)",
			 c->provider, s->probe, where(s, w, sizeof(w)), s->fn);
		return -EINVAL;
	}
	return 0;
}

/* An argument's C type from its size in the note (negative: signed), as
 * libbcc names it; NULL for a size BPF cannot hold in an integer. */
static const char *arg_ctype(int size)
{
	switch (size) {
	case 1: return "uint8_t";
	case -1: return "int8_t";
	case 2: return "uint16_t";
	case -2: return "int16_t";
	case 4: return "uint32_t";
	case -4: return "int32_t";
	case 8: return "uint64_t";
	case -8: return "int64_t";
	default: return NULL;
	}
}

struct sym_find {
	const char *name;
	uint64_t vaddr;
	int found;
};

static int sym_find_cb(const char *name, uint64_t start, uint64_t size, void *payload)
{
	struct sym_find *f = payload;

	(void)size;
	/* libbcc reads the debug file, then the file itself, whatever we return */
	if (f->found || strcmp(name, f->name))
		return f->found ? -1 : 0;
	f->vaddr = start;
	f->found = 1;
	return -1;
}

/* libbcc's barrier: keeps clang from merging the cases' register reads */
#define USDT_BARRIER "__asm__ __volatile__(\"\": : :\"memory\");"

/* Argument a at the location at virtual address loc of bin, as libbcc's
 * Argument::assign_to_local() writes it: a statement storing it in dst
 * and returning 0, or returning -1 when BPF cannot read it (an SSE
 * register; a symbol the file lacks), so bpf_usdt_readarg() fails. */
static void emit_arg(FILE *f, const struct bcc_usdt_argument *a, const char *dst, uint64_t loc,
		     const char *bin)
{
	const char *type = arg_ctype(a->size), *base = a->base_register_name;
	struct bcc_symbol_option all = { .use_symbol_type = BCC_SYM_ALL_TYPES };
	struct sym_find sym = { .name = a->deref_ident };

	if (a->valid & BCC_USDT_ARGUMENT_CONSTANT) {
		fprintf(f, "%s = %lld; return 0;", dst, a->constant);
		return;
	}
	if (!type || !(a->valid & BCC_USDT_ARGUMENT_BASE_REGISTER_NAME) ||
	    !strncmp(base, "xmm", 3)) {
		fprintf(f, "return -1; /* not in a register or memory BPF can read */");
		return;
	}
	if (!(a->valid & BCC_USDT_ARGUMENT_DEREF_OFFSET)) {
		fprintf(f, "%s = ctx->%s; " USDT_BARRIER " return 0;", dst, base);
		return;
	}
	if (a->valid & BCC_USDT_ARGUMENT_DEREF_IDENT) {
		if (!strcmp(base, "ip"))
			bcc_elf_foreach_sym(bin, sym_find_cb, &all, &sym);
		if (!sym.found) {
			fprintf(f, "return -1; /* '%s(%%%s)': not a symbol of the file read "
				"relative to %%rip */", a->deref_ident, base);
			return;
		}
		/* 'sym(%rip)': the file is loaded at one bias, so &sym is as far
		 * from the probe as in the file, wherever ASLR put it (libbcc
		 * 0.26 reads it only in a process, or in a non-PIE binary) */
		fprintf(f, "{ u64 __addr = PT_REGS_IP(ctx) - 0x%llxULL + 0x%llxULL + %d;",
			(unsigned long long)loc, (unsigned long long)sym.vaddr, a->deref_offset);
	} else {
		fprintf(f, "{ u64 __addr = ctx->%s + %d", base, a->deref_offset);
		if (a->valid & BCC_USDT_ARGUMENT_INDEX_REGISTER_NAME)
			fprintf(f, " + (ctx->%s * %d)", a->index_register_name,
				a->valid & BCC_USDT_ARGUMENT_SCALE ? a->scale : 1);
		fprintf(f, ";");
	}
	fprintf(f, " " USDT_BARRIER " %s __res = 0x0; bpf_probe_read_user(&__res, sizeof(__res), "
		"(void *)__addr); %s = __res; } return 0;", type, dst);
}

/* A probe's locations and, per argument, what each location does. */
struct usdt_gen {
	struct bcc_usdt_location *locs;
	char **bodies; /* [nlocs], one argument's statement at each location */
	int distinct_pages; /* no two locations share an offset in a page */
};

/* _bpf_readarg_FN_N(), the function the rewriter turns bpf_usdt_readarg(N,
 * ctx, &v) into, for argument n of c's probe found by path. libbcc 0.26
 * writes it only for a probe it enabled, and it enables a probe with a
 * semaphore only in a process. Shaped as libbcc's own: v must have the
 * size of the argument's type at its widest location. */
static int usdt_genarg(const struct usdt_ctx *c, struct usdt_gen *g, int n, FILE *f,
		       char *errmsg, size_t len)
{
	const char *type = NULL;
	struct bcc_usdt_argument a;
	int widest = 0, same = 1;
	char dst[64];

	for (int l = 0; l < c->nlocs; l++) {
		if (bcc_usdt_get_argument(c->ctx, c->provider, c->spec->probe, l, n, &a)) {
			snprintf(errmsg, len, "cannot enable USDT probe '%s:%s' of '%s': libbcc "
				 "cannot describe its argument %d", c->provider, c->spec->probe,
				 c->spec->target, n + 1);
			return -EINVAL;
		}
		if (!l || abs(a.size) > widest) {
			widest = abs(a.size);
			type = arg_ctype(a.size);
		}
	}
	snprintf(dst, sizeof(dst), "*((%s *)dest)", type ? type : "u64");
	for (int l = 0; l < c->nlocs; l++) {
		size_t size;
		FILE *body = open_memstream(&g->bodies[l], &size);

		if (!body)
			return -ENOMEM;
		bcc_usdt_get_argument(c->ctx, c->provider, c->spec->probe, l, n, &a);
		emit_arg(body, &a, dst, g->locs[l].address, g->locs[l].bin_path);
		if (fclose(body))
			return -ENOMEM;
		same = same && !strcmp(g->bodies[l], g->bodies[0]);
	}
	if (!same && !g->distinct_pages) {
		snprintf(errmsg, len, "cannot enable USDT probe '%s:%s' of '%s' by path: it has %d "
			 "locations that read argument %d differently and that a process cannot "
			 "tell apart (they share an offset in a page, and the file loads at a "
			 "random address); give the PID of a process running it instead",
			 c->provider, c->spec->probe, c->spec->target, c->nlocs, n + 1);
		return -EINVAL;
	}
	fprintf(f, "static __always_inline int _bpf_readarg_%s_%d(struct pt_regs *ctx, void *dest, "
		"size_t len) {\n  if (len != sizeof(%s)) return -1;\n", c->spec->fn, n + 1,
		type ? type : "u64");
	if (same) {
		fprintf(f, "  %s\n}\n", g->bodies[0]);
		return 0;
	}
	/* a file loads at a page-aligned address: the probe's offset in its
	 * page says which location fired, as libbcc does */
	fprintf(f, "  switch (PT_REGS_IP(ctx) %% 0x%lxULL) {\n", (unsigned long)sysconf(_SC_PAGESIZE));
	for (int l = 0; l < c->nlocs; l++)
		fprintf(f, "  case 0x%llxULL: %s\n",
			(unsigned long long)(g->locs[l].address % (uint64_t)sysconf(_SC_PAGESIZE)),
			g->bodies[l]);
	fprintf(f, "  }\n  return -1;\n}\n");
	return 0;
}

static int usdt_genargs_path(const struct usdt_ctx *c, FILE *f, char *errmsg, size_t len)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct usdt_gen g = { .distinct_pages = 1 };
	int err = -ENOMEM;

	snprintf(errmsg, len, "cannot enable the USDT probes: out of memory");
	g.locs = calloc((size_t)c->nlocs, sizeof(*g.locs));
	g.bodies = calloc((size_t)c->nlocs, sizeof(*g.bodies));
	if (!g.locs || !g.bodies)
		goto out;
	for (int l = 0; l < c->nlocs; l++) {
		if (bcc_usdt_get_location(c->ctx, c->provider, c->spec->probe, l, &g.locs[l])) {
			snprintf(errmsg, len, "cannot enable USDT probe '%s:%s' of '%s': libbcc lost "
				 "its location %d", c->provider, c->spec->probe, c->spec->target, l);
			err = -ENOENT;
			goto out;
		}
		for (int k = 0; k < l; k++)
			if (g.locs[k].address % page == g.locs[l].address % page)
				g.distinct_pages = 0;
	}
	for (int n = 0; n < c->nargs; n++) {
		err = usdt_genarg(c, &g, n, f, errmsg, len);
		for (int l = 0; l < c->nlocs; l++) {
			free(g.bodies[l]);
			g.bodies[l] = NULL;
		}
		if (err)
			goto out;
	}
	err = 0;
out:
	free(g.locs);
	free(g.bodies);
	return err;
}

/* The argument code of every spec: libbcc's for probes in a process
 * (it resolves their addresses there), ours for probes by path. */
static int usdt_genargs(struct usdt *u, char *errmsg, size_t len)
{
	void **pids = calloc(u->n ? u->n : 1, sizeof(*pids));
	size_t size, npids = 0;
	int err = -ENOMEM;
	FILE *f = open_memstream(&u->argcode, &size);

	snprintf(errmsg, len, "cannot enable the USDT probes: out of memory");
	if (!f || !pids)
		goto out;
	fputs("#include <uapi/linux/ptrace.h>\n", f);
	for (size_t i = 0; i < u->n; i++)
		if (u->ctxs[i].spec->pid)
			pids[npids++] = u->ctxs[i].ctx;
	if (npids) {
		const char *code = bcc_usdt_genargs(pids, (int)npids);

		if (!code) {
			snprintf(errmsg, len, "cannot enable the USDT probes: libbcc cannot read the "
				 "arguments of one of them");
			err = -EINVAL;
			goto out;
		}
		fputs(code, f);
	}
	for (size_t i = 0; i < u->n; i++)
		if (!u->ctxs[i].spec->pid) {
			err = usdt_genargs_path(&u->ctxs[i], f, errmsg, len);
			if (err)
				goto out;
		}
	err = 0;
out:
	if (f && fclose(f) && !err)
		err = -ENOMEM;
	free(pids);
	return err;
}

int usdt__open(const struct usdt_spec *specs, size_t n, struct usdt **out, char *errmsg,
	       size_t len)
{
	struct usdt *u = calloc(1, sizeof(*u));
	int err = -ENOMEM;

	*out = NULL;
	snprintf(errmsg, len, "cannot enable the USDT probes: out of memory");
	if (!u || !(u->ctxs = calloc(n ? n : 1, sizeof(*u->ctxs))))
		goto err;
	for (; u->n < n; u->n++) {
		const char *why;

		u->ctxs[u->n].spec = &specs[u->n];
		err = usdt_spec_check(&specs[u->n], &why);
		if (err) {
			snprintf(errmsg, len, "cannot enable USDT probe '%s' for '%s': %s",
				 specs[u->n].probe, specs[u->n].fn, why);
			goto err;
		}
		err = usdt_enable(&u->ctxs[u->n], errmsg, len);
		if (err) {
			u->n++; /* usdt__free() closes its context */
			goto err;
		}
	}
	err = usdt_genargs(u, errmsg, len);
	if (err)
		goto err;
	*out = u;
	return 0;
err:
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
			BCC_C_OPTS(tracer_uprobe, probe, .fn_name = c->spec->fn,
				   .binary = loc.bin_path, .addr = loc.address, .pid = c->spec->pid,
				   .ref_ctr_offset = c->spec->pid ? 0 : c->sem_offset);

			err = tracer__attach_uprobe(t, &probe);
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
