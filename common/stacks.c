#include "stacks.h"

#include "notice.h"
#include "render.h"
#include "table.h"

#include <bcc/bcc_syms.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IDS 8        /* id members of one key or event */
#define MAX_SYMCACHES 16 /* processes whose symbols are kept */

/* A process's symbols, loaded once: bcc reads every mapped ELF file. */
struct symcache {
	int pid;
	void *cache;
};

struct stack_table {
	struct tracer_table tab;
	bool referred; /* some key or event holds its ids */
};

/* Invariant: tables[0 .. ntables) are the text's BPF_STACK_TRACE tables;
 * caches[] hold up to MAX_SYMCACHES processes, replaced round robin. */
struct stacks {
	struct stack_table *tables;
	size_t ntables;
	void *kernel; /* libbcc's /proc/kallsyms symbols, loaded on first use */
	struct symcache caches[MAX_SYMCACHES];
	size_t next_cache;
	bool noted_ambiguous;
	void (*note)(const char *msg, void *ctx);
	void *ctx;
};

/* One id member of a key or event, and the process it belongs to. */
struct id_ref {
	const char *name;
	long long id;
};

__attribute__((format(printf, 2, 3))) static void note(struct stacks *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnotice(s->note, s->ctx, fmt, ap);
	va_end(ap);
}

struct stacks *stacks__new(struct tracer *t, void (*note_fn)(const char *msg, void *ctx),
			   void *ctx)
{
	struct stacks *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->note = note_fn;
	s->ctx = ctx;
	for (size_t i = 0; i < tracer__num_tables(t); i++) {
		struct tracer_table tab;
		struct stack_table *tables;

		if (tracer__table_at(t, i, &tab) || tab.type != BPF_MAP_TYPE_STACK_TRACE)
			continue;
		tables = realloc(s->tables, (s->ntables + 1) * sizeof(*tables));
		if (!tables) {
			stacks__free(s);
			errno = ENOMEM;
			return NULL;
		}
		s->tables = tables;
		s->tables[s->ntables++] = (struct stack_table){ .tab = tab };
	}
	return s;
}

void stacks__free(struct stacks *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < MAX_SYMCACHES; i++)
		if (s->caches[i].cache)
			bcc_free_symcache(s->caches[i].cache, s->caches[i].pid);
	if (s->kernel)
		bcc_free_symcache(s->kernel, -1);
	free(s->tables);
	free(s);
}

static size_t id_suffix(const char *name)
{
	static const char *const suffixes[] = { "stack_id", "stackid" };
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t n = strlen(suffixes[i]);

		if (len >= n && !strcmp(name + len - n, suffixes[i]))
			return n;
	}
	return 0;
}

bool stacks_is_id_name(const char *name)
{
	return id_suffix(name) != 0;
}

/* The only stack table, or the only one whose name holds the member's
 * name without its suffix ("user" of "user_stack_id"); NULL otherwise. */
static struct stack_table *table_for(struct stacks *s, const char *name)
{
	size_t stem = strlen(name) - id_suffix(name);
	struct stack_table *found = NULL;

	while (stem && name[stem - 1] == '_')
		stem--;
	if (s->ntables == 1)
		return &s->tables[0];
	for (size_t i = 0; stem && i < s->ntables; i++) {
		if (!memmem(s->tables[i].tab.name, strlen(s->tables[i].tab.name), name, stem))
			continue;
		if (found)
			return NULL;
		found = &s->tables[i];
	}
	return found;
}

static bool claim(struct stacks *s, const char *name)
{
	struct stack_table *st;

	if (!stacks_is_id_name(name))
		return false;
	st = table_for(s, name);
	if (st) {
		st->referred = true;
	} else if (!s->noted_ambiguous) {
		s->noted_ambiguous = true;
		if (s->ntables)
			note(s, "member '%s' holds a stack id, but which of the text's %zu "
				"BPF_STACK_TRACE tables it refers to is ambiguous: name the "
				"table after the member (e.g. 'user_stack_id' -> 'user_stacks'); "
				"its stacks are not printed", name, s->ntables);
		else
			note(s, "member '%s' looks like a stack id, but the text has no "
				"BPF_STACK_TRACE table; it is printed as a number", name);
	}
	return true;
}

bool stacks__claim_type(struct stacks *s, const struct td_type *t)
{
	bool any = false;

	for (size_t i = 0; s && t->kind == TD_STRUCT && i < t->nfields; i++)
		if (td_is_integer(t->fields[i].type) && t->fields[i].type->size <= 8)
			any |= claim(s, t->fields[i].name);
	return any;
}

bool stacks__claim_layout(struct stacks *s, const struct event_layout *l)
{
	bool any = false;

	for (size_t i = 0; s && i < l->n; i++)
		if (l->fields[i].count == 1 && (l->fields[i].kind == FIELD_INT ||
						l->fields[i].kind == FIELD_UINT))
			any |= claim(s, l->fields[i].name);
	return any;
}

bool stacks__is_referred(const struct stacks *s, const char *name)
{
	for (size_t i = 0; s && i < s->ntables; i++)
		if (!strcmp(s->tables[i].tab.name, name))
			return s->tables[i].referred;
	return false;
}

