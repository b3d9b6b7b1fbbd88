#include "image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "BCCCACHE"
#define FORMAT_VERSION 1
#define MAX_COUNT (1u << 20)

uint64_t image_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static bool is_map_ref(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_DW | BPF_IMM) && insn->src_reg == BPF_PSEUDO_MAP_FD;
}

/* Texts whose tables are not all private to the program, which a cache
 * would silently turn into fresh private maps. */
static bool shares_tables(const char *text)
{
	static const char *const words[] = { "BPF_TABLE_PINNED", "BPF_TABLE_PUBLIC",
					     "BPF_TABLE_SHARED", "\"extern\"" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(text, words[i]))
			return true;
	return false;
}

static bool table_type_portable(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case BPF_MAP_TYPE_STRUCT_OPS:
		return false;
	default:
		return true;
	}
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int table_from_module(const struct compiler *cc, void *mod, size_t id,
			     struct image_table *t)
{
	t->name = dup_or_empty(cc->table_name(mod, id));
	t->type = (uint32_t)cc->table_type_id(mod, id);
	t->key_size = (uint32_t)cc->table_key_size_id(mod, id);
	t->leaf_size = (uint32_t)cc->table_leaf_size_id(mod, id);
	t->max_entries = (uint32_t)cc->table_max_entries_id(mod, id);
	t->flags = (uint32_t)cc->table_flags_id(mod, id);
	t->key_desc = dup_or_empty(cc->table_key_desc_id(mod, id));
	t->leaf_desc = dup_or_empty(cc->table_leaf_desc_id(mod, id));
	if (!t->name || !t->key_desc || !t->leaf_desc)
		return -ENOMEM;
	t->nfields = (uint32_t)cc->perf_event_fields(mod, t->name);
	if (!t->nfields)
		return 0;
	t->fields = calloc(t->nfields, sizeof(*t->fields));
	if (!t->fields)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->nfields; i++)
		if (!(t->fields[i] = dup_or_empty(cc->perf_event_field(mod, t->name, i))))
			return -ENOMEM;
	return 0;
}

/* Replaces libbcc's map fds by table indexes; false when a reference is
 * to something that is not one of the tables. */
static bool normalize(struct image_func *f, const int *fds, uint32_t nfds)
{
	for (uint32_t i = 0; i + 1 < f->ninsns; i++) {
		uint32_t k;

		if (!is_map_ref(&f->insns[i]))
			continue;
		for (k = 0; k < nfds && fds[k] != f->insns[i].imm; k++)
			;
		if (k == nfds)
			return false;
		f->insns[i].imm = (int32_t)k;
		i++; /* the second half of ld_imm64 */
	}
	return true;
}

int image_from_module(const struct compiler *cc, void *mod, const char *text,
		      struct image *img)
{
	int *fds = NULL, err = -ENOMEM;
	struct image_func *copies = NULL;

	memset(img, 0, sizeof(*img));
	img->license = dup_or_empty(cc->license(mod));
	img->kern_version = cc->kern_version(mod);
	img->ntables = (uint32_t)cc->num_tables(mod);
	img->nfuncs = (uint32_t)cc->num_functions(mod);
	img->tables = calloc(img->ntables ? img->ntables : 1, sizeof(*img->tables));
	img->funcs = calloc(img->nfuncs ? img->nfuncs : 1, sizeof(*img->funcs));
	fds = calloc(img->ntables ? img->ntables : 1, sizeof(*fds));
	copies = calloc(img->nfuncs ? img->nfuncs : 1, sizeof(*copies));
	if (!img->license || !img->tables || !img->funcs || !fds || !copies)
		goto out;
	img->portable = !shares_tables(text);
	for (uint32_t i = 0; i < img->ntables; i++) {
		if (table_from_module(cc, mod, i, &img->tables[i]))
			goto out;
		fds[i] = cc->table_fd_id(mod, i);
		img->portable &= table_type_portable(img->tables[i].type);
	}
	for (uint32_t i = 0; i < img->nfuncs; i++) {
		struct image_func *f = &img->funcs[i];
		size_t size;

		f->name = dup_or_empty(cc->function_name(mod, i));
		if (!f->name)
			goto out;
		size = cc->function_size(mod, f->name);
		f->ninsns = (uint32_t)(size / sizeof(struct bpf_insn));
		f->insns = malloc(size ? size : 1);
		copies[i].insns = malloc(size ? size : 1);
		if (!f->insns || !copies[i].insns)
			goto out;
		memcpy(f->insns, cc->function_start(mod, f->name), size);
		memcpy(copies[i].insns, f->insns, size);
		copies[i].ninsns = f->ninsns;
		img->portable &= normalize(&copies[i], fds, img->ntables);
	}
	/* portable: keep the table indexes; otherwise libbcc's fds stay */
	if (img->portable)
		for (uint32_t i = 0; i < img->nfuncs; i++) {
			struct bpf_insn *tmp = img->funcs[i].insns;

			img->funcs[i].insns = copies[i].insns;
			copies[i].insns = tmp;
		}
	err = 0;
out:
	for (uint32_t i = 0; copies && i < img->nfuncs; i++)
		free(copies[i].insns);
	free(copies);
	free(fds);
	if (err)
		image_free(img);
	return err;
}

