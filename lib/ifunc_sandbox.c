#include "ifunc_sandbox.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

void ifunc_sandbox_init(struct ifunc_sandbox *sb)
{
	struct passwd *pw = getpwnam("nobody");

	sb->uid = pw ? pw->pw_uid : 65534;
	sb->gid = pw ? pw->pw_gid : 65534;
	/* nobody must be nobody: a system whose "nobody" is root gets 65534 */
	if (!sb->uid || !sb->gid)
		sb->uid = sb->gid = 65534;
	sb->allow_exec = false;
}

/* The bounding set needs CAP_SETPCAP: as root, before the uid goes. */
static int drop_bounding_set(void)
{
	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL && errno != EPERM)
			return -errno;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	return 0;
}

/* After the uid change, which empties them for root: a non-root tracer
 * may still hold file capabilities (CAP_BPF, CAP_PERFMON). */
static int drop_capabilities(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };

	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int drop_ids(const struct ifunc_sandbox *sb)
{
	if (geteuid() != 0)
		return 0; /* no one to become: an unprivileged tracer stays itself */
	if (setgroups(0, NULL) || setresgid(sb->gid, sb->gid, sb->gid) ||
	    setresuid(sb->uid, sb->uid, sb->uid))
		return -errno;
	/* as OpenSSH's permanently_set_uid: the way back must be shut */
	if (setresuid(0, 0, 0) == 0 || getuid() != sb->uid || geteuid() != sb->uid)
		return -EPERM;
	return 0;
}

/* The system calls loading a library (and running the dynamic linker)
 * makes; openat and open come with a check of their flags. */
static const int allowed[] = {
	__NR_read, __NR_pread64, __NR_readv, __NR_write, __NR_writev, __NR_close,
	__NR_fstat, __NR_newfstatat, __NR_statx, __NR_lseek, __NR_mmap, __NR_mprotect,
	__NR_munmap, __NR_madvise, __NR_brk, __NR_faccessat, __NR_faccessat2, __NR_getcwd,
	__NR_readlinkat, __NR_futex, __NR_rt_sigprocmask, __NR_rt_sigaction,
	__NR_sigaltstack, __NR_getpid, __NR_gettid, __NR_getuid, __NR_geteuid, __NR_getgid,
	__NR_getegid, __NR_clock_gettime, __NR_exit, __NR_exit_group, __NR_prlimit64,
	__NR_getrandom, __NR_fcntl, __NR_set_tid_address, __NR_set_robust_list, __NR_rseq,
	__NR_uname, __NR_sched_yield, __NR_sched_getaffinity, __NR_dup, __NR_dup3,
#ifdef __NR_access
	__NR_access, __NR_readlink, __NR_arch_prctl, __NR_dup2,
#endif
};

/* the low 32 bits of argument n, where the flags of open calls are */
#define ARG_LO(n) \
	(offsetof(struct seccomp_data, args[n]) + (__BYTE_ORDER == __BIG_ENDIAN ? 4 : 0))
#define RET_DENY (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
/* opening for anything but reading: writing, creating, truncating */
#define OPEN_WRITES (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_TMPFILE)

/* nr is allowed when its flags argument (arg) has none of OPEN_WRITES:
 * 5 instructions, after which the accumulator still holds nr */
static size_t filter_open(struct sock_filter *f, int nr, int arg)
{
	f[0] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 4);
	f[1] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg));
	f[2] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, OPEN_WRITES, 0, 1);
	f[3] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_DENY);
	f[4] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return 5;
}

static size_t filter_allow(struct sock_filter *f, int nr)
{
	f[0] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1);
	f[1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return 2;
}

/* What is not allowed fails with EPERM, as a refused call does, so a
 * constructor that wants more than loading sees an error, not a crash. */
static int install_seccomp(bool allow_exec)
{
#ifdef SANDBOX_ARCH
	struct sock_filter f[16 + 2 * (sizeof(allowed) / sizeof(allowed[0]) + 1)];
	struct sock_fprog prog = { .filter = f };
	size_t n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	n += filter_open(f + n, __NR_openat, 2);
#ifdef __NR_open
	n += filter_open(f + n, __NR_open, 1);
#endif
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		n += filter_allow(f + n, allowed[i]);
	if (allow_exec)
		n += filter_allow(f + n, __NR_execve);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, RET_DENY);
	prog.len = (unsigned short)n;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) ? -errno : 0;
#else
	(void)allow_exec;
	return -EOPNOTSUPP; /* no filter written for this architecture: run nothing */
#endif
}

int ifunc_sandbox_enter(const struct ifunc_sandbox *sb)
{
	int err;

	if (clearenv() || chdir("/"))
		return -errno;
	err = drop_bounding_set();
	if (!err)
		err = drop_ids(sb);
	if (!err)
		err = drop_capabilities();
	/* a uid change sets it already; said again for an unprivileged tracer */
	if (!err && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		err = -errno;
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = -errno;
	return err ? err : install_seccomp(sb->allow_exec);
}

/* The child keeps only the pipe: without the tracer's perf event and BPF
 * fds it holds no probe, so ending it, even by SIGKILL, detaches nothing. */
static void __attribute__((noreturn)) child_main(int fd, const struct ifunc_sandbox *sb,
						 void (*fn)(void *arg), void *arg)
{
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
	    dup2(null, STDERR_FILENO) < 0 || (fd != 3 && dup2(fd, 3) < 0))
		_exit(126);
	closefrom(4);
	if (ifunc_sandbox_enter(sb))
		_exit(126);
	fn(arg);
	_exit(126);
}

static int elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int)((now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000);
}

/* Reads until the child closes the pipe. A signal ends the wait: the
 * tracer's handlers (Ctrl-C) mean stop, and a lookup must not delay that. */
static ssize_t read_child(int fd, char *buf, size_t len, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec start;
	size_t got = 0;
	ssize_t n = 1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (n > 0 && got < len) {
		int left = timeout_ms - elapsed_ms(&start), ready;

		if (left <= 0)
			return -ETIMEDOUT;
		ready = poll(&p, 1, left);
		if (ready < 0)
			return -errno;
		if (ready == 0)
			return -ETIMEDOUT;
		n = read(fd, buf + got, len - got);
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

ssize_t ifunc_sandbox_run(const struct ifunc_sandbox *sb, void (*fn)(void *arg), void *arg,
			  void *buf, size_t len, int timeout_ms)
{
	int fds[2], status;
	ssize_t got;
	pid_t child;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	child = fork();
	if (child < 0) {
		got = -errno;
		close(fds[0]);
		close(fds[1]);
		return got;
	}
	if (child == 0)
		child_main(fds[1], sb, fn, arg);
	close(fds[1]);
	got = read_child(fds[0], buf, len, timeout_ms);
	close(fds[0]);
	if (got < 0)
		kill(child, SIGKILL);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return got;
}
