/* libFuzzer target: trace_pipe lines. */
#include "trace_pipe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct trace_fields f;
	unsigned long lost;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (trace_line_parse(line, &f, &lost) == TRACE_LINE_MSG) {
		/* what a caller reads must be a valid string inside the line */
		if (strlen(f.msg) > size || strlen(f.task) >= sizeof(f.task))
			abort();
	}
	free(line);
	return 0;
}
