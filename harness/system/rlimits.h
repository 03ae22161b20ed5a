/* rlimits.h — making room for many tasks: raise a soft resource limit
 * (and, when the process may, the hard one) before the system refuses. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* Make RLIMIT_NOFILE allow `extra` more descriptors than are open now.
 * 0, or -1 with e saying how many are needed, the limit, and what to do. */
int rlimit_ensure_fds(uint64_t extra, const char *who, struct err *e);

/* Make `resource` (RLIMIT_NPROC, ...) at least `want`. Same contract. */
int rlimit_ensure(int resource, uint64_t want, const char *who, struct err *e);

/* Descriptors open in this process now (counted in /proc/self/fd). */
int rlimit_open_fds(void);

/* Make room for `n` more processes or threads: raise RLIMIT_NPROC if needed
 * and check that kernel.pid_max and kernel.threads-max leave room for them
 * beside the tasks already running. 0, or -1 with e saying which limit
 * refuses and by how much. */
int rlimit_ensure_tasks(uint64_t n, const char *who, struct err *e);

/* "ulimit -u U, kernel.pid_max P, kernel.threads-max T, R tasks running":
 * what to tell a user whose fork or pthread_create failed with EAGAIN. */
void rlimit_describe_tasks(char *buf, size_t len);
