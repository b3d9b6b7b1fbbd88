#include "compiler.h"

#include <dlfcn.h>
#include <stdio.h>

#define LIBBCC "libbcc.so.0"

static struct compiler cc;
static void *handle;

static const struct {
	const char *sym;
	size_t offset;
} syms[] = {
#define SYM(field, name) { name, __builtin_offsetof(struct compiler, field) }
	SYM(create_from_string, "bpf_module_create_c_from_string"),
	SYM(destroy, "bpf_module_destroy"),
	SYM(license, "bpf_module_license"),
	SYM(kern_version, "bpf_module_kern_version"),
	SYM(num_functions, "bpf_num_functions"),
	SYM(function_name, "bpf_function_name"),
	SYM(function_start, "bpf_function_start"),
	SYM(function_size, "bpf_function_size"),
	SYM(num_tables, "bpf_num_tables"),
	SYM(table_name, "bpf_table_name"),
	SYM(table_fd_id, "bpf_table_fd_id"),
	SYM(table_type_id, "bpf_table_type_id"),
	SYM(table_max_entries_id, "bpf_table_max_entries_id"),
	SYM(table_flags_id, "bpf_table_flags_id"),
	SYM(table_key_desc_id, "bpf_table_key_desc_id"),
	SYM(table_leaf_desc_id, "bpf_table_leaf_desc_id"),
	SYM(table_key_size_id, "bpf_table_key_size_id"),
	SYM(table_leaf_size_id, "bpf_table_leaf_size_id"),
	SYM(table_key_snprintf, "bpf_table_key_snprintf"),
	SYM(table_leaf_snprintf, "bpf_table_leaf_snprintf"),
	SYM(perf_event_fields, "bpf_perf_event_fields"),
	SYM(perf_event_field, "bpf_perf_event_field"),
#undef SYM
};

const struct compiler *compiler_get(char *err, size_t len)
{
	void *h;

	if (handle)
		return &cc;
	/* DEEPBIND: libbcc.so repeats C++ statics of libbcc_bpf.so; bound to the
	 * latter, both would destroy one copy at exit (a double free) */
	h = dlopen(LIBBCC, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (!h) {
		snprintf(err, len, "cannot open libbcc's compiler %s: %s; install Debian's "
			 "libbpfcc package", LIBBCC, dlerror());
		return NULL;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *fn = dlsym(h, syms[i].sym);

		if (!fn) {
			snprintf(err, len, "%s has no %s: a libbcc this runtime does not know "
				 "(built against 0.26)", LIBBCC, syms[i].sym);
			dlclose(h);
			return NULL;
		}
		*(void **)((char *)&cc + syms[i].offset) = fn;
	}
	handle = h;
	return &cc;
}

bool compiler_loaded(void)
{
	return handle != NULL;
}
