/* coro_sched.c — run queues, the switch, yield, park and wake, and the
 * scheduler loop of one thread (coro_sched.h). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "clock.h"
#include "coro_sched.h"

/* While coroutines wait for events, a yield goes through the scheduler to
 * poll for them once per round of the runnable coroutines, but no more
 * often than this: a poll is a system call, and a CPU-bound coroutine that
 * yields every microsecond must not spend half its time in epoll. */
#define CORO_POLL_INTERVAL_NS 10000

/* The run queue's lock: taken only when several schedulers share work,
 * held for a few loads and stores. */
static inline void q_lock(struct coro_sched *s)
{
	if (s->mn)
		coro_spin_lock(&s->qlock);
}

static inline void q_unlock(struct coro_sched *s)
{
	if (s->mn)
		coro_spin_unlock(&s->qlock);
}

static void poke_one(struct coro_group *g, const struct coro_sched *self);

#define IDLE_ONE 1ull
#define IDLE_LEFT (1ull << 32) /* one more exit, one fewer idle: + IDLE_LEFT - IDLE_ONE */

static inline int idle_count(uint64_t word) { return (int)(word & 0xffffffffu); }

/* Append c to s's run queue (from s's thread, or any thread when mn). */
static void runq_push(struct coro_sched *s, struct coro *c)
{
	c->next = NULL;
	c->state = CORO_READY;
	q_lock(s);
	if (s->tail)
		s->tail->next = c;
	else
		s->head = c;
	s->tail = c;
	if (!s->mn) {
		/* One thread: no locked instruction on the handoff path. */
		atomic_store_explicit(&s->queued,
				      atomic_load_explicit(&s->queued, memory_order_relaxed) + 1,
				      memory_order_relaxed);
		return;
	}
	/* seq_cst: a scheduler going to sleep counts itself, then looks at the
	 * queues; we add to a queue, then look for sleepers. One of the two
	 * sees the other. */
	atomic_fetch_add(&s->queued, 1);
	q_unlock(s);
	if (idle_count(atomic_load(&s->group->idle)) > 0)
		poke_one(s->group, s);
}

static struct coro *runq_pop(struct coro_sched *s)
{
	if (atomic_load_explicit(&s->queued, memory_order_relaxed) == 0)
		return NULL;
	q_lock(s);
	struct coro *c = s->head;
	if (c) {
		s->head = c->next;
		if (!s->head)
			s->tail = NULL;
		/* Changed only under the lock (or by the one thread). */
		atomic_store_explicit(&s->queued,
				      atomic_load_explicit(&s->queued, memory_order_relaxed) - 1,
				      memory_order_relaxed);
	}
	q_unlock(s);
	return c;
}

/* M:N: take a coroutine from another scheduler's queue, the next ones in
 * index order first. */
static struct coro *steal(struct coro_sched *s)
{
	struct coro_group *g = s->group;
	for (int k = 1; k < g->nsched; k++) {
		struct coro_sched *v = &g->scheds[(s->index + k) % g->nsched];
		struct coro *c = runq_pop(v);
		if (c) {
			s->steals++;
			return c;
		}
	}
	return NULL;
}

static struct coro *next_runnable(struct coro_sched *s)
{
	struct coro *c = runq_pop(s);
	if (!c && s->mn)
		c = steal(s);
	return c;
}

/* Wake a sleeping scheduler other than self, if any. */
static void poke_one(struct coro_group *g, const struct coro_sched *self)
{
	for (int k = 1; k <= g->nsched; k++) {
		struct coro_sched *x = &g->scheds[(self->index + k) % g->nsched];
		if (x != self && atomic_exchange(&x->asleep, 0) == 1) {
			uint64_t one = 1;
			ssize_t r = write(x->wake_fd, &one, sizeof one);
			(void)r; /* an eventfd only refuses at 2^64-1 pending */
			return;
		}
	}
}

static void poke_all(struct coro_group *g)
{
	for (int i = 0; i < g->nsched && g->nsched > 1; i++) {
		uint64_t one = 1;
		ssize_t r = write(g->scheds[i].wake_fd, &one, sizeof one);
		(void)r;
	}
}

void coro_after_switch_work(struct coro_sched *s)
{
	struct coro *c = s->requeue;
	if (c) {
		s->requeue = NULL;
		runq_push(s, c);
	}
	if (s->release) {
		coro_spin_unlock(s->release);
		s->release = NULL;
	}
}

/* Leave the running context for `to` (NULL: the scheduler's context).
 * Returns the scheduler that runs the caller when it resumes (another one,
 * M:N, if it was stolen meanwhile). A context that will never run again
 * says so, so that ASan frees its fake stack. */