int image_patch(const struct image *img, const struct image_func *f, const int *fds,
		struct bpf_insn *out)
{
	memcpy(out, f->insns, f->ninsns * sizeof(*out));
	if (!img->portable)
		return 0;
	for (uint32_t i = 0; i + 1 < f->ninsns; i++) {
		if (!is_map_ref(&out[i]))
			continue;
		if (out[i].imm < 0 || (uint32_t)out[i].imm >= img->ntables)
			return -EINVAL;
		out[i].imm = fds[out[i].imm];
		i++;
	}
	return 0;
}

const struct image_func *image_func(const struct image *img, const char *name)
{
	for (uint32_t i = 0; i < img->nfuncs; i++)
		if (!strcmp(img->funcs[i].name, name))
			return &img->funcs[i];
	return NULL;
}

int image_table_index(const struct image *img, const char *name)
{
	for (uint32_t i = 0; i < img->ntables; i++)
		if (!strcmp(img->tables[i].name, name))
			return (int)i;
	return -1;
}

void image_free(struct image *img)
{
	for (uint32_t i = 0; img->tables && i < img->ntables; i++) {
		struct image_table *t = &img->tables[i];

		free(t->name);
		free(t->key_desc);
		free(t->leaf_desc);
		for (uint32_t k = 0; t->fields && k < t->nfields; k++)
			free(t->fields[k]);
		free(t->fields);
	}
	for (uint32_t i = 0; img->funcs && i < img->nfuncs; i++) {
		free(img->funcs[i].name);
		free(img->funcs[i].insns);
	}
	free(img->tables);
	free(img->funcs);
	free(img->license);
	memset(img, 0, sizeof(*img));
}

/* --- entries: MAGIC, u32 version, u32 0, u64 payload length, u64
 * checksum of the payload, payload. Strings are u32 length + bytes. */

