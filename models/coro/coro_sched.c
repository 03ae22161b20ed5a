/* coro_sched.c — the run queue, yield, park and wake of the coroutines.
 *
 * A yield switches straight to the next runnable coroutine (one context
 * switch per yield, not two through a scheduler loop); the scheduler's own
 * context only runs to poll for events (coro_loop.c). */
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "coro_sched.h"

static inline void runq_push(struct coro_sched *s, struct coro *c)
{
	c->next = NULL;
	c->state = CORO_READY;
	if (s->tail)
		s->tail->next = c;
	else
		s->head = c;
	s->tail = c;
}

static inline struct coro *runq_pop(struct coro_sched *s)
{
	struct coro *c = s->head;
	if (c) {
		s->head = c->next;
		if (!s->head)
			s->tail = NULL;
	}
	return c;
}

/* Leave the running context for `to` (NULL: the scheduler's context).
 * A context that will never run again says so, so that ASan frees its
 * fake stack. */
static void switch_to(struct coro_sched *s, struct coro *to, int leaving_for_good)
{
	struct coro *from = s->current;
	struct coro_ctx *from_ctx = from ? &from->ctx : &s->main_ctx;
	void *fake_stack = NULL;
	s->switches++;
	s->current = to;
	if (to)
		to->state = CORO_RUNNING;
	s->switching_from = from ? &from->san : &s->main_san;
	coro_san_start(leaving_for_good ? NULL : &fake_stack, to ? &to->san : &s->main_san);
	coro_ctx_switch(s->kind, from_ctx, to ? &to->ctx : &s->main_ctx);
	coro_san_finish(fake_stack, s->switching_from);
}

static void coro_entry(void *arg)
{
	struct coro *c = arg;
	struct coro_sched *s = c->sched;
	coro_san_finish(NULL, s->switching_from);
	c->body(c->arg);
	c->state = CORO_DONE;
	s->live--;
	switch_to(s, s->stop ? NULL : runq_pop(s), 1);
	abort(); /* nothing switches back to a finished coroutine */
}

int coro_sched_init(struct coro_sched *s, enum coro_switch_kind kind, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->epfd = -1;
	if (coro_ctx_init_current(&s->main_ctx, kind) != 0)
		return err_set(e, "coroutines: out of memory for the scheduler's context");
	coro_san_init_thread(&s->main_san);
	if (coro_loop_init(s, e) != 0) {
		coro_ctx_release(&s->main_ctx);
		return -1;
	}
	return 0;
}

void coro_sched_destroy(struct coro_sched *s)
{
	coro_loop_destroy(s);
	coro_ctx_release(&s->main_ctx);
}

int coro_spawn(struct coro_sched *s, struct coro *c, void *stack_lo, size_t stack_size,
	       void (*body)(void *), void *arg, struct err *e)
{
	memset(c, 0, sizeof *c);
	c->sched = s;
	c->body = body;
	c->arg = arg;
	c->waiting_fd = -1;
	c->timer.index = -1;
	if (coro_ctx_make(&c->ctx, s->kind, stack_lo, stack_size, coro_entry, c) != 0)
		return err_set(e, "coroutines: out of memory for a context");
	coro_san_init_coro(&c->san, stack_lo, stack_size);
	s->live++;
	runq_push(s, c);
	return 0;
}

void coro_release(struct coro *c)
{
	coro_ctx_release(&c->ctx);
	coro_san_release(&c->san);
}

int coro_sched_run(struct coro_sched *s, struct err *e)
{
	while (s->live > 0 && !s->stop) {
		if (!s->head && s->parked_on_fd == 0 && !coro_timer_first(&s->timers))
			return err_set(e, "coroutines: %d coroutines neither runnable nor waiting "
					  "for an event", s->live);
		if (s->parked > 0 && (!s->head || s->poll_due)) {
			s->poll_due = 0;
			s->since_poll = 0;
			if (coro_loop_poll(s, !s->head, e) != 0)
				return -1;
			s->last_poll_ns = clock_now_ns();
		}
		struct coro *c = runq_pop(s);
		if (c)
			switch_to(s, c, 0);
	}
	return 0;
}

void coro_sched_stop(struct coro_sched *s) { s->stop = 1; }

/* While coroutines are parked, a yield goes through the scheduler to poll
 * for their events once per round of the runnable coroutines, but no more
 * often than this: a poll is a system call, and a CPU-bound coroutine that
 * yields every microsecond must not spend half its time in epoll. */
#define CORO_POLL_INTERVAL_NS 10000

void coro_yield(struct coro_sched *s)
{
	s->yields++;
	if (s->stop) {
		runq_push(s, s->current);
		switch_to(s, NULL, 0);
		return;
	}
	if (s->parked > 0 && ++s->since_poll >= s->live - s->parked &&
	    clock_now_ns() - s->last_poll_ns >= CORO_POLL_INTERVAL_NS) {
		s->poll_due = 1;
		runq_push(s, s->current);
		switch_to(s, NULL, 0);
		return;
	}
	if (!s->head)
		return; /* alone: nothing else to run */
	runq_push(s, s->current);
	switch_to(s, runq_pop(s), 0);
}

int coro_park(struct coro_sched *s)
{
	struct coro *self = s->current;
	self->state = CORO_PARKED;
	s->parked++;
	s->parks++;
	switch_to(s, s->stop ? NULL : runq_pop(s), 0);
	return self->wake_result;
}

void coro_wake(struct coro_sched *s, struct coro *c, int result)
{
	if (c->state != CORO_PARKED)
		abort(); /* a double wake is a scheduler bug, never a workload's */
	c->wake_result = result;
	s->parked--;
	runq_push(s, c);
}
