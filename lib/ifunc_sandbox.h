/* Where an IFUNC's resolver may run. Finding where glibc's strlen points
 * means running the library's code (its constructors, those of what it
 * links, its resolver), so the tracer runs it only in a child process that
 * has first given up everything a tracer has: root, every capability, its
 * environment, the right to gain privileges again, and all system calls
 * but those loading a library needs. For the ifunc module only. */
#ifndef BCC_C_IFUNC_SANDBOX_H
#define BCC_C_IFUNC_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Who the child becomes: looked up before the fork, since the child may
 * not open the user database. */
struct ifunc_sandbox {
	uid_t uid;
	gid_t gid;
	bool allow_exec; /* the child will execve() (the dynamic linker) */
};

/* Fills sb with the user nobody (65534 when the system has none). */
void ifunc_sandbox_init(struct ifunc_sandbox *sb);

/* In the child, before any code of the file: clears the environment,
 * drops supplementary groups, gid and uid to sb's (when root), every
 * capability and the bounding set, sets PR_SET_DUMPABLE 0 (no other
 * process of that user may ptrace it) and PR_SET_NO_NEW_PRIVS, then a
 * seccomp filter allowing reading files, mapping memory and writing to
 * open fds. Returns 0, or a negative errno: the child must then exit
 * without running anything. */
int ifunc_sandbox_enter(const struct ifunc_sandbox *sb);

/* Runs fn(arg) in a child process that has entered the sandbox, with fd 1
 * and 2 on /dev/null, fd 3 a pipe back to the caller and no other fd open,
 * and reads what it writes to fd 3 into buf (len bytes), for at most
 * timeout_ms. fn does not return (it calls _exit). Returns the bytes read,
 * or -ETIMEDOUT (the child is killed), -EINTR (a signal came: the tracer is
 * being stopped; the child is killed), or another negative errno. */
ssize_t ifunc_sandbox_run(const struct ifunc_sandbox *sb, void (*fn)(void *arg), void *arg,
			  void *buf, size_t len, int timeout_ms);

#endif
