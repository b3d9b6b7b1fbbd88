#include "stacks.h"

#include "notice.h"
#include "render.h"
#include "stack_trace.h"
#include "syms.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IDS 8        /* id members of one key or event */
#define MAX_SYMCACHES 16 /* processes whose symbols are kept */

/* A process's symbols, loaded once: bcc reads every mapped ELF file. */
struct symcache {
	int pid; /* 0: a free slot */
	struct usyms *syms;
};

struct stack_table {
	struct tracer_table tab;
	bool referred; /* some key or event holds its ids */
};

/* A table whose whole key is a stack id, as the text says. */
struct id_key {
	char *table;
	struct stack_table *st;
	bool user;
};

/* Invariant: tables[0 .. ntables) are the text's BPF_STACK_TRACE tables;
 * caches[] hold up to MAX_SYMCACHES processes, replaced round robin. */
struct stacks {
	struct stack_table *tables;
	size_t ntables;
	struct ksyms *kernel; /* /proc/kallsyms, loaded on first use */
	bool kernel_tried;
	struct symcache caches[MAX_SYMCACHES];
	size_t next_cache;
	bool noted_ambiguous;
	const char *text; /* the BPF text, for keys that are stack ids */
	int pid; /* the one process user stack ids without a pid belong to, or 0 */
	struct id_key *keys;
	size_t nkeys;
	char undecided[256]; /* "'a', 'b'": integer keys the text says nothing of */
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
		usyms__free(s->caches[i].syms);
	ksyms__free(s->kernel);
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->keys[i].table);
	free(s->keys);
	free(s->tables);
	free(s);
}

void stacks__set_text(struct stacks *s, const char *text)
{
	if (s)
		s->text = text;
}

void stacks__set_pid(struct stacks *s, int pid)
{
	if (s)
		s->pid = pid;
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

static struct id_key *id_key_of(const struct stacks *s, const char *table)
{
	for (size_t i = 0; s && i < s->nkeys; i++)
		if (!strcmp(s->keys[i].table, table))
			return &s->keys[i];
	return NULL;
}

bool stacks__claim_key(struct stacks *s, const char *table, const struct td_type *kt)
{
	struct stack_table *st = NULL;
	struct id_key *keys;
	char stack[128];
	bool user;
	size_t used;

	if (!s || kt->kind == TD_STRUCT)
		return stacks__claim_type(s, kt);
	if (!s->ntables || !td_is_integer(kt) || (kt->size != 4 && kt->size != 8))
		return false;
	if (id_key_of(s, table))
		return true;
	if (stacks_text_id_key(s->text, table, stack, sizeof(stack), &user))
		for (size_t i = 0; i < s->ntables; i++)
			if (!strcmp(s->tables[i].tab.name, stack))
				st = &s->tables[i];
	if (!st) {
		used = strlen(s->undecided);
		snprintf(s->undecided + used, sizeof(s->undecided) - used, "%s'%s'",
			 used ? ", " : "", table);
		return false;
	}
	keys = realloc(s->keys, (s->nkeys + 1) * sizeof(*keys));
	if (!keys)
		return false;
	s->keys = keys;
	keys[s->nkeys] = (struct id_key){ .table = strdup(table), .st = st, .user = user };
	if (!keys[s->nkeys].table)
		return false;
	s->nkeys++;
	st->referred = true;
	if (user && !s->pid)
		note(s, "table '%s': its keys are user stack ids of '%s' with no pid beside them, "
			"so their frames print as addresses; limit the uprobes to one process "
			"with -p PID, or key the table by a struct with a 'pid' and a "
			"'user_stack_id' member, to see symbols", table, stack);
	return true;
}

const char *stacks__undecided_keys(const struct stacks *s)
{
	return s ? s->undecided : "";
}

bool stacks__is_referred(const struct stacks *s, const char *name)
{
	for (size_t i = 0; s && i < s->ntables; i++)
		if (!strcmp(s->tables[i].tab.name, name))
			return s->tables[i].referred;
	return false;
}

/* pid's symbols (NULL when they cannot be read); an object is kept per
 * process, even a failed one, so that each is tried once. */
static struct usyms *usyms_for(struct stacks *s, int pid)
{
	struct symcache *c;

	if (pid <= 0)
		return NULL;
	for (size_t i = 0; i < MAX_SYMCACHES; i++)
		if (s->caches[i].pid == pid)
			return s->caches[i].syms;
	c = &s->caches[s->next_cache];
	s->next_cache = (s->next_cache + 1) % MAX_SYMCACHES;
	usyms__free(c->syms);
	c->pid = pid;
	c->syms = usyms__new(pid);
	return c->syms;
}

/* The kernel's symbols, read on the first kernel frame. */
static const struct ksyms *ksyms_of(struct stacks *s)
{
	if (!s->kernel && !s->kernel_tried) {
		s->kernel_tried = true;
		s->kernel = ksyms__load(NULL);
	}
	return s->kernel;
}

/* "sym+0xoff", or "0xADDR [unknown]"; NULL when out of memory. */
static char *frame_name(struct stacks *s, uint64_t addr, int pid)
{
	bool kernel = syms_is_kernel_addr(addr);
	const struct ksyms *ks = kernel ? ksyms_of(s) : NULL;
	struct usyms *us = kernel ? NULL : usyms_for(s, pid);
	int len = syms_format_frame(ks, us, addr, NULL, 0);
	char *str = len < 0 ? NULL : malloc((size_t)len + 1);

	if (str)
		syms_format_frame(ks, us, addr, str, (size_t)len + 1);
	return str;
}

/* The stack of id in st under the heading name. */
static void print_stack(struct stacks *s, struct stack_table *st, const char *name, long long id,
			int pid, bool json, FILE *out)
{
	size_t depth = st ? st->tab.leaf_size / sizeof(uint64_t) : 0, n = 0;
	uint64_t *ips = calloc(depth ? depth : 1, sizeof(*ips));
	char **frames = calloc(depth ? depth : 1, sizeof(*frames));
	int got = st && ips ? stack_trace__ips(&st->tab, id, ips, depth) : 0;

	if (!st || !ips || !frames)
		goto out;
	for (; got > 0 && n < (size_t)got; n++)
		if (!(frames[n] = frame_name(s, ips[n], pid)))
			goto out;
	render_stack(out, name, id, (const char *const *)frames, n, json);
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
		print_stack(s, table_for(s, refs[i].name), refs[i].name, refs[i].id, pid, json, out);
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

void stacks__print_key(struct stacks *s, const char *table, const struct td_type *kt,
		       const void *data, bool json, FILE *out)
{
	struct id_key *k = kt->kind == TD_STRUCT ? NULL : id_key_of(s, table);

	if (!k) {
		stacks__print_value(s, kt, data, json, out);
		return;
	}
	if (json)
		fputs(",\"stacks\":{", out);
	/* the key is the id: its stack is the key's, as bcc's tools print it */
	print_stack(s, k->st, "key", as_id(td_uint(kt, data), kt->size), k->user ? s->pid : 0,
		    json, out);
	if (json)
		fputc('}', out);
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
