/* bcc-run's parts and the one struct they share. main.c reads the command
 * line; session.c compiles the text, attaches it and prints its tables;
 * events.c opens its perf and ring outputs and prints their events;
 * loop.c waits on every source in turn; watch.c reloads the text when it
 * is saved; export.c serves the tables as metrics. Each part is handed
 * the struct bcc_run that main() owns, so no part keeps state of its own
 * at file scope and what each one reads is in its arguments. */
#ifndef BCC_RUN_H
#define BCC_RUN_H

#include "event_decode.h"
#include "spec.h"
#include "usdt.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define MAX_SPECS 64

enum probe_opt { OPT_UPROBE, OPT_URETPROBE, OPT_KPROBE, OPT_KRETPROBE, OPT_TRACEPOINT };

/* The command line, as main.c parsed it; read-only afterwards. */
struct env {
	struct {
		enum probe_opt kind;
		struct spec spec;
	} specs[MAX_SPECS];
	size_t nspecs;
	struct usdt_spec *usdts; /* --usdt, malloc'd */
	size_t nusdts;
	char **cflags; /* "-DNAME[=VALUE]" for each -D, malloc'd */
	size_t ncflags;
	long pid;
	bool json;
	bool watch;
	bool features;
	int no_cache;
	const char *metrics_listen;   /* --metrics */
	const char *metrics_dir;      /* --metrics-textfile */
	const char *metrics_prefix;
	long metrics_max_series;
	long interval;
};

/* One BPF_PERF_OUTPUT/BPF_RINGBUF_OUTPUT table and how to decode it. */
struct output {
	const char *name; /* the tracer's */
	struct event_layout layout;
	bool decodable;
	bool show_name; /* more than one output: prefix lines with the table */
	bool json;      /* --json */
	struct perf_buf *pb;
	struct ring_buf *rb;
	struct stacks *stacks; /* the session's */
	struct metrics_events *ev; /* with --metrics: its counts */
};

/* What one compile of the text brings: its tracer, its outputs and the
 * names of its BPF_HISTOGRAM tables. Owns everything it points to. */
struct session {
	struct tracer *t;
	char *text;
	bool printk;
	struct output *outputs;
	size_t noutputs;
	char **hists;
	size_t nhists;
	struct usdt *usdt;
	struct stacks *stacks;
	double compile_seconds;
};

/* Where the metrics go: an HTTP endpoint, a textfile, or both, and what
 * they count, kept across reloads. */
struct export {
	struct metrics *metrics; /* NULL without --metrics or --metrics-textfile */
	struct metrics_server *srv;
	char textfile[PATH_MAX]; /* "" without --metrics-textfile */
	double next_write;       /* CLOCK_MONOTONIC seconds */
};

struct bcc_run {
	struct env env;
	const char *path; /* FILE, the BPF text */
	/* the program attached now: a reload refills it in place, so the
	 * metrics callbacks that hold &s always read the running one */
	struct session s;
	struct export ex;
};

/* session.c */
/* CLOCK_MONOTONIC seconds */
double monotonic_s(void);
/* note functions for the library's callbacks: each message on stderr */
void print_note(const char *msg, void *ctx);
/* whether the session ctx declared table name with BPF_HISTOGRAM */
bool session_is_hist(const char *name, void *ctx);
/* Compiles text (owned by s from now on), attaches it and opens its
 * outputs. On failure prints why and leaves s empty; a session already
 * running elsewhere is not touched. */
int session_open(struct bcc_run *r, struct session *s, char *text);
/* Starts r->s from r->path; prints why not on failure. */
int session_start(struct bcc_run *r);
/* Detaches and frees everything of s; s is then empty. */
void session_close(struct session *s);
void print_tables(const struct bcc_run *r, struct session *s);

/* events.c: every perf and ring output of s opened, each event printed
 * as it is read; returns 0 or a negative errno */
int open_outputs(struct bcc_run *r, struct session *s);
void close_outputs(struct session *s);
/* Delivers the events that already arrived: before a stop or a reload. */
void session_drain(struct session *s);

/* loop.c: serves r->s until the duration ends or Ctrl-C; returns 0 or a
 * negative errno after printing why. */
int loop_run(struct bcc_run *r, long duration);

/* watch.c: an inotify fd on path's directory, *base the name to look for,
 * or a negative errno after printing why */
int watch_open(const char *path, const char **base);
/* reloads r->s when the watch fd saw the text written */
void watch_serve(struct bcc_run *r, int fd, const char *base);

/* export.c: export_open() before the first attach (prints why not on
 * failure); export_textfile() after each turn, writing when the interval
 * has passed; export_close() removes the textfile. */
int export_open(struct bcc_run *r);
void export_textfile(struct bcc_run *r);
void export_close(struct export *ex);

#endif
