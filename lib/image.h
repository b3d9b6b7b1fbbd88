/* Everything loading a compiled BPF text needs, without libbcc's module:
 * each function's instructions, the license and kernel version, and each
 * table's definition. Map references in the instructions (ld_imm64 with
 * BPF_PSEUDO_MAP_FD) hold the table's index, patched to a real fd at load.
 * This is what the compile cache stores. */
#ifndef BCC_C_IMAGE_H
#define BCC_C_IMAGE_H

#include "compiler.h"

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

struct image_table {
	char *name;
	uint32_t type, key_size, leaf_size, max_entries, flags;
	char *key_desc, *leaf_desc;
	char **fields; /* perf_submit()'s struct: "name#type" each */
	uint32_t nfields;
};

struct image_func {
	char *name;
	struct bpf_insn *insns;
	uint32_t ninsns;
};

struct image {
	char *license;
	uint32_t kern_version;
	struct image_table *tables;
	uint32_t ntables;
	struct image_func *funcs;
	uint32_t nfuncs;
	/* false when the text uses something an image cannot stand for (map
	 * references that are not tables of its own, maps of maps, pinned or
	 * shared tables): its instructions then keep libbcc's fds as they are
	 * and it must not be cached */
	bool portable;
};

/* Builds img from a module compiled from text. Returns 0 or -ENOMEM. */
int image_from_module(const struct compiler *cc, void *mod, const char *text,
		      struct image *img);

/* The instructions of f with table references set to fds[index], in out
 * (f->ninsns entries). For a non-portable image they are copied as is.
 * Returns 0, or -EINVAL for a reference to a table that does not exist. */
int image_patch(const struct image *img, const struct image_func *f, const int *fds,
		struct bpf_insn *out);

const struct image_func *image_func(const struct image *img, const char *name);
/* Index of the table called name, or -1. */
int image_table_index(const struct image *img, const char *name);

/* A cache entry: key (the exact inputs it was built from) and the image.
 * *buf is malloc'd. Returns 0 or -ENOMEM. */
int image_serialize(const struct image *img, const char *key, void **buf, size_t *len);
/* Reads an entry. Returns 0; -ESTALE when it was built from another key;
 * -EINVAL when it is truncated or corrupt (every length is checked). */
int image_deserialize(const void *buf, size_t len, const char *key, struct image *img);

/* FNV-1a, 64 bits: cache file names and entry checksums (not security). */
uint64_t image_hash(const void *data, size_t len, uint64_t seed);
#define IMAGE_HASH_SEED 0xcbf29ce484222325ULL

void image_free(struct image *img);

#endif
