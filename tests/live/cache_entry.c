/* Shows or damages a compile cache entry in place, for tests of what a
 * run does with an entry it cannot use:
 *   cache_entry ENTRY show                 tables and functions
 *   cache_entry ENTRY slots TABLE N        set TABLE's max_entries to N
 *   cache_entry ENTRY refuse FUNCTION      make the kernel refuse FUNCTION
 * The entry keeps its key and a valid checksum, so it is still a hit. */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* the key stored in the entry: after the 32-byte header, u32 length + bytes */
static char *stored_key(const unsigned char *buf, size_t len)
{
	uint32_t n;
	char *key;

	if (len < 36)
		return NULL;
	memcpy(&n, buf + 32, 4);
	if (n > len - 36 || !(key = malloc(n + 1)))
		return NULL;
	memcpy(key, buf + 36, n);
	key[n] = '\0';
	return key;
}

int main(int argc, char **argv)
{
	struct image img;
	unsigned char *buf;
	char *key;
	size_t len;
	FILE *f;
	int i;

	if (argc < 3 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: cache_entry ENTRY show|slots TABLE N|refuse FUNCTION\n");
		return 2;
	}
	buf = malloc(64 << 20);
	len = fread(buf, 1, 64 << 20, f);
	fclose(f);
	key = stored_key(buf, len);
	if (!key || image_deserialize(buf, len, key, &img)) {
		fprintf(stderr, "cache_entry: '%s' is not a cache entry\n", argv[1]);
		return 1;
	}
	free(buf);
	if (!strcmp(argv[2], "show")) {
		for (uint32_t t = 0; t < img.ntables; t++)
			printf("table %s type %u max_entries %u\n", img.tables[t].name,
			       img.tables[t].type, img.tables[t].max_entries);
		for (uint32_t k = 0; k < img.nfuncs; k++)
			printf("function %s insns %u\n", img.funcs[k].name, img.funcs[k].ninsns);
		return 0;
	}
	if (!strcmp(argv[2], "slots") && argc == 5 &&
	    (i = image_table_index(&img, argv[3])) >= 0) {
		img.tables[i].max_entries = (uint32_t)strtoul(argv[4], NULL, 0);
	} else if (!strcmp(argv[2], "refuse") && argc == 4 && image_func(&img, argv[3])) {
		/* exit before r0 is set: "R0 !read_ok" */
		struct image_func *fn = (struct image_func *)image_func(&img, argv[3]);

		fn->insns[0] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
	} else {
		fprintf(stderr, "cache_entry: bad arguments (or no such table or function)\n");
		return 2;
	}
	if (image_serialize(&img, key, (void **)&buf, &len) || !(f = fopen(argv[1], "w")) ||
	    fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "cache_entry: cannot rewrite '%s'\n", argv[1]);
		return 1;
	}
	return 0;
}
