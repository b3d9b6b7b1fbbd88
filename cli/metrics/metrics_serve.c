#include "metrics_serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A client is cut off after this many seconds without progress. */
#define IDLE_SECONDS 5
/* ... and this many after its request began (its connection, or the end
 * of its previous request on the connection), however it trickles: a
 * request and its answer take milliseconds, and Prometheus gives up on a
 * scrape after its scrape_timeout (10 s by default) anyway. */
#define REQUEST_SECONDS 10
/* A request's headers must fit here (Prometheus sends ~300 bytes). */
#define REQUEST_BYTES (16 * 1024)
/* Connections at once, and from one address: scrapers are few. A new
 * connection is never refused for either limit: the oldest connection
 * still waiting for its request (else the oldest) of that address, or of
 * all, is cut off instead, so clients that hold connections open without
 * asking (slowloris) give way to one that asks at once. */
#define MAX_CONNECTIONS 16
#define MAX_PER_ADDRESS 4

/* A connection, from its accept to its close by libmicrohttpd. */
struct client {
	struct client *next;
	int fd;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	double start; /* CLOCK_MONOTONIC seconds its current request began */
	bool busy;    /* its request is read: it is being answered */
	bool cut;     /* shut down by us; libmicrohttpd closes it next */
};

struct metrics_server {
	struct MHD_Daemon *d;
	int listen_fd; /* ours until MHD_start_daemon() takes it */
	metrics_body_fn body;
	void *ctx;
	struct client *clients; /* the newest first */
	char url[96];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ends c's connection without closing its fd, which libmicrohttpd owns:
 * its next read sees the end, and it closes the connection itself. */
static void client_cut(struct client *c)
{
	shutdown(c->fd, SHUT_RDWR);
	c->cut = true;
}

static bool same_address(const struct client *a, const struct client *b)
{
	return a->addr_len == b->addr_len && !memcmp(&a->addr, &b->addr, a->addr_len);
}

/* The connections not cut off, of new's address when of_addr. */
static size_t clients_live(const struct metrics_server *s, const struct client *new,
			   bool of_addr)
{
	size_t n = 0;

	for (const struct client *c = s->clients; c; c = c->next)
		n += !c->cut && (!of_addr || same_address(c, new));
	return n;
}

/* Cuts off the connection that gives way to new (never new itself): the
 * oldest one waiting for its request, else the oldest. */
static void clients_evict(struct metrics_server *s, const struct client *new, bool of_addr)
{
	struct client *victim = NULL;

	for (struct client *c = s->clients; c; c = c->next) {
		if (c == new || c->cut || (of_addr && !same_address(c, new)))
			continue;
		if (!victim || (victim->busy && !c->busy) ||
		    (victim->busy == c->busy && c->start <= victim->start))
			victim = c;
	}
	if (victim)
		client_cut(victim);
}

/* The client's address is copied: its port is zeroed, so that one
 * address's connections compare equal. */
static void client_address(struct client *c, const struct sockaddr *sa)
{
	c->addr_len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						  sizeof(struct sockaddr_in);
	memcpy(&c->addr, sa, c->addr_len);
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)&c->addr)->sin6_port = 0;
	else
		((struct sockaddr_in *)&c->addr)->sin_port = 0;
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *fd, *addr;
	struct metrics_server *s = cls;
	struct client *c = *socket_context, **p;

	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		for (p = &s->clients; *p && *p != c; p = &(*p)->next)
			;
		if (*p)
			*p = c->next;
		free(c);
		return;
	}
	fd = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	addr = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	c = calloc(1, sizeof(*c));
	if (!c || !fd || !addr) {
		free(c); /* not tracked: the idle timeout still ends it */
		return;
	}
	c->fd = fd->connect_fd;
	c->start = now_s();
	client_address(c, addr->client_addr);
	c->next = s->clients;
	s->clients = c;
	*socket_context = c;
	if (clients_live(s, c, true) > MAX_PER_ADDRESS)
		clients_evict(s, c, true);
	if (clients_live(s, c, false) > MAX_CONNECTIONS)
		clients_evict(s, c, false);
}

static struct client *client_of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return i ? i->socket_context : NULL;
}

/* A request answered: the next one on the connection has its own time. */
static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct client *c = client_of(mc);

	(void)cls;
	(void)con_cls;
	(void)toe;
	if (c) {
		c->busy = false;
		c->start = now_s();
	}
}

/* Splits "[ADDR:]PORT", "[V6]:PORT" into host (NULL: 127.0.0.1) and port. */
static int parse_listen(const char *listen, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon = strrchr(listen, ':');
	const char *p = colon ? colon + 1 : listen;
	char *end;
	long v;

	errno = 0;
	v = strtol(p, &end, 10);
	if (!*p || *end || errno || v < 0 || v > 65535)
		return -EINVAL;
	snprintf(port, plen, "%ld", v);
	if (!colon) {
		snprintf(host, hlen, "127.0.0.1");
		return 0;
	}
	if (listen[0] == '[') {
		if (colon < listen + 2 || colon[-1] != ']')
			return -EINVAL;
		snprintf(host, hlen, "%.*s", (int)(colon - listen - 2), listen + 1);
	} else {
		snprintf(host, hlen, "%.*s", (int)(colon - listen), listen);
		if (strchr(host, ':'))
			return -EINVAL; /* an IPv6 address goes in brackets */
	}
	if (!host[0])
		return -EINVAL;
	if (!strcmp(host, "localhost"))
		snprintf(host, hlen, "127.0.0.1");
	return 0;
}

