/* The public symbol objects of syms.h: the kernel's read here from a
 * kallsyms file, a process's through libbcc's symbol cache. */
#include "syms.h"

#include <bcc/bcc_syms.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* bcc_proc.c's kernelAddrSpace: on x86_64 lower addresses are not the
 * kernel's (a module's per-CPU symbols, for one). */
#ifdef __x86_64__
#define KERNEL_ADDR_MIN 0x00ffffffffffffffULL
#else
#define KERNEL_ADDR_MIN 0ULL
#endif

struct ksym {
	uint64_t addr;
	size_t line; /* order in the file: equal addresses keep it */
	char *name;
	const char *module; /* "kernel", or one of ksyms.modules */
};

/* Invariant: syms[0 .. n) sorted by address, then by line; bcc, when set
 * (the running kernel), resolves instead. */
struct ksyms {
	void *bcc; /* libbcc's KSyms */
	struct ksym *syms;
	size_t n, cap;
	char **modules; /* each module name once */
	size_t nmodules;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static const char *module_name(struct ksyms *ks, const char *name)
{
	char **mods;

	for (size_t i = 0; i < ks->nmodules; i++)
		if (!strcmp(ks->modules[i], name))
			return ks->modules[i];
	mods = realloc(ks->modules, (ks->nmodules + 1) * sizeof(*mods));
	if (!mods)
		return NULL;
	ks->modules = mods;
	mods[ks->nmodules] = strdup(name);
	return mods[ks->nmodules] ? mods[ks->nmodules++] : NULL;
}

/* One "<addr> <type> <name>[\t[module]]" line; 0 when kept or skipped,
 * -ENOMEM. */
static int ksyms_add_line(struct ksyms *ks, char *line, size_t lineno)
{
	char *p, *name, *mod = NULL;
	unsigned long long addr = strtoull(line, &p, 16);
	struct ksym *sym;

	if (p == line || !addr || addr == ~0ULL || addr < KERNEL_ADDR_MIN || *p != ' ' ||
	    !p[1] || p[2] != ' ' || strchr("bBdDrR", p[1]))
		return 0;
	name = p + 3;
	p = name + strcspn(name, " \t\n");
	if (*p && *p != '\n') {
		*p++ = '\0';
		p += strspn(p, " \t");
		if (*p == '[' && strchr(p, ']'))
			*strchr(mod = p + 1, ']') = '\0';
	}
	*p = '\0';
	/* a failure frees the whole object: cap may run ahead of syms then */
	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? 2 * ks->cap : 4096;
		sym = reallocarray(ks->syms, ks->cap, sizeof(*sym));
		if (!sym)
			return -ENOMEM;
		ks->syms = sym;
	}
	sym = &ks->syms[ks->n];
	*sym = (struct ksym){ .addr = addr, .line = lineno, .name = strdup(name),
			      .module = module_name(ks, mod ? mod : "kernel") };
	if (!sym->name || !sym->module) {
		free(sym->name);
		return -ENOMEM;
	}
	ks->n++;
	return 0;
}

/* libbcc's reader of /proc/kallsyms: it reads the file on the first
 * look-up. */
static struct ksyms *ksyms_of_bcc(void)
{
	struct ksyms *ks;

	if (access("/proc/kallsyms", R_OK))
		return NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return NULL;
	ks->bcc = bcc_symcache_new(-1, NULL);
	if (!ks->bcc) {
		free(ks);
		errno = ENOMEM;
		return NULL;
	}
	return ks;
}

static int ksyms_resolve_bcc(const struct ksyms *ks, uint64_t addr, struct sym_info *out)
{
	struct bcc_symbol sym = { 0 };

	if (bcc_symcache_resolve_no_demangle(ks->bcc, addr, &sym) || !sym.name)
		return -ENOENT;
	*out = (struct sym_info){ .name = sym.name, .offset = sym.offset, .module = sym.module };
	return 0;
}

struct ksyms *ksyms__load(const char *path)
{
	struct ksyms *ks = path ? calloc(1, sizeof(*ks)) : ksyms_of_bcc();
	FILE *f = path ? fopen(path, "re") : NULL;
	char line[2048];
	size_t lineno = 0;
	int err = 0;

	if (!path)
		return ks;
	if (!ks || !f) {
		err = -errno;
		goto err;
	}
	while (!err && fgets(line, sizeof(line), f))
		err = ksyms_add_line(ks, line, lineno++);
	if (err)
		goto err;
	fclose(f);
	qsort(ks->syms, ks->n, sizeof(*ks->syms), ksym_cmp);
	return ks;
err:
	if (f)
		fclose(f);
	ksyms__free(ks);
	errno = -err;
	return NULL;
}

/* As bcc's KSyms::resolve_addr: the last symbol whose address is not
 * above addr. */
int ksyms__resolve(const struct ksyms *ks, uint64_t addr, struct sym_info *out)
{
	size_t lo = 0, hi = ks ? ks->n : 0;

	if (ks && ks->bcc)
		return ksyms_resolve_bcc(ks, addr, out);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -ENOENT;
	*out = (struct sym_info){ .name = ks->syms[lo - 1].name,
				  .offset = addr - ks->syms[lo - 1].addr,
				  .module = ks->syms[lo - 1].module };
	return 0;
}

void ksyms__free(struct ksyms *ks)
{
	if (!ks)
		return;
	if (ks->bcc)
		bcc_free_symcache(ks->bcc, -1);
	for (size_t i = 0; i < ks->n; i++)
		free(ks->syms[i].name);
	for (size_t i = 0; i < ks->nmodules; i++)
		free(ks->modules[i]);
	free(ks->modules);
	free(ks->syms);
	free(ks);
}

struct usyms {
	pid_t pid;
	void *cache; /* libbcc's ProcSyms */
};

struct usyms *usyms__new(pid_t pid)
{
	struct usyms *us;
	char dir[32];

	if (pid <= 0) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
	if (access(dir, F_OK)) {
		errno = ESRCH;
		return NULL;
	}
	us = calloc(1, sizeof(*us));
	if (!us)
		return NULL;
	us->pid = pid;
	us->cache = bcc_symcache_new(pid, NULL);
	if (!us->cache) {
		free(us);
		errno = ENOMEM;
		return NULL;
	}
	return us;
}

int usyms__resolve(struct usyms *us, uint64_t addr, struct sym_info *out)
{
	struct bcc_symbol sym = { 0 };

	if (!us || bcc_symcache_resolve_no_demangle(us->cache, addr, &sym) || !sym.name)
		return -ENOENT;
	*out = (struct sym_info){ .name = sym.name, .offset = sym.offset, .module = sym.module };
	return 0;
}

pid_t usyms__pid(const struct usyms *us)
{
	return us ? us->pid : 0;
}

void usyms__free(struct usyms *us)
{
	if (!us)
		return;
	bcc_free_symcache(us->cache, us->pid);
	free(us);
}

int syms_is_kernel_addr(uint64_t addr)
{
	return addr >> 63;
}

int syms_format_frame(const struct ksyms *ks, struct usyms *us, uint64_t addr, char *buf,
		       size_t len)
{
	struct sym_info sym;
	int err = syms_is_kernel_addr(addr) ? ksyms__resolve(ks, addr, &sym)
					     : usyms__resolve(us, addr, &sym);

	if (!err)
		return snprintf(buf, len, "%s+0x%" PRIx64, sym.name, sym.offset);
	return snprintf(buf, len, "0x%" PRIx64 " [unknown]", addr);
}
