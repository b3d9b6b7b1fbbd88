/* Cache entries: a round trip keeps everything; every truncation and
 * every flipped byte is caught; another key is a miss; map references
 * are patched to fds. */
#include "check.h"
#include "image.h"

#include <errno.h>
#include <stdlib.h>

static void build(struct image *img)
{
	static struct bpf_insn insns[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = 1 },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	memset(img, 0, sizeof(*img));
	img->portable = true;
	img->license = strdup("GPL");
	img->kern_version = 0x060100;
	img->ntables = 2;
	img->tables = calloc(2, sizeof(*img->tables));
	for (int i = 0; i < 2; i++) {
		struct image_table *t = &img->tables[i];

		t->name = strdup(i ? "events" : "counts");
		t->type = i ? BPF_MAP_TYPE_PERF_EVENT_ARRAY : BPF_MAP_TYPE_HASH;
		t->key_size = 4;
		t->leaf_size = i ? 4 : 8;
		t->max_entries = i ? 2 : 10240;
		t->key_desc = strdup("\"int\"");
		t->leaf_desc = strdup("\"unsigned long long\"");
	}
	img->tables[1].nfields = 2;
	img->tables[1].fields = calloc(2, sizeof(char *));
	img->tables[1].fields[0] = strdup("pid#u32");
	img->tables[1].fields[1] = strdup("comm#char[16]");
	img->nfuncs = 1;
	img->funcs = calloc(1, sizeof(*img->funcs));
	img->funcs[0].name = strdup("kprobe__tcp_v4_connect");
	img->funcs[0].ninsns = 4;
	img->funcs[0].insns = malloc(sizeof(insns));
	memcpy(img->funcs[0].insns, insns, sizeof(insns));
}

int main(void)
{
	struct image img, back;
	struct bpf_insn out[4];
	int fds[2] = { 7, 42 };
	unsigned char *buf;
	size_t len;

	build(&img);
	CHECK_INT(image_serialize(&img, "key-1", (void **)&buf, &len), 0);
	CHECK_INT(image_deserialize(buf, len, "key-1", &back), 0);
	CHECK_STR(back.license, "GPL");
	CHECK_INT(back.kern_version, 0x060100);
	CHECK_INT(back.ntables, 2);
	CHECK_STR(back.tables[1].name, "events");
	CHECK_INT(back.tables[0].max_entries, 10240);
	CHECK_STR(back.tables[1].fields[1], "comm#char[16]");
	CHECK_INT(back.nfuncs, 1);
	CHECK_STR(back.funcs[0].name, "kprobe__tcp_v4_connect");
	CHECK(!memcmp(back.funcs[0].insns, img.funcs[0].insns, 4 * sizeof(struct bpf_insn)));
	CHECK_INT(image_func(&back, "kprobe__tcp_v4_connect") != NULL, 1);
	CHECK_INT(image_table_index(&back, "events"), 1);
	CHECK_INT(image_table_index(&back, "nope"), -1);

	/* the reference to table 1 becomes its fd */
	CHECK_INT(image_patch(&back, &back.funcs[0], fds, out), 0);
	CHECK_INT(out[0].imm, 42);
	CHECK_INT(out[2].imm, 0);
	back.funcs[0].insns[0].imm = 5;
	CHECK_INT(image_patch(&back, &back.funcs[0], fds, out), -EINVAL);
	image_free(&back);

	/* another key: stale, not corrupt */
	CHECK_INT(image_deserialize(buf, len, "key-2", &back), -ESTALE);
	/* every truncation */
	for (size_t n = 0; n < len; n++)
		if (image_deserialize(buf, n, "key-1", &back) != -EINVAL) {
			fprintf(stderr, "truncated to %zu bytes: not caught\n", n);
			check_failures++;
		}
	/* every flipped byte */
	for (size_t i = 0; i < len; i++) {
		buf[i] ^= 0x5a;
		if (image_deserialize(buf, len, "key-1", &back) == 0) {
			fprintf(stderr, "byte %zu flipped: not caught\n", i);
			check_failures++;
			image_free(&back);
		}
		buf[i] ^= 0x5a;
	}
	free(buf);
	image_free(&img);
	return CHECK_DONE();
}
