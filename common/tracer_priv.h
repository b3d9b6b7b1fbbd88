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
 * fds[i] is then the map of img.tables[i]. mod is libbcc's module when the
 * text was compiled in this process (it owns the maps), NULL when the
 * image came from the cache (fds are ours). Every prog fd and link fd is
 * open and owned here until tracer__free(). */
struct tracer {
	const struct compiler *cc;
	void *mod;
	struct image img;
	bool compiled;
	bool from_cache;
	int *fds;
	char *name;
	struct tracer_prog *progs;
	size_t nprogs;
	struct tracer_link *links;
	size_t nlinks;
	char *err;
};

/* Records an attached probe; on failure the fd is closed. */
int tracer_add_link(struct tracer *t, enum probe_kind kind, const char *ev_name, int fd);

#endif