/* pid's symbols (NULL when libbcc cannot load them). */
static void *symcache_for(struct stacks *s, int pid)
{
	struct symcache *c;

	if (pid < 0) {
		if (!s->kernel)
			s->kernel = bcc_symcache_new(-1, NULL);
		return s->kernel;
	}
	for (size_t i = 0; i < MAX_SYMCACHES; i++)
		if (s->caches[i].cache && s->caches[i].pid == pid)
			return s->caches[i].cache;
	c = &s->caches[s->next_cache];
	s->next_cache = (s->next_cache + 1) % MAX_SYMCACHES;
	if (c->cache)
		bcc_free_symcache(c->cache, c->pid);
	c->pid = pid;
	c->cache = bcc_symcache_new(pid, NULL);
	return c->cache;
}

/* x86_64 and arm64 keep the kernel in the upper half of the address space. */
static bool is_kernel_addr(uint64_t addr)
{
	return addr >> 63;
}

/* "sym+0xoff", or "0xADDR [unknown]"; NULL when out of memory. */
static char *frame_name(struct stacks *s, uint64_t addr, int pid)
{
	void *cache = symcache_for(s, is_kernel_addr(addr) ? -1 : pid);
	struct bcc_symbol sym = { 0 };
	char *str;

	if (cache && (is_kernel_addr(addr) || pid > 0) &&
	    bcc_symcache_resolve_no_demangle(cache, addr, &sym) == 0 && sym.name)
		return asprintf(&str, "%s+0x%" PRIx64, sym.name, sym.offset) < 0 ? NULL : str;
	return asprintf(&str, "0x%" PRIx64 " [unknown]", addr) < 0 ? NULL : str;
}

static void print_stack(struct stacks *s, const struct id_ref *ref, int pid, bool json,
			FILE *out)
{
	struct stack_table *st = table_for(s, ref->name);
	size_t depth = st ? st->tab.leaf_size / sizeof(uint64_t) : 0, n = 0;
	uint64_t *ips = calloc(depth ? depth : 1, sizeof(*ips));
	char **frames = calloc(depth ? depth : 1, sizeof(*frames));
	uint32_t key = (uint32_t)ref->id;

	if (!st || !ips || !frames)
		goto out;
	if (ref->id >= 0 && table__lookup(&st->tab, &key, ips) == 0) {
		/* the kernel ends a stack shorter than the table's depth with 0 */
		for (; n < depth && ips[n]; n++)
			if (!(frames[n] = frame_name(s, ips[n], pid)))
				goto out;
	}
	render_stack(out, ref->name, ref->id, (const char *const *)frames, n, json);
out:
	for (size_t i = 0; i < n; i++)
		free(frames[i]);
	free(frames);
	free(ips);
}

static void print_refs(struct stacks *s, const struct id_ref *refs, size_t n, int pid,
		       bool json, FILE *out)
{
	if (!n)
		return;
	if (json)
		fputs(",\"stacks\":{", out);
	for (size_t i = 0; i < n; i++) {
		if (json && i)
			fputc(',', out);
		print_stack(s, &refs[i], pid, json, out);
	}
	if (json)
		fputc('}', out);
}

/* get_stackid() returns a long: an errno kept in a u32 member is negative
 * again. */
static long long as_id(unsigned long long v, size_t size)
{
	return size == 4 ? (int32_t)(uint32_t)v : (long long)v;
}

static bool is_pid_name(const char *name)
{
	return !strcmp(name, "pid") || !strcmp(name, "tgid");
}

void stacks__print_value(struct stacks *s, const struct td_type *t, const void *data,
			 bool json, FILE *out)
{
	const unsigned char *p = data;
	struct id_ref refs[MAX_IDS];
	size_t n = 0;
	int pid = 0;

	for (size_t i = 0; s && t->kind == TD_STRUCT && i < t->nfields; i++) {
		const struct td_field *f = &t->fields[i];

		if (!td_is_integer(f->type) || f->type->size > 8)
			continue;
		if (is_pid_name(f->name))
			pid = (int)td_uint(f->type, p + f->offset);
		else if (stacks_is_id_name(f->name) && n < MAX_IDS && table_for(s, f->name))
			refs[n++] = (struct id_ref){ f->name, as_id(td_uint(f->type, p + f->offset),
								     f->type->size) };
	}
	print_refs(s, refs, n, pid, json, out);
}

static long long field_int(const struct event_field *f, const unsigned char *p)
{
	int64_t v = 0;

	switch (f->elem_size) {
	case 1: return f->kind == FIELD_INT ? (int8_t)p[f->offset] : p[f->offset];
	case 2: { int16_t x; memcpy(&x, p + f->offset, 2);
		  return f->kind == FIELD_INT ? x : (uint16_t)x; }
	case 4: { int32_t x; memcpy(&x, p + f->offset, 4);
		  return f->kind == FIELD_INT ? (long long)x : (long long)(uint32_t)x; }
	case 8: memcpy(&v, p + f->offset, 8); return v;
	default: return 0;
	}
}

void stacks__print_event(struct stacks *s, const struct event_layout *l, const void *data,
			 size_t size, bool json, FILE *out)
{
	struct id_ref refs[MAX_IDS];
	size_t n = 0;
	int pid = 0;

	for (size_t i = 0; s && i < l->n; i++) {
		const struct event_field *f = &l->fields[i];

		if (f->count != 1 || (f->kind != FIELD_INT && f->kind != FIELD_UINT) ||
		    f->elem_size > 8 || f->offset + f->elem_size > size)
			continue;
		if (is_pid_name(f->name))
			pid = (int)field_int(f, data);
		else if (stacks_is_id_name(f->name) && n < MAX_IDS && table_for(s, f->name))
			refs[n++] = (struct id_ref){ f->name, as_id((unsigned long long)
								     field_int(f, data),
								     f->elem_size) };
	}
	print_refs(s, refs, n, pid, json, out);
}
