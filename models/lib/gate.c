/* gate.c — the start gate shared by the models. */
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
	}
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
	pthread_cond_destroy(&g->ready_cond);
	pthread_cond_destroy(&g->go_cond);
	pthread_mutex_destroy(&g->mutex);
}

int gate_arrive(struct gate *g)
{
	pthread_mutex_lock(&g->mutex);
	g->ready++;
	pthread_cond_signal(&g->ready_cond);
	while (g->state == 0)
		pthread_cond_wait(&g->go_cond, &g->mutex);
	int go = g->state;
	pthread_mutex_unlock(&g->mutex);
	return go > 0 ? 0 : -1;
}

void gate_wait_ready(struct gate *g, int n)
{
	pthread_mutex_lock(&g->mutex);
	while (g->ready < n)
		pthread_cond_wait(&g->ready_cond, &g->mutex);
	pthread_mutex_unlock(&g->mutex);
}

void gate_open(struct gate *g, int state)
{
	pthread_mutex_lock(&g->mutex);
	g->state = state;
	pthread_cond_broadcast(&g->go_cond);
	pthread_mutex_unlock(&g->mutex);
}