struct writer {
	unsigned char *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct writer *w, const void *p, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n > w->cap) {
		size_t cap = (w->cap ? w->cap * 2 : 4096) + n;
		unsigned char *b = realloc(w->buf, cap);

		if (!b) {
			w->oom = true;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put_u32(struct writer *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_str(struct writer *w, const char *s)
{
	put_u32(w, (uint32_t)strlen(s));
	put(w, s, strlen(s));
}

int image_serialize(const struct image *img, const char *key, void **buf, size_t *len)
{
	struct writer w = { 0 };
	uint64_t plen, sum;
	size_t header = 8 + 4 + 4 + 8 + 8;

	put(&w, MAGIC, 8);
	put_u32(&w, FORMAT_VERSION);
	put_u32(&w, 0);
	put(&w, &(uint64_t){ 0 }, 8);
	put(&w, &(uint64_t){ 0 }, 8);
	put_str(&w, key);
	put_str(&w, img->license);
	put_u32(&w, img->kern_version);
	put_u32(&w, img->ntables);
	for (uint32_t i = 0; i < img->ntables; i++) {
		const struct image_table *t = &img->tables[i];

		put_str(&w, t->name);
		put_u32(&w, t->type);
		put_u32(&w, t->key_size);
		put_u32(&w, t->leaf_size);
		put_u32(&w, t->max_entries);
		put_u32(&w, t->flags);
		put_str(&w, t->key_desc);
		put_str(&w, t->leaf_desc);
		put_u32(&w, t->nfields);
		for (uint32_t k = 0; k < t->nfields; k++)
			put_str(&w, t->fields[k]);
	}
	put_u32(&w, img->nfuncs);
	for (uint32_t i = 0; i < img->nfuncs; i++) {
		put_str(&w, img->funcs[i].name);
		put_u32(&w, img->funcs[i].ninsns);
		put(&w, img->funcs[i].insns, img->funcs[i].ninsns * sizeof(struct bpf_insn));
	}
	if (w.oom) {
		free(w.buf);
		return -ENOMEM;
	}
	plen = w.len - header;
	sum = image_hash(w.buf + header, plen, IMAGE_HASH_SEED);
	memcpy(w.buf + 16, &plen, 8);
	memcpy(w.buf + 24, &sum, 8);
	*buf = w.buf;
	*len = w.len;
	return 0;
}

struct reader {
	const unsigned char *p, *end;
	bool bad;
};

static void get(struct reader *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static uint32_t get_u32(struct reader *r)
{
	uint32_t v;

	get(r, &v, sizeof(v));
	return v;
}

/* a count that cannot exceed what is left of the entry */
static uint32_t get_count(struct reader *r, size_t min_item)
{
	uint32_t n = get_u32(r);

	if (n > MAX_COUNT || (size_t)n * min_item > (size_t)(r->end - r->p))
		r->bad = true;
	return r->bad ? 0 : n;
}

static char *get_str(struct reader *r)
{
	uint32_t n = get_count(r, 1);
	char *s;

	if (r->bad)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s) {
		r->bad = true;
		return NULL;
	}
	get(r, s, n);
	s[n] = '\0';
	if (memchr(s, '\0', n))
		r->bad = true; /* strings never hold NUL */
	return s;
}

int image_deserialize(const void *buf, size_t len, const char *key, struct image *img)
{
	struct reader r = { buf, (const unsigned char *)buf + len, false };
	char magic[8], *stored_key;
	uint32_t version, zero;
	uint64_t plen, sum;
	int err = -EINVAL;

	memset(img, 0, sizeof(*img));
	get(&r, magic, 8);
	version = get_u32(&r);
	zero = get_u32(&r);
	get(&r, &plen, 8);
	get(&r, &sum, 8);
	if (r.bad || memcmp(magic, MAGIC, 8) || version != FORMAT_VERSION || zero ||
	    plen != (uint64_t)(r.end - r.p) || sum != image_hash(r.p, plen, IMAGE_HASH_SEED))
		return -EINVAL;
	stored_key = get_str(&r);
	if (!stored_key || strcmp(stored_key, key)) {
		free(stored_key);
		return r.bad ? -EINVAL : -ESTALE;
	}
	free(stored_key);
	img->portable = true;
	img->license = get_str(&r);
	img->kern_version = get_u32(&r);
	img->ntables = get_count(&r, 6 * 4);
	img->tables = calloc(img->ntables ? img->ntables : 1, sizeof(*img->tables));
	if (!img->tables)
		goto out;
	for (uint32_t i = 0; i < img->ntables && !r.bad; i++) {
		struct image_table *t = &img->tables[i];

		t->name = get_str(&r);
		t->type = get_u32(&r);
		t->key_size = get_u32(&r);
		t->leaf_size = get_u32(&r);
		t->max_entries = get_u32(&r);
		t->flags = get_u32(&r);
		t->key_desc = get_str(&r);
		t->leaf_desc = get_str(&r);
		t->nfields = get_count(&r, 4);
		if (r.bad)
			break;
		t->fields = calloc(t->nfields ? t->nfields : 1, sizeof(*t->fields));
		if (!t->fields) {
			r.bad = true;
			break;
		}
		for (uint32_t k = 0; k < t->nfields && !r.bad; k++)
			t->fields[k] = get_str(&r);
	}
	img->nfuncs = get_count(&r, 8);
	img->funcs = calloc(img->nfuncs ? img->nfuncs : 1, sizeof(*img->funcs));
	if (!img->funcs)
		goto out;
	for (uint32_t i = 0; i < img->nfuncs && !r.bad; i++) {
		struct image_func *f = &img->funcs[i];

		f->name = get_str(&r);
		f->ninsns = get_count(&r, sizeof(struct bpf_insn));
		if (r.bad)
			break;
		f->insns = malloc(((size_t)f->ninsns ? f->ninsns : 1) * sizeof(struct bpf_insn));
		if (!f->insns) {
			r.bad = true;
			break;
		}
		get(&r, f->insns, (size_t)f->ninsns * sizeof(struct bpf_insn));
	}
	if (!r.bad && r.p == r.end)
		err = 0;
out:
	if (err)
		image_free(img);
	return err;
}