static inline struct coro_sched *switch_to(struct coro_sched *s, struct coro *to,
					   int leaving_for_good)
{
	struct coro *from = s->current;
	void *fake_stack = NULL;
	s->switches++;
	s->current = to;
	if (to) {
		to->state = CORO_RUNNING;
		to->sched = s;
	}
	s->switching_from = from ? &from->san : &s->main_san;
	coro_san_start(leaving_for_good ? NULL : &fake_stack, to ? &to->san : &s->main_san);
	coro_ctx_switch(s->kind, from ? &from->ctx : &s->main_ctx, to ? &to->ctx : &s->main_ctx);
	if (from)
		s = from->sched; /* whoever resumed us set it */
	coro_san_finish(fake_stack, s->switching_from);
	coro_after_switch(s);
	return s;
}

static void coro_entry(void *arg)
{
	struct coro *c = arg;
	struct coro_sched *s = c->sched;
	coro_san_finish(NULL, s->switching_from);
	coro_after_switch(s);
	c->body(c->arg);
	s = c->sched;
	c->state = CORO_DONE;
	struct coro_group *g = s->group;
	if (atomic_fetch_sub(&g->live, 1) == 1)
		poke_all(g); /* the last one: sleeping schedulers can go home */
	switch_to(s, atomic_load_explicit(&g->stop, memory_order_relaxed) ? NULL : next_runnable(s),
		  1);
	abort(); /* nothing switches back to a finished coroutine */
}

/* The event loop's callback: a wait is over. */
static void loop_wake(struct coro_loop *l, struct coro_wait *w, int result)
{
	struct coro_sched *s = (struct coro_sched *)((char *)l - offsetof(struct coro_sched, loop));
	if (w == &s->wake_wait) {
		uint64_t count;
		ssize_t r = read(s->wake_fd, &count, sizeof count);
		(void)r;
		s->wake_armed = 0;
		l->fd_wakeups--; /* no coroutine's: the statistics count those */
		return;
	}
	struct coro *c = (struct coro *)((char *)w - offsetof(struct coro, wait));
	coro_wake(s, c, result);
	/* After the push: a scheduler that sees no event waits (read first)
	 * then sees the queued coroutine. */
	if (s->mn)
		atomic_fetch_sub(&s->group->event_waits, 1);
}

static int sched_setup(struct coro_sched *s, struct coro_group *g, int index,
		       enum coro_switch_kind kind, const struct coro_backend_ops *backend,
		       struct err *e)
{
	s->group = g;
	s->index = index;
	s->mn = g->nsched > 1;
	atomic_init(&s->detour, s->mn);
	s->kind = kind;
	s->wake_fd = -1;
	coro_wait_init(&s->wake_wait);
	if (coro_ctx_init_current(&s->main_ctx, kind) != 0)
		return err_set(e, "coroutines: out of memory for the scheduler's context");
	coro_san_init_thread(&s->main_san);
	if (coro_loop_init(&s->loop, backend, loop_wake, e) != 0) {
		coro_ctx_release(&s->main_ctx);
		return -1;
	}
	if (s->mn) {
		s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (s->wake_fd < 0) {
			int saved = errno;
			coro_loop_destroy(&s->loop);
			coro_ctx_release(&s->main_ctx);
			return err_set(e, "coroutines: eventfd: %s", strerror(saved));
		}
	}
	return 0;
}

static void sched_teardown(struct coro_sched *s)
{
	coro_loop_destroy(&s->loop);
	coro_ctx_release(&s->main_ctx);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	s->wake_fd = -1;
}

int coro_sched_init_backend(struct coro_sched *s, enum coro_switch_kind kind,
			    const struct coro_backend_ops *backend, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->solo.nsched = 1;
	s->solo.scheds = s;
	return sched_setup(s, &s->solo, 0, kind, backend, e);
}

int coro_sched_init(struct coro_sched *s, enum coro_switch_kind kind, struct err *e)
{
	return coro_sched_init_backend(s, kind, &coro_backend_epoll, e);
}

void coro_sched_destroy(struct coro_sched *s) { sched_teardown(s); }

int coro_group_init(struct coro_group *g, int nsched, enum coro_switch_kind kind,
		    const struct coro_backend_ops *backend, struct err *e)
{
	memset(g, 0, sizeof *g);
	g->scheds = calloc((size_t)nsched, sizeof *g->scheds);
	if (!g->scheds)
		return err_set(e, "coroutines: out of memory for %d schedulers", nsched);
	g->nsched = nsched;
	for (int i = 0; i < nsched; i++) {
		if (sched_setup(&g->scheds[i], g, i, kind, backend, e) != 0) {
			while (i-- > 0)
				sched_teardown(&g->scheds[i]);
			free(g->scheds);
			g->scheds = NULL;
			return -1;
		}
	}
	return 0;
}

