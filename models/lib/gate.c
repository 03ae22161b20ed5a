/* gate.c — the start gate shared by the models. */
#include <errno.h>
#include "gate.h"

int gate_init(struct gate *g, int shared)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutexattr_init(&ma);
	pthread_condattr_init(&ca);
	if (shared) {
		pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
		pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
		/* a worker killed while holding it must not block the others */
		pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	}
	g->shared = shared;
	int r = pthread_mutex_init(&g->mutex, &ma);
	if (!r)
		r = pthread_cond_init(&g->ready_cond, &ca);
	if (!r)
		r = pthread_cond_init(&g->go_cond, &ca);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_destroy(&ca);
	g->ready = 0;
	g->state = 0;
	return r ? -1 : 0;
}

void gate_destroy(struct gate *g)
{
	/* A process-shared gate is only destroyed with its mapping: glibc's
	 * pthread_cond_destroy waits for every waiter to acknowledge its
	 * wake-up, and a worker killed while waiting never does (the cell hung
	 * there until --timeout). Its memory is all there is to free. */
	if (g->shared)
		return;
	pthread_cond_destroy(&g->ready_cond);
	pthread_cond_destroy(&g->go_cond);
	pthread_mutex_destroy(&g->mutex);
}

/* Lock; a robust mutex whose holder died is taken over (the gate's counters
 * are updated in single statements, so they are consistent). */
static void gate_lock(struct gate *g)
{
	if (pthread_mutex_lock(&g->mutex) == EOWNERDEAD)
		pthread_mutex_consistent(&g->mutex);
}

static void gate_cond_wait(pthread_cond_t *c, struct gate *g)
{
	if (pthread_cond_wait(c, &g->mutex) == EOWNERDEAD)
		pthread_mutex_consistent(&g->mutex);
}

int gate_arrive(struct gate *g)
{
	gate_lock(g);
	g->ready++;
	pthread_cond_signal(&g->ready_cond);
	while (g->state == 0)
		gate_cond_wait(&g->go_cond, g);
	int go = g->state;
	pthread_mutex_unlock(&g->mutex);
	return go > 0 ? 0 : -1;
}

void gate_wait_ready(struct gate *g, int n)
{
	gate_lock(g);
	while (g->ready < n)
		gate_cond_wait(&g->ready_cond, g);
	pthread_mutex_unlock(&g->mutex);
}

void gate_open(struct gate *g, int state)
{
	gate_lock(g);
	g->state = state;
	pthread_cond_broadcast(&g->go_cond);
	pthread_mutex_unlock(&g->mutex);
}
