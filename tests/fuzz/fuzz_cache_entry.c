/* libFuzzer target: the cache-entry reader. The first byte chooses
 * whether the checksum is fixed up, so the fuzzer gets past it to the
 * parser proper. */
#include "image.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KEY "fuzz-key"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image img;
	uint8_t *buf;

	if (size < 1)
		return 0;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 1 && size - 1 >= 32) {
		uint64_t plen = size - 1 - 32, sum = image_hash(buf + 32, plen, IMAGE_HASH_SEED);

		memcpy(buf, "BCCCACHE\1\0\0\0\0\0\0\0", 16);
		memcpy(buf + 16, &plen, 8);
		memcpy(buf + 24, &sum, 8);
	}
	if (image_deserialize(buf, size - 1, KEY, &img) == 0) {
		struct bpf_insn *out;

		for (uint32_t i = 0; i < img.nfuncs; i++) {
			int fds[1] = { 3 };

			out = malloc((img.funcs[i].ninsns + 1) * sizeof(*out));
			if (out && img.ntables <= 1)
				image_patch(&img, &img.funcs[i], fds, out);
			free(out);
		}
		image_free(&img);
	}
	free(buf);
	return 0;
}
