/* pythread_lock.c — CPython 2's thread lock (Python/thread_pthread.h),
 * re-implemented: see pythread_lock.h. Failures of the pthread calls are
 * programming errors here, as they are fatal in CPython (gil_check). */
#include <errno.h>
#include "clock.h"
#include "gil.h"
#include "pythread_lock.h"

int pythread_lock_init(struct pythread_lock *l, enum pythread_lock_kind kind)
{
	l->kind = kind;
	l->locked = 0;
	if (kind == PYTHREAD_LOCK_SEM)
		return sem_init(&l->sem, 0, 1);
	int r = pthread_mutex_init(&l->mut, NULL);
	if (r == 0 && (r = pthread_cond_init(&l->lock_released, NULL)) != 0)
		pthread_mutex_destroy(&l->mut);
	if (r != 0) {
		errno = r;
		return -1;
	}
	return 0;
}

void pythread_lock_fini(struct pythread_lock *l)
{
	if (l->kind == PYTHREAD_LOCK_SEM) {
		sem_destroy(&l->sem);
		return;
	}
	pthread_cond_destroy(&l->lock_released);
	pthread_mutex_destroy(&l->mut);
}

int pythread_lock_acquire_timed(struct pythread_lock *l, int64_t *asked_ns)
{
	if (l->kind == PYTHREAD_LOCK_SEM) {
		if (sem_trywait(&l->sem) == 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			gil_check(errno, "sem_trywait");
		*asked_ns = clock_now_ns();
		/* sem_wait until it succeeds: EINTR only means a signal arrived. */
		while (sem_wait(&l->sem) != 0)
			if (errno != EINTR)
				gil_check(errno, "sem_wait");
		return 1;
	}
	gil_check(pthread_mutex_lock(&l->mut), "pthread_mutex_lock");
	int waited = l->locked;
	if (waited)
		*asked_ns = clock_now_ns();
	while (l->locked)
		gil_check(pthread_cond_wait(&l->lock_released, &l->mut), "pthread_cond_wait");
	l->locked = 1;
	gil_check(pthread_mutex_unlock(&l->mut), "pthread_mutex_unlock");
	return waited;
}

void pythread_lock_release(struct pythread_lock *l)
{
	if (l->kind == PYTHREAD_LOCK_SEM) {
		if (sem_post(&l->sem) != 0)
			gil_check(errno, "sem_post");
		return;
	}
	gil_check(pthread_mutex_lock(&l->mut), "pthread_mutex_lock");
	l->locked = 0;
	gil_check(pthread_mutex_unlock(&l->mut), "pthread_mutex_unlock");
	/* Signalled after the unlock, as CPython 2 does: the releaser often
	 * re-takes the mutex and the lock before the woken waiter runs. */
	gil_check(pthread_cond_signal(&l->lock_released), "pthread_cond_signal");
}
