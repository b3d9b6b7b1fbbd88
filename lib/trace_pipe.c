#include "trace_pipe.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define TRACEFS_MAGIC 0x74726163
#define DEBUGFS_MAGIC 0x64626720

static char *skip_space(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static char *skip_token(char *s)
{
	while (*s && *s != ' ' && *s != '\t')
		s++;
	return s;
}

/* The "[001]" CPU column anchors the parse: what precedes it is
 * "task-pid" (and maybe "(tgid)"), whatever the task name contains. */
static char *find_cpu_column(char *line)
{
	for (char *p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
		char *d = p + 1;

		if (p == line || (p[-1] != ' ' && p[-1] != '\t') || !isdigit((unsigned char)*d))
			continue;
		while (isdigit((unsigned char)*d))
			d++;
		if (*d == ']')
			return p;
	}
	return NULL;
}

static int parse_task_pid(char *head, struct trace_fields *f)
{
	char *end = head + strlen(head);
	char *dash, *num;
	long pid;

	while (end > head && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	/* optional "(  1234)" tgid column */
	if (end > head && end[-1] == ')') {
		char *open = end - 1;

		while (open > head && *open != '(')
			open--;
		if (*open != '(')
			return -EINVAL;
		end = open;
		while (end > head && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
	}
	*end = '\0';
	dash = strrchr(head, '-');
	if (!dash || !dash[1])
		return -EINVAL;
	errno = 0;
	pid = strtol(dash + 1, &num, 10);
	if (errno || *num || pid < 0)
		return -EINVAL;
	f->pid = (int)pid;
	*dash = '\0';
	head = skip_space(head);
	snprintf(f->task, sizeof(f->task), "%s", head);
	return 0;
}

static int parse_lost(const char *line, unsigned long *lost)
{
	unsigned long n;
	int cpu;

	if (sscanf(line, "CPU:%d [LOST %lu EVENTS]", &cpu, &n) != 2)
		return -EINVAL;
	*lost = n;
	return TRACE_LINE_LOST;
}

int trace_line_parse(char *line, struct trace_fields *f, unsigned long *lost)
{
	char *cpu, *p, *tok, *colon, *end;

	line[strcspn(line, "\n")] = '\0';
	if (!strncmp(line, "CPU:", 4))
		return parse_lost(line, lost);

	memset(f, 0, sizeof(*f));
	cpu = find_cpu_column(line);
	if (!cpu)
		return -EINVAL;
	cpu[-1] = '\0';
	if (parse_task_pid(line, f))
		return -EINVAL;
	f->cpu = (int)strtol(cpu + 1, &p, 10);
	p = skip_space(p + 1);

	/* irq flags ("d..31", "...."), absent when the irq-info option is off */
	tok = p;
	p = skip_token(p);
	if (p > tok && p[-1] != ':') {
		snprintf(f->flags, sizeof(f->flags), "%.*s", (int)(p - tok), tok);
		p = skip_space(p);
		tok = p;
		p = skip_token(p);
	}
	if (p == tok || p[-1] != ':')
		return -EINVAL;
	p[-1] = '\0';
	f->ts = strtod(tok, &end);
	if (end == tok || *end)
		return -EINVAL;

	/* ": [sym_or_addr]: msg" -- "bpf_trace_printk: " on 5.x+, "0x1: " on
	 * 4.13+, nothing at all (": ") on older kernels */
	p = *p ? p + 1 : p;
	if (*p == ':')
		p++;
	else if ((colon = strstr(p, ": ")) && !memchr(p, ' ', colon - p))
		p = colon + 1;
	f->msg = *p == ' ' ? p + 1 : p;
	return TRACE_LINE_MSG;
}

static int is_tracefs(const char *dir)
{
	char path[256];
	struct statfs st;

	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	if (statfs(dir, &st) || access(path, F_OK))
		return 0;
	return st.f_type == TRACEFS_MAGIC || st.f_type == DEBUGFS_MAGIC;
}

const char *tracefs_dir(void)
{
	static const char *const dirs[] = { "/sys/kernel/debug/tracing", "/sys/kernel/tracing" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (is_tracefs(dirs[i]))
			return dirs[i];
	return NULL;
}

struct trace_pipe {
	int fd;
	size_t start, len;    /* unread bytes are buf[start, start + len) */
	unsigned long lost, garbage;
	char buf[65536];
};

int trace_pipe__open(struct trace_pipe **out)
{
	const char *dir = tracefs_dir();
	struct trace_pipe *tp;
	char path[256];

	if (!dir)
		return -ENOENT;
	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	tp->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tp->fd < 0) {
		int err = -errno;

		free(tp);
		return err;
	}
	*out = tp;
	return 0;
}

/* Takes one complete line out of the buffer, or returns NULL. */
static char *take_line(struct trace_pipe *tp)
{
	char *line = tp->buf + tp->start;
	char *nl = memchr(line, '\n', tp->len);
	size_t n;

	if (!nl)
		return NULL;
	*nl = '\0';
	n = nl - line + 1;
	tp->start += n;
	tp->len -= n;
	return line;
}

static int fill(struct trace_pipe *tp, int timeout_ms)
{
	struct pollfd pfd = { .fd = tp->fd, .events = POLLIN };
	ssize_t n;
	int ret;

	if (tp->len == sizeof(tp->buf) - 1) {
		/* a line longer than the buffer: drop it rather than stall */
		tp->garbage++;
		tp->start = tp->len = 0;
	}
	memmove(tp->buf, tp->buf + tp->start, tp->len);
	tp->start = 0;
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	n = read(tp->fd, tp->buf + tp->len, sizeof(tp->buf) - 1 - tp->len);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	tp->len += n;
	return 1;
}

/* The kernel prints "<...>" when the task's name fell out of its small
 * comm cache (saved_cmdlines); the process often still runs, so ask /proc. */
static void fill_unknown_task(struct trace_fields *f)
{
	char path[64], comm[sizeof(f->task)];
	FILE *fp;

	if (strcmp(f->task, "<...>"))
		return;
	snprintf(path, sizeof(path), "/proc/%d/comm", f->pid);
	fp = fopen(path, "re");
	if (!fp)
		return;
	if (fgets(comm, sizeof(comm), fp) && comm[0] != '\n') {
		comm[strcspn(comm, "\n")] = '\0';
		memcpy(f->task, comm, sizeof(comm));
	}
	fclose(fp);
}

int trace_pipe__next(struct trace_pipe *tp, struct trace_fields *f, int timeout_ms)
{
	for (;;) {
		char *line;
		int ret;

		while ((line = take_line(tp))) {
			unsigned long lost = 0;

			ret = trace_line_parse(line, f, &lost);
			if (ret == TRACE_LINE_MSG) {
				fill_unknown_task(f);
				return 1;
			}
			if (ret == TRACE_LINE_LOST)
				tp->lost += lost;
			else
				tp->garbage++;
		}
		ret = fill(tp, timeout_ms);
		if (ret <= 0)
			return ret;
	}
}

int trace_pipe__fd(const struct trace_pipe *tp)
{
	return tp->fd;
}

unsigned long trace_pipe__lost(const struct trace_pipe *tp)
{
	return tp->lost;
}

unsigned long trace_pipe__garbage(const struct trace_pipe *tp)
{
	return tp->garbage;
}

void trace_pipe__free(struct trace_pipe *tp)
{
	if (!tp)
		return;
	close(tp->fd);
	free(tp);
}
