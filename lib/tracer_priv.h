/* struct tracer, shared by the files that implement tracer.h only. */
#ifndef BCC_C_TRACER_PRIV_H
#define BCC_C_TRACER_PRIV_H

#include "compiler.h"
#include "image.h"
#include "tracer.h"

struct tracer_prog {
	char *name;
	int type; /* enum bpf_prog_type */
	int fd;
};

struct tracer_link {
	enum probe_kind kind;
	char *ev_name; /* for kprobe/uprobe: the event to remove at detach */
	int fd;        /* perf event fd (probes, tracepoints) or link fd */
};

/* Invariants: img is valid after a successful tracer__compile(), and
 * fds[i] is then the map of img.tables[i]. mod is libbcc's module when its
 * maps are the ones in use (it owns them), NULL when the maps were made
 * for an image from the cache (fds are ours). While from_cache, key, text
 * and cflags are what compiling it needs, if the kernel refuses it; prev
 * is the image such a compile replaced (its names may still be held).
 * Every prog fd and link fd is open and owned here until tracer__free(). */
struct tracer {
	const struct compiler *cc;
	void *mod;
	struct image img;
	bool compiled;
	bool from_cache;
	bool maps_used; /* a table's fd was handed out */
	int *fds;
	char *key;
	char *text;
	char **cflags;
	size_t ncflags;
	struct image prev;
	char *name;
	struct tracer_prog *progs;
	size_t nprogs;
	struct tracer_link *links;
	size_t nlinks;
	char *err;
};

/* Records an attached probe; on failure the fd is closed. */
int tracer_add_link(struct tracer *t, enum probe_kind kind, const char *ev_name, int fd);

/* Hands one message to the program's print function (tracer_set_print()),
 * if set: one paragraph, no trailing newline. */
void tracer_print(enum tracer_print_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
