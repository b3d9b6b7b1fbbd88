/* Where bcc-run's metrics go: an HTTP endpoint for Prometheus to scrape
 * (libmicrohttpd, driven from the caller's poll loop: no thread, so the
 * body function reads the tables with no lock), or a file for
 * node_exporter's textfile collector. */
#ifndef BCC_C_METRICS_SERVE_H
#define BCC_C_METRICS_SERVE_H

#include <stddef.h>
#include <stdio.h>

/* Writes the body of one GET /metrics to out; returns 0 or a negative
 * errno (then the client gets a 500). */
typedef int (*metrics_body_fn)(FILE *out, void *ctx);

struct metrics_server;

/* Listens on listen, "[ADDR:]PORT" (ADDR: an IPv4 address, [IPv6] or
 * localhost; default 127.0.0.1; PORT 0 takes a free one). Returns 0, or
 * -EINVAL (listen is not of that form), -EADDRNOTAVAIL (ADDR is no address
 * of this host), -EADDRINUSE, -EACCES (a port below 1024 without the
 * right), or another negative errno. */
int metrics_server__open(const char *listen, metrics_body_fn body, void *ctx,
			 struct metrics_server **out);

/* The fd to poll for POLLIN; then call metrics_server__run(). */
int metrics_server__fd(const struct metrics_server *s);

/* Serves what the connections asked for, without blocking: reads
 * requests, answers GET /metrics (404 for other paths, 405 for other
 * methods), writes what the sockets take, closes idle or broken clients
 * and those whose request has taken 10 s. Call it at least every second
 * or so: the 10 s are counted here. At most 16 connections, 4 from one
 * address; past either, the oldest still waiting for its request gives
 * way to the new one. */
void metrics_server__run(struct metrics_server *s);

/* "http://ADDR:PORT/metrics" with the port bound. */
const char *metrics_server__url(const struct metrics_server *s);

/* Closes the listening socket and every connection; NULL is fine. */
void metrics_server__free(struct metrics_server *s);

/* The textfile for a BPF text: DIR/bcc_run_<name>.prom, name being the
 * text's file name without .bpf.c (characters other than [A-Za-z0-9_] as
 * '_'). Returns 0 or -ENAMETOOLONG. */
int metrics_textfile_path(const char *dir, const char *text_path, char *out, size_t len);

/* Whether a textfile can be written in path's directory: creates and
 * removes its temporary file. Returns 0 or the negative errno. */
int metrics_textfile_check(const char *path);

/* Writes len bytes of body to path through a temporary file in the same
 * directory renamed over it, so a reader sees the old file or the new
 * one, never half of one. Returns 0 or a negative errno. */
int metrics_textfile_write(const char *path, const char *body, size_t len);

#endif