void coro_group_destroy(struct coro_group *g)
{
	for (int i = 0; i < g->nsched; i++)
		sched_teardown(&g->scheds[i]);
	free(g->scheds);
	g->scheds = NULL;
}

int coro_spawn(struct coro_sched *s, struct coro *c, void *stack_lo, size_t stack_size,
	       void (*body)(void *), void *arg, struct err *e)
{
	memset(c, 0, sizeof *c);
	c->sched = s;
	c->body = body;
	c->arg = arg;
	coro_wait_init(&c->wait);
	if (coro_ctx_make(&c->ctx, s->kind, stack_lo, stack_size, coro_entry, c) != 0)
		return err_set(e, "coroutines: out of memory for a context");
	coro_san_init_coro(&c->san, stack_lo, stack_size);
	atomic_fetch_add(&s->group->live, 1);
	runq_push(s, c);
	return 0;
}

void coro_release(struct coro *c)
{
	coro_ctx_release(&c->ctx);
	coro_san_release(&c->san);
}

void coro_sched_stop(struct coro_sched *s)
{
	struct coro_group *g = s->group;
	atomic_store(&g->stop, 1);
	for (int i = 0; i < g->nsched; i++)
		atomic_store_explicit(&g->scheds[i].detour, 1, memory_order_relaxed);
	poke_all(g);
}

static int group_fail(struct coro_group *g, struct err *e)
{
	int none = 0;
	if (atomic_compare_exchange_strong(&g->failed, &none, 1))
		g->err = *e;
	coro_sched_stop(&g->scheds[0]);
	return -1;
}

static int work_queued(const struct coro_group *g)
{
	for (int i = 0; i < g->nsched; i++)
		if (atomic_load(&g->scheds[i].queued) > 0)
			return 1;
	return 0;
}

/* M:N, nothing runnable here or anywhere: sleep in the event loop until an
 * event, a timer, or another scheduler's poke. 0, or -1 with e. */
static int sleep_in_loop(struct coro_sched *s, struct err *e)
{
	struct coro_group *g = s->group;
	if (!s->wake_armed) {
		int r = coro_loop_watch_fd(&s->loop, &s->wake_wait, s->wake_fd, POLLIN, -1);
		if (r < 0)
			return err_set(e, "coroutines: watching the wake-up eventfd: %s", strerror(-r));
		s->wake_armed = 1;
	}
	atomic_store(&s->asleep, 1);
	uint64_t entered = atomic_fetch_add(&g->idle, IDLE_ONE) + IDLE_ONE;
	int event_waits = atomic_load(&g->event_waits); /* before the queues: see loop_wake */
	int rc = 0;
	if (!work_queued(g) && !atomic_load(&g->stop) && atomic_load(&g->live) > 0) {
		/* A deadlock only if every scheduler was idle from our entry to
		 * now (the word did not change): then no coroutine ran meanwhile,
		 * none could start waiting for an event, and the queues we read
		 * could only have grown through an event wait, which we counted.
		 * The count alone can be stale: a scheduler that has just woken
		 * a coroutine from its loop is still counted while it leaves. */
		if (idle_count(entered) == g->nsched && event_waits == 0 &&
		    coro_loop_pending(&s->loop) == s->wake_armed &&
		    atomic_load(&g->idle) == entered) {
			rc = err_set(e, "coroutines: %d coroutines neither runnable nor waiting for "
					"an event", atomic_load(&g->live));
		} else {
			rc = coro_loop_poll(&s->loop, -1, e);
			s->last_poll_ns = clock_now_ns();
		}
	}
	atomic_store(&s->asleep, 0);
	atomic_fetch_add(&g->idle, IDLE_LEFT - IDLE_ONE);
	return rc;
}

