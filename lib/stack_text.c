/* What a BPF text says of its stack ids: whether a table's whole key is
 * a get_stackid() result, read from the text itself (bcc's tools key
 * tables so: "counts.increment(stacks.get_stackid(ctx, 0))"). */
#include "stack_text.h"

#include <string.h>

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The identifier at p: its length (0: none). */
static size_t ident_len(const char *p)
{
	size_t n = 0;

	if (*p >= '0' && *p <= '9')
		return 0;
	while (is_ident_char(p[n]))
		n++;
	return n;
}

/* p just after a call's '(': the length of its arguments up to the
 * matching ')', or 0 when it has none. */
static size_t args_len(const char *p)
{
	int depth = 1;

	for (size_t n = 0; p[n]; n++) {
		if (p[n] == '(')
			depth++;
		else if (p[n] == ')' && !--depth)
			return n;
	}
	return 0;
}

/* Whether the expression at p is a get_stackid() call, after casts:
 * "S.get_stackid(ctx, FLAGS)" or "bpf_get_stackid(ctx, &S, FLAGS)". Then
 * stack gets S and user whether FLAGS ask for the user stack. */
static bool stackid_call(const char *p, char *stack, size_t len, bool *user)
{
	const char *args, *name;
	size_t n, nargs, name_len;

	for (p = skip_space(p); *p == '(';) { /* "(int)" */
		n = args_len(p + 1);
		if (!n || memchr(p + 1, '(', n))
			return false;
		p = skip_space(p + 1 + n + 1);
	}
	name = p;
	name_len = ident_len(p);
	if (!name_len)
		return false;
	p = skip_space(p + name_len);
	if (name_len == 15 && !strncmp(name, "bpf_get_stackid", 15)) {
		if (*p != '(')
			return false;
		args = p + 1;
		nargs = args_len(args);
		/* the table is the second argument */
		p = memchr(args, ',', nargs);
		if (!p)
			return false;
		p = skip_space(p + 1);
		if (*p == '&')
			p = skip_space(p + 1);
		name = p;
		name_len = ident_len(p);
	} else {
		if (*p != '.')
			return false;
		p = skip_space(p + 1);
		if (ident_len(p) != 11 || strncmp(p, "get_stackid", 11))
			return false;
		p = skip_space(p + 11);
		if (*p != '(')
			return false;
		args = p + 1;
		nargs = args_len(args);
	}
	if (!name_len || !nargs || name_len >= len)
		return false;
	memcpy(stack, name, name_len);
	stack[name_len] = '\0';
	*user = memmem(args, nargs, "BPF_F_USER_STACK", 16) != NULL;
	return true;
}

/* The next whole word word in text at or after p, or NULL. */
static const char *find_word(const char *p, const char *text, const char *word)
{
	size_t n = strlen(word);

	while ((p = strstr(p, word))) {
		if ((p == text || !is_ident_char(p[-1])) && !is_ident_char(p[n]))
			return p;
		p += n;
	}
	return NULL;
}

/* Whether variable var is assigned a get_stackid() call ("var = ...", a
 * declaration's initializer too). */
static bool assigned_stackid(const char *text, const char *var, size_t var_len, char *stack,
			     size_t len, bool *user)
{
	char name[128];
	const char *p = text;

	if (var_len >= sizeof(name))
		return false;
	memcpy(name, var, var_len);
	name[var_len] = '\0';
	while ((p = find_word(p, text, name))) {
		const char *eq = skip_space(p + var_len);

		/* not a member of something else: "key.id = ..." */
		if ((p == text || (p[-1] != '.' && p[-1] != '>')) && *eq == '=' && eq[1] != '=' &&
		    stackid_call(eq + 1, stack, len, user))
			return true;
		p += var_len;
	}
	return false;
}

bool stacks_text_id_key(const char *text, const char *table, char *stack, size_t len,
			bool *user)
{
	const char *p = text;

	while (text && (p = find_word(p, text, table))) {
		const char *q = skip_space(p + strlen(table)), *key;
		size_t n;

		p += strlen(table);
		/* table.METHOD(KEY or table.METHOD(&KEY */
		if (*q != '.' || !(n = ident_len(q = skip_space(q + 1))))
			continue;
		q = skip_space(q + n);
		if (*q != '(')
			continue;
		q = skip_space(q + 1);
		if (*q == '&')
			q = skip_space(q + 1);
		if (stackid_call(q, stack, len, user))
			return true;
		key = q;
		n = ident_len(key);
		/* a variable, not the start of a longer expression */
		q = skip_space(key + n);
		if (n && (*q == ')' || *q == ',') && assigned_stackid(text, key, n, stack, len, user))
			return true;
	}
	return false;
}
