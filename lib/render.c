#include "render.h"


#include <arpa/inet.h>
#include <string.h>

void render_u128(FILE *out, const void *data, bool is_signed)
{
	unsigned __int128 v;
	char buf[48], *p = buf + sizeof(buf) - 1;
	bool neg = false;

	memcpy(&v, data, sizeof(v));
	if (is_signed && (v >> 127)) {
		neg = true;
		v = ~v + 1;
	}
	*p = '\0';
	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	fputs(p, out);
}

bool render_is_ipv6_name(const char *name)
{
	return strstr(name, "addr") || strstr(name, "ip6") || strstr(name, "v6");
}

void render_ipv6(FILE *out, const void *data, bool json)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, data, buf, sizeof(buf))) {
		render_u128(out, data, false);
		return;
	}
	fprintf(out, json ? "\"%s\"" : "%s", buf);
}

bool render_byte_addr(FILE *out, const char *name, const void *data, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	int af = n == 4 ? AF_INET : n == 16 ? AF_INET6 : 0;

	if (!af || !render_is_ipv6_name(name) || !inet_ntop(af, data, buf, sizeof(buf)))
		return false;
	fputs(buf, out);
	return true;
}

bool render_is_byte_array(const struct td_type *t)
{
	return t->kind == TD_ARRAY && t->elem->kind == TD_UINT && t->elem->size == 1;
}

static void render_int(FILE *out, const struct td_type *t, const void *data)
{
	unsigned long long u;

	if (t->size == 16) {
		render_u128(out, data, t->kind == TD_INT);
		return;
	}
	u = td_uint(t, data);
	if (t->kind == TD_INT)
		fprintf(out, "%lld", (long long)u);
	else
		fprintf(out, "%llu", u);
}

/* How a value is shown: a table's key or leaf (char[] quoted, ", "
 * between elements in text), or an event's field (char[] bare, as bcc's
 * tools print a comm, "," between elements, and the field's name kept
 * for each element, so an array of addresses prints as addresses). */
struct style {
	bool json;
	bool event;
};

static void print(FILE *out, const char *name, const struct td_type *t, const void *data,
		  const struct style *st);

static void print_array(FILE *out, const char *name, const struct td_type *t,
			const unsigned char *p, const struct style *st)
{
	if (!st->json && render_is_byte_array(t)) {
		if (!name || !render_byte_addr(out, name, p, t->count))
			render_escape(out, (const char *)p, t->count,
				      RENDER_ESC_QUOTE | RENDER_ESC_BYTES);
		return;
	}
	fputc('[', out);
	for (size_t i = 0; i < t->count; i++) {
		fputs(i ? (st->json || st->event ? "," : ", ") : "", out);
		print(out, st->event ? name : NULL, t->elem, p + i * t->elem->size, st);
	}
	fputc(']', out);
}

static void print_record(FILE *out, const struct td_type *t, const unsigned char *p,
			 const struct style *st)
{
	bool first = true;

	fputc('{', out);
	for (size_t i = 0; i < t->nfields; i++) {
		const struct td_field *f = &t->fields[i];

		if (f->padding)
			continue;
		fputs(first ? "" : (st->json ? "," : ", "), out);
		first = false;
		if (st->json) {
			json_string(out, f->name, strlen(f->name));
			fputc(':', out);
		} else {
			fprintf(out, "%s=", f->name);
		}
		print(out, f->name, f->type, p + f->offset, st);
	}
	fputc('}', out);
}

/* The one printer: name is the member's (NULL for a whole value or, in a
 * table, an element), which says whether bytes are an address. */
static void print(FILE *out, const char *name, const struct td_type *t, const void *data,
		  const struct style *st)
{
	switch (t->kind) {
	case TD_INT:
	case TD_UINT:
		if (t->size == 16 && name && render_is_ipv6_name(name))
			render_ipv6(out, data, st->json);
		else
			render_int(out, t, data);
		return;
	case TD_PTR:
		fprintf(out, "\"0x%llx\"", td_uint(t, data));
		return;
	case TD_CHARS:
		if (st->json)
			json_string(out, data, t->count);
		else
			render_escape(out, data, t->count, st->event ? 0 : RENDER_ESC_QUOTE);
		return;
	case TD_ARRAY:
		print_array(out, name, t, data, st);
		return;
	case TD_STRUCT:
	case TD_UNION:
		print_record(out, t, data, st);
		return;
	}
}

void render_member(FILE *out, const struct td_field *f, const void *base, bool json)
{
	struct style st = { .json = json };

	print(out, f->name, f->type, (const unsigned char *)base + f->offset, &st);
}

void render_value(FILE *out, const struct td_type *t, const void *data, bool json)
{
	struct style st = { .json = json };

	print(out, NULL, t, data, &st);
}

void render_event_value(FILE *out, const char *name, const struct td_type *t,
			const void *data, bool json)
{
	struct style st = { .json = json, .event = true };

	print(out, name, t, data, &st);
}

void render_percpu_json_cpus(FILE *out, const struct td_type *t, const void *data,
			     size_t ncpus, size_t stride)
{
	fputs(",\"per_cpu\":[", out);
	for (size_t c = 0; c < ncpus; c++) {
		fputs(c ? "," : "", out);
		render_value(out, t, (const unsigned char *)data + c * stride, true);
	}
	fputc(']', out);
}

void render_percpu(FILE *out, const struct td_type *t, const void *data, size_t ncpus,
		   size_t stride, bool json)
{
	const unsigned char *p = data;
	unsigned long long sum = 0;

	if (td_is_integer(t) && t->size <= 8) {
		for (size_t c = 0; c < ncpus; c++)
			sum += td_uint(t, p + c * stride);
		fprintf(out, t->kind == TD_INT ? "%lld" : "%llu", sum);
		if (json)
			return;
		fputs(" [", out);
		for (size_t c = 0; c < ncpus; c++) {
			fputs(c ? " " : "", out);
			render_value(out, t, p + c * stride, false);
		}
		fputc(']', out);
		return;
	}
	/* no sum for a struct: each CPU's value */
	fputc('[', out);
	for (size_t c = 0; c < ncpus; c++) {
		fputs(c ? (json ? "," : ", ") : "", out);
		render_value(out, t, p + c * stride, json);
	}
	fputc(']', out);
}

bool render_stack_is_user_name(const char *name)
{
	return strstr(name, "user") || strstr(name, "ustack") || strstr(name, "usr");
}

void render_stack(FILE *out, const char *name, long long id, const char *const *frames,
		  size_t n, bool json)
{
	const char *missed = render_stack_is_user_name(name) ? "[Missed User Stack]" :
							     "[Missed Kernel Stack]";

	if (json) {
		json_string(out, name, strlen(name));
		fputs(":[", out);
		if (id < 0)
			json_string(out, missed, strlen(missed));
		for (size_t i = 0; id >= 0 && i < n; i++) {
			fputs(i ? "," : "", out);
			json_string(out, frames[i], strlen(frames[i]));
		}
		fputc(']', out);
		return;
	}
	fprintf(out, "    %s:\n", name);
	if (id < 0)
		fprintf(out, "      %s\n", missed);
	for (size_t i = 0; id >= 0 && i < n; i++) {
		/* a symbol is a name whoever built the traced binary chose */
		fputs("      ", out);
		render_escape(out, frames[i], strlen(frames[i]), 0);
		fputc('\n', out);
	}
}