int coro_group_thread(struct coro_group *g, int i, struct err *e)
{
	struct coro_sched *s = &g->scheds[i];
	coro_san_init_thread(&s->main_san); /* this thread's fiber */
	while (atomic_load_explicit(&g->live, memory_order_relaxed) > 0 &&
	       !atomic_load_explicit(&g->stop, memory_order_relaxed)) {
		int waits = coro_loop_pending(&s->loop) - s->wake_armed;
		int queued = atomic_load_explicit(&s->queued, memory_order_relaxed);
		if (waits > 0 && (queued == 0 || s->poll_due)) {
			s->poll_due = 0;
			s->since_poll = 0;
			/* Alone on one scheduler, nothing to run: wait here. */
			int64_t timeout = !s->mn && queued == 0 ? -1 : 0;
			if (coro_loop_poll(&s->loop, timeout, e) != 0)
				return group_fail(g, e);
			s->last_poll_ns = clock_now_ns();
		}
		struct coro *c = next_runnable(s);
		if (c) {
			switch_to(s, c, 0);
			continue;
		}
		if (!s->mn) {
			if (coro_loop_pending(&s->loop) == 0) {
				err_set(e, "coroutines: %d coroutines neither runnable nor waiting for "
					   "an event", atomic_load(&g->live));
				return group_fail(g, e);
			}
			continue;
		}
		if (sleep_in_loop(s, e) != 0)
			return group_fail(g, e);
	}
	if (atomic_load(&g->failed) && !e->msg[0])
		*e = g->err;
	return atomic_load(&g->failed) ? -1 : 0;
}

int coro_sched_run(struct coro_sched *s, struct err *e)
{
	return coro_group_thread(s->group, s->index, e);
}

/* coro_yield's long way: M:N, event waits to poll for, or a stop. */
int coro_yield_slow(struct coro_sched *s)
{
	struct coro *self = s->current;
	if (atomic_load_explicit(&s->group->stop, memory_order_relaxed)) {
		s->requeue = self;
		switch_to(s, NULL, 0);
		return 0;
	}
	int waits = coro_loop_pending(&s->loop) - s->wake_armed;
	if (waits > 0 && ++s->since_poll > atomic_load_explicit(&s->queued, memory_order_relaxed) &&
	    clock_now_ns() - s->last_poll_ns >= CORO_POLL_INTERVAL_NS) {
		s->poll_due = 1;
		s->requeue = self;
		switch_to(s, NULL, 0);
		return 0;
	}
	struct coro *next = next_runnable(s);
	if (!next)
		return waits == 0; /* nobody else could have run */
	s->requeue = self;
	switch_to(s, next, 0);
	return 0;
}

int coro_park(struct coro_sched *s) { return coro_park_release(s, NULL); }

int coro_park_release(struct coro_sched *s, atomic_int *lock)
{
	struct coro *self = s->current;
	self->state = CORO_PARKED;
	s->parks++;
	s->release = lock;
	struct coro *next =
		atomic_load_explicit(&s->group->stop, memory_order_relaxed) ? NULL : next_runnable(s);
	switch_to(s, next, 0);
	return self->wake_result;
}

void coro_wake(struct coro_sched *s, struct coro *c, int result)
{
	if (c->state != CORO_PARKED)
		abort(); /* a double wake is a scheduler bug, never a workload's */
	c->wake_result = result;
	runq_push(s, c);
}

/* Park on the event loop (the wait is armed). */
static int park_on_event(struct coro_sched *s)
{
	if (s->mn) /* only M:N needs the count (sleep_in_loop) */
		atomic_fetch_add(&s->group->event_waits, 1);
	return coro_park(s);
}

int coro_wait_fd(struct coro_sched *s, int fd, int events, int64_t timeout_ns)
{
	if (fd < 0)
		return -EBADF;
	if (timeout_ns == 0) {
		struct pollfd p = {.fd = fd, .events = (short)events};
		int r = poll(&p, 1, 0);
		return r > 0 ? 0 : r == 0 ? -ETIMEDOUT : -errno;
	}
	struct coro *self = s->current;
	int r = coro_loop_watch_fd(&s->loop, &self->wait, fd, events,
				   timeout_ns > 0 ? clock_now_ns() + timeout_ns : -1);
	return r < 0 ? r : park_on_event(s);
}

int coro_sleep(struct coro_sched *s, int64_t ns)
{
	if (ns <= 0) {
		coro_yield(s);
		return 0;
	}
	if (coro_loop_watch_timer(&s->loop, &s->current->wait, clock_now_ns() + ns) != 0)
		return -ENOMEM;
	return park_on_event(s);
}

void coro_group_stats(const struct coro_group *g, struct coro_stats *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < g->nsched; i++) {
		const struct coro_sched *s = &g->scheds[i];
		out->switches += s->switches;
		out->yields += s->yields;
		out->parks += s->parks;
		out->steals += s->steals;
		out->polls += s->loop.polls;
		out->fd_wakeups += s->loop.fd_wakeups;
		out->timer_wakeups += s->loop.timer_wakeups;
	}
}
