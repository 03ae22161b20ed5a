/* gate.h — the start gate: workers report ready and wait; the model opens
 * the gate once everyone is ready (and the clock has started), or aborts it
 * when a worker could not be created. Works across fork() when the gate
 * lives in a MAP_SHARED mapping (gate_init with shared = 1). */
#pragma once
#include <pthread.h>

struct gate {
	pthread_mutex_t mutex;
	/* Two conditions: arrivals wake only the model, and opening wakes the
	 * workers once. One shared condition made every arrival wake every
	 * worker already waiting: n^2/2 wake-ups, minutes at 10,000 workers. */
	pthread_cond_t ready_cond; /* a worker arrived (the model waits) */
	pthread_cond_t go_cond;    /* the gate opened (workers wait) */
	int ready;  /* workers waiting at the gate */
	int state;  /* 0 closed, 1 open, -1 aborted */
	int shared; /* across processes: robust mutex, never destroyed (see gate.c) */
};

int gate_init(struct gate *g, int shared);
void gate_destroy(struct gate *g);
/* Worker side: report ready, wait for the gate. Returns 0 to go, -1 if aborted. */
int gate_arrive(struct gate *g);
/* Model side: wait until `n` workers are ready. */
void gate_wait_ready(struct gate *g, int n);
/* Model side: let everyone go (state 1) or send them home (state -1). */
void gate_open(struct gate *g, int state);
