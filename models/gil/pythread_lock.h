/* pythread_lock.h — CPython 2's PyThread_type_lock as Python/thread_pthread.h
 * builds it: a POSIX semaphore where the platform has them (Linux), else a
 * `locked` flag guarded by a mutex, with a condition variable signalled
 * after the mutex is released (macOS). The legacy GIL is one of these. */
#pragma once
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>

enum pythread_lock_kind { PYTHREAD_LOCK_SEM, PYTHREAD_LOCK_CONDVAR };

struct pythread_lock {
	enum pythread_lock_kind kind;
	sem_t sem;                     /* PYTHREAD_LOCK_SEM: 1 = free */
	pthread_mutex_t mut;           /* PYTHREAD_LOCK_CONDVAR: guards `locked` */
	pthread_cond_t lock_released;
	int locked;
};

/* 0, or -1 with errno set. The lock starts free. */
int pythread_lock_init(struct pythread_lock *l, enum pythread_lock_kind kind);
void pythread_lock_fini(struct pythread_lock *l);
/* PyThread_acquire_lock(lock, WAIT_LOCK), for a caller that times its
 * waits: 0 if the lock was free (no clock read), else 1, with *asked_ns the time it began to wait. The same
 * calls as CPython's: the semaphore's sem_wait is its sem_trywait's atomic
 * step and then a sleep; the condvar lock is tested once under its mutex. */
int pythread_lock_acquire_timed(struct pythread_lock *l, int64_t *asked_ns);
/* PyThread_release_lock(lock). */
void pythread_lock_release(struct pythread_lock *l);
