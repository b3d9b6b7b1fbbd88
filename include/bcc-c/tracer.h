/* A compiled BPF text and everything attached from it: the C counterpart
 * of bcc's Python BPF object. libbcc's module handle stays inside.
 *
 * Every int function returns 0 (or a count) on success and a negative
 * errno on failure; on failure tracer__errmsg() holds one paragraph for
 * the user naming what failed, the cause and the fix. */
#ifndef BCC_C_TRACER_H
#define BCC_C_TRACER_H

#include "api.h"

#include "probe_names.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

BCC_C_BEGIN_DECLS

struct tracer;

/* What tracer__compile() compiles: an options struct (api.h), declared
 * with BCC_C_OPTS(tracer_src, src, .text = ..., .name = ...). */
struct tracer_src {
	size_t sz;                  /* sizeof(struct tracer_src), as BCC_C_OPTS sets it */
	const char *text;           /* the BPF text (bcc dialect) */
	const char *name;           /* shown in diagnostics, e.g. "uprobe_simple.bpf.c" */
	const char *const *cflags;  /* extra clang flags such as "-DPID=42" */
	size_t ncflags;
	int no_cache;               /* compile even when the cache has the program */
};

/* Where the runtime's messages go. The library never writes to stdout or
 * stderr itself (as libbpf_set_print): each message, one paragraph for the
 * user without a program name or a trailing newline (a compile's warnings
 * are clang's lines after a first line naming the text), is handed to the
 * function set here, with fmt and ap as for vfprintf(). Without one
 * (the default, or NULL), messages are dropped. WARN: the run goes on but
 * not as asked (the compile cache was refused, clang warned); INFO: what
 * the runtime chose for the caller (an IFUNC's implementation); DEBUG:
 * details for a developer. The return value is ignored (libbpf's type).
 * Returns the function set before. The setting is process-wide: set it
 * once, before any other call, not while another thread uses the runtime. */
enum tracer_print_level {
	TRACER_WARN,
	TRACER_INFO,
	TRACER_DEBUG,
};
typedef int (*tracer_print_fn)(enum tracer_print_level level, const char *fmt, va_list ap);
BCC_C_API tracer_print_fn tracer_set_print(tracer_print_fn fn);

/* An empty tracer, to compile a text into; freed with tracer__free().
 * NULL with errno set on allocation failure. */
BCC_C_API struct tracer *tracer__new(void);

/* Compiles src with libbcc against the host's kernel headers, or takes
 * the program from the compile cache when the same inputs were compiled
 * before (then libbcc's compiler is not even loaded; should the kernel
 * refuse a program of it, tracer__load() compiles the text once and
 * rewrites the entry). On failure the error
 * message carries clang's diagnostics with src->name and the text's own
 * line numbers. Warnings of a successful compile go to the print
 * function (tracer_set_print()) the same way. Call once per tracer.
 * -EINVAL when src is NULL or sets fields past those this library knows
 * (a struct from a newer header: see BCC_C_OPTS). */
BCC_C_API int tracer__compile(struct tracer *t, const struct tracer_src *src);

/* Whether the program in use came from the cache. */
BCC_C_API int tracer__from_cache(const struct tracer *t);

/* Loads function fn_name as prog_type (enum bpf_prog_type) without
 * attaching it, once: later calls return the same fd, owned by the tracer.
 * Returns the fd or a negative errno. The attach calls below load for you. */
BCC_C_API int tracer__load(struct tracer *t, const char *fn_name, int prog_type);

/* Attaches every function whose name asks for it, as bcc does when a BPF
 * object is created: kprobe__X, kretprobe__X (sys_X names get this
 * kernel's syscall prefix), tracepoint__CAT__EVENT, raw_tracepoint__X,
 * kfunc__X, kretfunc__X. Returns the number attached. */
BCC_C_API int tracer__autoattach(struct tracer *t);

/* The explicit attach calls: each loads fn_name, the BPF function run at
 * the probe (once per function, whatever the number of probes), and
 * attaches it; the probe stays until tracer__free(). Each returns 0 or a
 * negative errno with tracer__errmsg() saying why (a symbol that does not
 * exist, with the names nearest to it; a kernel without kprobes; ...). */

/* At func+offset in the kernel (bcc's attach_kprobe), or at its return. */
BCC_C_API int tracer__attach_kprobe(struct tracer *t, const char *fn_name, const char *func,
				    uint64_t offset);
BCC_C_API int tracer__attach_kretprobe(struct tracer *t, const char *fn_name, const char *func);

/* Where tracer__attach_uprobe() attaches: an options struct (api.h),
 * declared with BCC_C_OPTS(tracer_uprobe, u, .fn_name = ..., ...); -EINVAL
 * when NULL or from a newer header with fields this library lacks set. */
