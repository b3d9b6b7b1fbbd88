/* libFuzzer target: perf event field lists and the decoding of events.
 * Input: field descriptions separated by '\n', a '\0', then event bytes. */
#include "event_decode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t dlen = nul ? (size_t)(nul - data) : size;
	char *descs = malloc(dlen + 1), *fields[EVENT_MAX_FIELDS + 1];
	struct event_layout l;
	size_t n = 0;
	FILE *out = fopen("/dev/null", "w");

	if (!descs || !out)
		goto done;
	memcpy(descs, data, dlen);
	descs[dlen] = '\0';
	for (char *save, *tok = strtok_r(descs, "\n", &save); tok && n <= EVENT_MAX_FIELDS;
	     tok = strtok_r(NULL, "\n", &save))
		fields[n++] = tok;
	if (event_layout_parse((const char *const *)fields, n, &l) == 0) {
		const uint8_t *ev = nul ? nul + 1 : data + size;
		size_t evlen = (size_t)(data + size - ev);

		/* fields must lie inside the struct they describe */
		for (size_t i = 0; i < l.n; i++)
			if (l.fields[i].offset + l.fields[i].elem_size * l.fields[i].count > l.size)
				abort();
		event_format(&l, ev, evlen, false, out);
		event_format(&l, ev, evlen, true, out);
	}
done:
	if (out)
		fclose(out);
	free(descs);
	return 0;
}
