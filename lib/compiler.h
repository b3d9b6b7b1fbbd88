/* libbcc's compiler (libbcc.so, which pulls in LLVM and clang: ~100 MB)
 * is opened with dlopen() only when a text must really be compiled; a
 * cache hit runs on libbcc_bpf.so alone. */
#ifndef BCC_C_COMPILER_H
#define BCC_C_COMPILER_H

#include <stdbool.h>
#include <stddef.h>

/* The libbcc module functions the runtime uses, resolved from libbcc.so. */
struct compiler {
	void *(*create_from_string)(const char *text, unsigned flags, const char *cflags[],
				    int ncflags, bool allow_rlimit, const char *dev_name);
	void (*destroy)(void *mod);
	char *(*license)(void *mod);
	unsigned (*kern_version)(void *mod);
	size_t (*num_functions)(void *mod);
	const char *(*function_name)(void *mod, size_t id);
	void *(*function_start)(void *mod, const char *name);
	size_t (*function_size)(void *mod, const char *name);
	size_t (*num_tables)(void *mod);
	const char *(*table_name)(void *mod, size_t id);
	int (*table_fd_id)(void *mod, size_t id);
	int (*table_type_id)(void *mod, size_t id);
	size_t (*table_max_entries_id)(void *mod, size_t id);
	int (*table_flags_id)(void *mod, size_t id);
	const char *(*table_key_desc_id)(void *mod, size_t id);
	const char *(*table_leaf_desc_id)(void *mod, size_t id);
	size_t (*table_key_size_id)(void *mod, size_t id);
	size_t (*table_leaf_size_id)(void *mod, size_t id);
	int (*table_key_snprintf)(void *mod, size_t id, char *buf, size_t len, const void *key);
	int (*table_leaf_snprintf)(void *mod, size_t id, char *buf, size_t len, const void *leaf);
	size_t (*perf_event_fields)(void *mod, const char *event);
	const char *(*perf_event_field)(void *mod, const char *event, size_t i);
};

/* The compiler, opened on first use. Returns NULL and fills err (one
 * sentence with the fix) when libbcc.so cannot be opened. */
const struct compiler *compiler_get(char *err, size_t len);

/* Whether the compiler has been opened in this process (tests use it). */
bool compiler_loaded(void);

#endif
