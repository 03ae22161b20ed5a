/* gil_stats.c — the bookkeeping every GIL policy shares: fatal pthread
 * errors and what each thread saw of the lock (struct gil_stats). Kept apart
 * from gil.c so that the policies never call back into the model that
 * drives them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "gil.h"

void gil_check(int status, const char *what)
{
	if (status != 0) {
		fprintf(stderr, "cmbench: gil: %s failed: %s\n", what, strerror(status));
		abort();
	}
}

void gil_note_taken(struct gil_thread *t, int64_t wait_started_ns, int switched)
{
	int64_t now = clock_now_ns();
	uint64_t waited = (uint64_t)(now - wait_started_ns);
	t->stats.acquisitions++;
	t->stats.switches += (uint64_t)switched;
	t->stats.wait_ns_total += waited;
	if (waited > t->stats.wait_ns_max)
		t->stats.wait_ns_max = waited;
	t->held_since_ns = now;
	/* After the caller's last step under its own mutex, so the cost is
	 * paid holding the lock and nobody waits on the mutex for it. Only a
	 * take-over: a thread that takes the lock back finds the lines where it
	 * left them, and its warm cost is in the tick. */
	if (switched && (t->cold_take_loops || t->lines || t->own)) {
		t->stats.cold_takes++;
		if (t->lines)
			gil_lines_touch(t->lines);
		if (t->own)
			gil_lines_touch(t->own);
		(void)gil_tick_spin(t->cold_take_loops, 0, NULL, 0);
	}
}

void gil_note_dropped(struct gil_thread *t)
{
	gil_note_hold_ended(t, clock_now_ns());
}

void gil_note_hold_ended(struct gil_thread *t, int64_t ended_ns)
{
	uint64_t held = (uint64_t)(ended_ns - t->held_since_ns);
	if (held > t->stats.hold_ns_max)
		t->stats.hold_ns_max = held;
}

int gil_cond_timed_wait(pthread_cond_t *c, pthread_mutex_t *m, int64_t ns)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	int64_t nsec = deadline.tv_nsec + ns;
	deadline.tv_sec += nsec / 1000000000;
	deadline.tv_nsec = nsec % 1000000000;
	int r = pthread_cond_timedwait(c, m, &deadline);
	if (r != 0 && r != ETIMEDOUT)
		gil_check(r, "pthread_cond_timedwait");
	return r == ETIMEDOUT;
}

uint64_t gil_budget_one_unit(struct gil *g, struct gil_thread *t)
{
	(void)g;
	(void)t;
	return 1; /* CPython 3 checks its eval breaker at every back edge: every unit */
}