struct tracer_uprobe {
	size_t sz;           /* sizeof(struct tracer_uprobe), as BCC_C_OPTS sets it */
	const char *fn_name; /* BPF function to run */
	const char *binary;  /* path, program on PATH, or library short name ("c") */
	const char *symbol;  /* symbol in binary, or NULL to use addr; an IFUNC
				the implementation it picks on this host */
	uint64_t addr;       /* when symbol is NULL: a virtual address of the
				file's code, as nm prints it and bcc's
				attach_uprobe(addr=) takes it */
	pid_t pid;           /* only this process; 0 or -1: every process */
	int retprobe;        /* attach at return (uretprobe) */
	uint64_t ref_ctr_offset; /* file offset of a USDT semaphore the kernel
				    counts this probe in (0: none) */
};
BCC_C_API int tracer__attach_uprobe(struct tracer *t, const struct tracer_uprobe *u);

/* The tracepoint category:event ("syscalls", "sys_enter_openat"), and
 * the raw tracepoint tp ("sched_switch"). */
BCC_C_API int tracer__attach_tracepoint(struct tracer *t, const char *fn_name, const char *category,
					const char *event);
BCC_C_API int tracer__attach_raw_tracepoint(struct tracer *t, const char *fn_name, const char *tp);
/* fn_name is kfunc__X or kretfunc__X; the name says where it attaches. */
BCC_C_API int tracer__attach_kfunc(struct tracer *t, const char *fn_name);

/* Attached probes so far. */
BCC_C_API size_t tracer__num_links(const struct tracer *t);

/* Detaches every probe attached so far (tracer__num_links() is then 0),
 * so that the tables stop changing; they stay readable until
 * tracer__free(), which detaches too. NULL is a no-op. */
BCC_C_API void tracer__detach(struct tracer *t);

/* A table (map) of the text, by name: 0 and *out filled, or -ENOENT.
 * name and fd belong to the tracer and stay valid until tracer__free(). */
struct tracer_table {
	const char *name;
	int fd;
	int type;           /* enum bpf_map_type */
	size_t key_size;
	size_t leaf_size;
	size_t max_entries;
};
BCC_C_API int tracer__table(struct tracer *t, const char *name, struct tracer_table *out);

/* The functions of the compiled text, by index (0 .. num - 1; NULL out of
 * range); the names belong to the tracer. */
BCC_C_API size_t tracer__num_functions(const struct tracer *t);
BCC_C_API const char *tracer__function_name(const struct tracer *t, size_t i);

/* The tables of the compiled text, by index (0 .. num_tables - 1), in
 * libbcc's order; as tracer__table(). */
BCC_C_API size_t tracer__num_tables(const struct tracer *t);
BCC_C_API int tracer__table_at(struct tracer *t, size_t i, struct tracer_table *out);

/* The C layout of what table's perf_submit()/ringbuf_output() sends, from
 * the field list libbcc recorded. Returns 0, or the error of
 * event_layout_parse() (-ENOTSUP: a type it cannot size). */
struct event_layout;
BCC_C_API int tracer__event_layout(struct tracer *t, const char *table, struct event_layout *out);

/* libbcc's description of a table's key or leaf type (a JSON-like string,
 * e.g. "\"unsigned int\"" or a struct's field list), owned by the tracer;
 * NULL when there is no such table. */
BCC_C_API const char *tracer__key_desc(struct tracer *t, const char *table);
BCC_C_API const char *tracer__leaf_desc(struct tracer *t, const char *table);

/* libbcc's text form of a key or leaf (hex numbers, "{ ... }" structs);
 * -ENOTSUP when the program came from the cache (no compiler loaded). */
BCC_C_API int tracer__key_str(struct tracer *t, const char *table, const void *key, char *buf,
			      size_t len);
BCC_C_API int tracer__leaf_str(struct tracer *t, const char *table, const void *leaf, char *buf,
			       size_t len);

/* The message for the last failure ("" when none). Valid until the next call. */
BCC_C_API const char *tracer__errmsg(const struct tracer *t);

/* Sets the error message; for the runtime's other modules (perf buffers)
 * that report through the tracer they work on. Returns err. */
BCC_C_API int tracer__fail(struct tracer *t, int err, const char *fmt, ...)
			   __attribute__((format(printf, 3, 4)));

/* Detaches everything, unloads every program, closes every table, frees
 * the tracer. Free its perf_buf and ring_buf objects first (they read its
 * tables). NULL is fine. */
BCC_C_API void tracer__free(struct tracer *t);

BCC_C_END_DECLS

#endif
