/* syscall_watch.h — which system call a thread of this process is in now,
 * from /proc/self/task/TID/syscall: what a thread waits in (read(2), or
 * poll(2) before a read) seen from another thread, without tracing it. */
#pragma once
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* The number of the system call thread tid is in, or -1 (running in user
 * space, or the file cannot be read). */
static inline long syscall_watch(pid_t tid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long nr = -1;
	if (fscanf(f, "%ld", &nr) != 1) /* "running" */
		nr = -1;
	fclose(f);
	return nr;
}

/* A wait for readiness rather than for data: poll(2) and its kin. */
static inline int syscall_is_poll(long nr)
{
	return nr == SYS_ppoll || nr == SYS_pselect6 || nr == SYS_epoll_pwait
#ifdef SYS_poll
	       || nr == SYS_poll || nr == SYS_select || nr == SYS_epoll_wait
#endif
		;
}

/* A read of data: read(2), recv(2) and their kin. */
static inline int syscall_is_read(long nr)
{
	return nr == SYS_read || nr == SYS_recvfrom || nr == SYS_readv || nr == SYS_recvmsg;
}

/* Every thread of this process but the caller: how many are in a read of
 * data (*reading) and how many in a poll (*polling) now. */
static inline void syscall_watch_all(int *reading, int *polling)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return;
	pid_t self = (pid_t)syscall(SYS_gettid);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0 || tid == self)
			continue;
		long nr = syscall_watch(tid);
		*reading += syscall_is_read(nr);
		*polling += syscall_is_poll(nr);
	}
	closedir(d);
}
