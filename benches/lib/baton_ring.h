/* baton_ring.h — inside the baton (baton.c, baton_kernel.c): the ring's
 * layout and what the two files call of each other. Workloads use baton.h. */
#pragma once
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "baton.h"

/* Everything lives in one MAP_SHARED mapping so that forked workers share
 * the ring; one task per 128 bytes keeps neighbours off each other's lines. */
struct baton_task {
	atomic_int waiting; /* waiting for the baton */
	atomic_int go;      /* futex handoff: set to 1 (and woken) when given the baton */
	int arrived;        /* has taken a step */
	int futex_private;  /* all tasks share one address space: FUTEX_PRIVATE_FLAG will do */
	int pipe_rd, pipe_wr;
	uint64_t turns_left;
	pthread_cond_t cond;
	struct baton_counts counts;
} __attribute__((aligned(128)));

struct baton_ring {
	pthread_mutex_t mutex; /* condvar and pipe handoffs change the ring under it */
	atomic_int holder;     /* task holding the baton, -1 when free */
	atomic_int nwaiting;   /* tasks with waiting set */
	atomic_int medium;     /* the handoff every task uses (0 until chosen) */
	atomic_int arrived;    /* tasks that have taken a step */
	atomic_int finished;   /* tasks that have taken their last turn */
	atomic_int solo;       /* nobody arrived in time: stop waiting for arrivals */
	atomic_int gathered;   /* every task live at once: all were wait-listed before the first handoff */
	uint64_t turns;        /* turns taken, counted by the holder: none lost if one at a time */
};

struct baton {
	struct baton_ring *ring;
	struct baton_task *tasks;
	size_t map_size;
	int ntasks;
	uint64_t rounds;
	enum baton_handoff handoff;
	int64_t stall_ns;
	int all_live; /* every task runs at once: the others will arrive */
	int one_by_one; /* the model runs tasks one after another: none can arrive */
	int have_pipes;
};

/* baton.c: take the baton if it is free (1 if `me` holds it now); list `me`
 * as waiting; fail a wait by the stall limit (-1 with rt->err set).
 * `counted`: the mutex handoffs keep a count of waiters. */
int baton_take_if_free(struct baton *b, int me, int counted);
void baton_set_waiting(struct baton *b, int me, int counted);
int baton_stalled(struct baton *b, struct rt *rt, int me);

/* baton_kernel.c: wait until `me` holds the baton (0, or -1 with rt->err
 * set), and tell task `next`, just made the holder, that it is. */
int baton_wait_condvar(struct baton *b, int me, struct rt *rt);
int baton_wait_futex(struct baton *b, int me, struct rt *rt);
int baton_wait_pipe(struct baton *b, int me, struct rt *rt);
int baton_wake(struct baton *b, int me, int next, int medium, struct rt *rt);
