/* --watch: an inotify watch on the text's directory, and the reload it
 * starts. A reload never leaves the user with nothing running: the new
 * session is complete before the old one goes. */
#include "bcc-run.h"

#include "log.h"
#include "tool.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* The file was written. The running session stays attached until the new
 * text is compiled, loaded and attached, and goes on running when any of
 * that fails: only a complete new session replaces it. */
static void session_reload(struct bcc_run *r)
{
	struct session *s = &r->s, next;
	char *text;

	if (tool_read_text(r->path, &text)) {
		log_info("keeping the previous program running");
		return;
	}
	if (!strcmp(text, s->text)) {
		free(text);
		return;
	}
	if (session_open(r, &next, text)) {
		log_info("keeping the previous program running");
		return;
	}
	tracer__detach(s->t); /* its tables stop changing while printed */
	session_drain(s);
	if (!r->env.json)
		print_tables(r, s);
	session_close(s);
	*s = next;
	log_info("ready: reloaded '%s': %zu probe(s) attached", r->path, tracer__num_links(s->t));
}

/* An inotify watch on FILE's directory: editors often replace the file. */
int watch_open(const char *path, const char **base)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	*base = slash ? slash + 1 : path;
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (fd < 0 || inotify_add_watch(fd, dir[0] ? dir : "/",
					IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		log_error("cannot watch '%s' for changes: %s", path, strerror(-err));
		return err;
	}
	return fd;
}

/* True when the watch saw FILE written. */
static bool watch_changed(int fd, const char *base)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (ev->len && !strcmp(ev->name, base))
				changed = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	return changed;
}

void watch_serve(struct bcc_run *r, int fd, const char *base)
{
	if (!watch_changed(fd, base))
		return;
	poll(NULL, 0, 50); /* let the editor finish writing */
	watch_changed(fd, base);
	session_reload(r);
}
