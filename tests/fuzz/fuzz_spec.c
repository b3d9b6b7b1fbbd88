/* libFuzzer target: bcc-run's -u/-k/-t specs. */
#include "spec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct spec sp;
	const char *why;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (int fields = 2; fields <= 3; fields++) {
		int r = spec_parse(s, fields, &sp, &why);

		/* accepted specs name a target and a function; refusals say why */
		if ((r == 0 && (!sp.fn[0] || !sp.target[0])) || (r != 0 && !why))
			abort();
	}
	free(s);
	return 0;
}
