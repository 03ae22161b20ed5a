/* test_coro_backend.c — where the kernel refuses io_uring, selecting it is
 * an error that says so, and epoll still works: a forked child installs a
 * seccomp filter that fails io_uring_setup with EPERM (as container
 * runtimes do), then creates each backend. Without liburing in the build,
 * the io_uring backend must say "built without liburing" instead. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "coro_backend.h"

static int deny_io_uring_setup(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* In the child: 0 if io_uring is refused with a message naming the reason
 * and epoll works. */
static int child(void)
{
	if (deny_io_uring_setup() != 0)
		return 77; /* no seccomp here: nothing to test */
	struct coro_backend *b = NULL;
	struct err e = {{0}};
	if (coro_backend_io_uring.create(&b, &e) == 0) {
		fprintf(stderr, "io_uring created despite the filter\n");
		return 1;
	}
	if (!strstr(e.msg, "backend=io_uring") ||
	    (!strstr(e.msg, "Operation not permitted") && !strstr(e.msg, "without liburing"))) {
		fprintf(stderr, "unclear refusal: %s\n", e.msg);
		return 1;
	}
	printf("refused: %s\n", e.msg);
	fflush(stdout);
	if (coro_backend_epoll.create(&b, &e) != 0) {
		fprintf(stderr, "epoll refused too: %s\n", e.msg);
		return 1;
	}
	coro_backend_epoll.destroy(b);
	return 0;
}

int main(void)
{
	fflush(stdout);
	pid_t pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0)
		_exit(child());
	int status = 0;
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	CHECK(WIFEXITED(status), "the child died (status %#x)", status);
	if (WEXITSTATUS(status) == 77) {
		printf("coro_backend: seccomp unavailable, skipped\n");
		return 77;
	}
	CHECK_INT(WEXITSTATUS(status), 0);
	return check_report("coro_backend");
}
