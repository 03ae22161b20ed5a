/* baton.h — a baton passed around a ring of tasks, each taking a fixed
 * number of turns, with the ways a task can wait for it (the handoffs).
 *
 * A task takes a turn only while it holds the baton, then hands it to the
 * next task (in ring order) that is waiting for it, and waits for its own
 * next turn. How a task waits depends on what can wake it:
 *  - yield:   spin on rt_yield() until given the baton — for a model whose
 *             yield switches straight to the next task (coroutines: one
 *             context switch per handoff);
 *  - condvar: a process-shared mutex and one condition variable per task
 *             (threads: a futex wake and a kernel context switch);
 *  - futex:   one futex word per task, set and woken by the holder (threads:
 *             the same kernel path as condvar, without the condition
 *             variable's own bookkeeping and its second mutex round);
 *  - pipe:    one pipe per task, waited on with rt_wait_fd() (processes);
 *  - auto:    yield if the model can switch tasks (RT_CAP_YIELD), pipe if
 *             workers are separate processes (RT_CAP_SEPARATE_ADDRESS_SPACES),
 *             else condvar.
 * The ring lives in one MAP_SHARED mapping, so forked workers share it.
 * The workload that measures it is benches/yield.c. */
#pragma once
#include <stdint.h>
#include "err.h"
#include "runtime.h"

enum baton_handoff { BATON_AUTO, BATON_YIELD, BATON_CONDVAR, BATON_FUTEX, BATON_PIPE };
#define BATON_HANDOFF_CHOICES "auto|yield|condvar|futex|pipe"
extern const char *const baton_handoff_names[];

/* What one task did (in the shared mapping: valid across fork). */
struct baton_counts {
	uint64_t turns;    /* turns taken */
	uint64_t handoffs; /* batons passed to another task */
	uint64_t yields;   /* rt_yield calls while waiting */
};

struct baton;

/* A ring of ntasks tasks that take `rounds` turns each with `handoff`;
 * a task that waits longer than stall_ns for its turn fails. all_live:
 * every task runs at once (the others will arrive, however late);
 * one_by_one: the model runs the tasks one after another (none can
 * arrive while one runs). NULL with e set (out of memory, or the
 * descriptors handoff=pipe needs). */
struct baton *baton_create(int ntasks, uint64_t rounds, enum baton_handoff handoff,
			   int64_t stall_ns, int all_live, int one_by_one, struct err *e);
void baton_destroy(struct baton *b);
/* Before each repetition: nobody holds the baton, every task has all its
 * turns ahead. */
void baton_reset(struct baton *b);

/* The handoff task `me` uses under rt (every task of a run must agree);
 * the handoff, or -1 with rt->err set. Also counts `me` as arrived. */
int baton_join(struct baton *b, int me, struct rt *rt);
/* Take up to `budget` turns, each: wait for the baton, take the turn, hand
 * the baton on (or keep it if nobody waits; drop it after the last turn).
 * *done = the turns taken. 1 while `me` has turns left, 0 after its last
 * (also when it had none left), -1 with rt->err set. */
int baton_take_turns(struct baton *b, int me, int handoff, uint64_t budget, uint64_t *done,
		     struct rt *rt);

struct baton_counts *baton_counts(struct baton *b, int me);
/* The task holding the baton, -1 when free (after a run: nobody). */
int baton_holder(const struct baton *b);
/* Turns taken since the reset, counted by whoever held the baton: fewer
 * than the tasks' own counts when two tasks took turns at once. */
uint64_t baton_turns_taken(const struct baton *b);
/* The handoff the tasks agreed on (BATON_AUTO before any task joined). */
enum baton_handoff baton_chosen(const struct baton *b);