static int bind_listen(const char *spec, int *fd, char *url, size_t ulen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV };
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char host[INET6_ADDRSTRLEN + 2], port[8], shown[INET6_ADDRSTRLEN];
	struct addrinfo *ai;
	int one = 1, err;

	err = parse_listen(spec, host, sizeof(host), port, sizeof(port));
	if (err)
		return err;
	if (getaddrinfo(host, port, &hints, &ai))
		return -EINVAL; /* not a numeric address */
	*fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (*fd < 0 || setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(*fd, ai->ai_addr, ai->ai_addrlen) || listen(*fd, 16) ||
	    getsockname(*fd, (struct sockaddr *)&ss, &sslen)) {
		err = -errno;
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		freeaddrinfo(ai);
		return err;
	}
	freeaddrinfo(ai);
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, shown, sizeof(shown));
		snprintf(url, ulen, "http://[%s]:%u/metrics", shown, ntohs(a->sin6_port));
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, shown, sizeof(shown));
		snprintf(url, ulen, "http://%s:%u/metrics", shown, ntohs(a->sin_port));
	}
	return 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct metrics_server *s = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *body = NULL;
	size_t len = 0;
	FILE *out;
	int err;

	(void)version;
	(void)upload;
	(void)con_cls;
	if (client_of(c))
		client_of(c)->busy = true;
	*upload_size = 0; /* a body, if any, is not read: it is discarded */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET /metrics is served\n");
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "not found: bcc-run serves GET /metrics\n");
	out = open_memstream(&body, &len);
	if (!out)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	err = s->body(out, s->ctx);
	if (fclose(out) || err) {
		free(body);
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot read the tables\n");
	}
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; version=0.0.4");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int metrics_server__open(const char *listen, metrics_body_fn body, void *ctx,
			 struct metrics_server **out)
{
	struct metrics_server *s = calloc(1, sizeof(*s));
	int err;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->body = body;
	s->ctx = ctx;
	err = bind_listen(listen, &s->listen_fd, s->url, sizeof(s->url));
	if (err) {
		free(s);
		return err;
	}
	/* no thread of MHD's own: its epoll fd joins the caller's poll loop */
	s->d = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
				MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_SECONDS,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_BYTES,
				/* one more than ours: the one that makes another give way */
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS + 1,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_END);
	if (!s->d) {
		err = errno ? -errno : -EIO;
		close(s->listen_fd);
		free(s);
		return err;
	}
	*out = s;
	return 0;
}

int metrics_server__fd(const struct metrics_server *s)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);

	return info ? info->epoll_fd : -1;
}

void metrics_server__run(struct metrics_server *s)
{
	double now = now_s();

	for (struct client *c = s->clients; c; c = c->next)
		if (!c->cut && now - c->start > REQUEST_SECONDS)
			client_cut(c);
	MHD_run(s->d);
}

const char *metrics_server__url(const struct metrics_server *s)
{
	return s->url;
}

void metrics_server__free(struct metrics_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d); /* closes the listening socket it was given */
	free(s);
}

int metrics_textfile_path(const char *dir, const char *text_path, char *out, size_t len)
{
	const char *base = strrchr(text_path, '/');
	size_t n, at;
	int w;

	base = base ? base + 1 : text_path;
	n = strlen(base);
	if (n > 6 && !strcmp(base + n - 6, ".bpf.c"))
		n -= 6;
	else if (n > 2 && !strcmp(base + n - 2, ".c"))
		n -= 2;
	w = snprintf(out, len, "%s/bcc_run_", dir);
	if (w < 0 || (size_t)w + n + sizeof(".prom") > len)
		return -ENAMETOOLONG;
	at = (size_t)w;
	for (size_t i = 0; i < n; i++) {
		char c = base[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_';

		out[at++] = ok ? c : '_';
	}
	strcpy(out + at, ".prom");
	return 0;
}

/* Creates path's temporary, in its directory (so that rename() replaces
 * path at once) under a name node_exporter does not read (not *.prom):
 * DIR/.NAME.XXXXXX with a random tail, created with O_EXCL, so that
 * nothing another user put there (a symlink, a file of theirs) is opened
 * or followed. Readable by all, as node_exporter runs as its own user.
 * Returns the fd, or a negative errno. */
static int temp_open(const char *path, char *tmp, size_t len)
{
	const char *base = strrchr(path, '/');
	int w, fd;

	base = base ? base + 1 : path;
	w = snprintf(tmp, len, "%.*s.%s.XXXXXX", (int)(base - path), path, base);
	if (w < 0 || (size_t)w >= len)
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0644)) {
		w = -errno;
		close(fd);
		unlink(tmp);
		return w;
	}
	return fd;
}

int metrics_textfile_check(const char *path)
{
	char tmp[PATH_MAX];
	int fd = temp_open(path, tmp, sizeof(tmp));

	if (fd < 0)
		return fd;
	close(fd);
	unlink(tmp);
	return 0;
}

int metrics_textfile_write(const char *path, const char *body, size_t len)
{
	char tmp[PATH_MAX];
	int fd = temp_open(path, tmp, sizeof(tmp)), err = 0;
	size_t done = 0;

	if (fd < 0)
		return fd;
	while (!err && done < len) {
		ssize_t w = write(fd, body + done, len - done);

		if (w < 0 && errno != EINTR)
			err = -errno;
		else if (w > 0)
			done += (size_t)w;
	}
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
