/* coro_word.h — coroutines waiting on a word of memory (the coroutine
 * model's futex), so that rt_sync.h's locks, queues and events park a
 * coroutine instead of blocking the thread that runs all of them.
 *
 * All coroutines of a scheduler run on one thread, so checking the word
 * and parking cannot race with a waker. Waiters are woken first come,
 * first served. */
#pragma once
#include <stdatomic.h>
#include "coro_sched.h"

struct coro_word_wait {
	struct coro_word_wait *next;
	atomic_uint *word;
	struct coro *co;
};

struct coro_words {
	struct coro_word_wait *head, *tail;
	uint64_t waits, wakes; /* statistics: parks on a word, coroutines woken */
};

/* From a coroutine: park while *word == expected, until coro_wake_word.
 * A timeout (timeout_ns >= 0) is served by yielding once instead (callers
 * re-check, as after any spurious wake-up). Returns 0. */
int coro_wait_word(struct coro_sched *s, struct coro_words *w, atomic_uint *word, unsigned expected,
		   int64_t timeout_ns);
/* Make up to n coroutines parked on word runnable. */
void coro_wake_word(struct coro_sched *s, struct coro_words *w, atomic_uint *word, int n);
