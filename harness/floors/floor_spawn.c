/* floor_spawn.c — what creating a worker costs: fork + _exit + waitpid of
 * a copy of this (small) process, and pthread_create + pthread_join of a
 * thread that returns at once. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "clock.h"
#include "floor_measure.h"

int floor_fork_wait(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	(void)unused;
	int64_t start = clock_now_ns();
	for (uint64_t i = 0; i < ops; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return err_set(e, "fork: %s", strerror(errno));
		int status;
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				return err_set(e, "waitpid: %s", strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return err_set(e, "fork: the child ended with status 0x%x", status);
	}
	*elapsed_ns = clock_now_ns() - start;
	return 0;
}

static void *return_at_once(void *arg) { return arg; }

int floor_thread_create(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	(void)unused;
	int64_t start = clock_now_ns();
	for (uint64_t i = 0; i < ops; i++) {
		pthread_t t;
		int rc = pthread_create(&t, NULL, return_at_once, NULL);
		if (rc != 0)
			return err_set(e, "pthread_create: %s", strerror(rc));
		pthread_join(t, NULL);
	}
	*elapsed_ns = clock_now_ns() - start;
	return 0;
}
