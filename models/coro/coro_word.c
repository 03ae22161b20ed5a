/* coro_word.c — a wait list of coroutines parked on words (coro_word.h). */
#include "coro_word.h"

int coro_wait_word(struct coro_sched *s, struct coro_words *w, atomic_uint *word, unsigned expected,
		   int64_t timeout_ns)
{
	if (atomic_load(word) != expected)
		return 0;
	if (timeout_ns >= 0) {
		coro_yield(s);
		return 0;
	}
	struct coro_word_wait me = {.word = word, .co = s->current};
	if (w->tail)
		w->tail->next = &me;
	else
		w->head = &me;
	w->tail = &me;
	w->waits++;
	coro_park(s); /* coro_wake_word unlinked us */
	return 0;
}

void coro_wake_word(struct coro_sched *s, struct coro_words *w, atomic_uint *word, int n)
{
	struct coro_word_wait **link = &w->head, *prev = NULL;
	while (*link && n > 0) {
		struct coro_word_wait *x = *link;
		if (x->word != word) {
			prev = x;
			link = &x->next;
			continue;
		}
		*link = x->next;
		if (w->tail == x)
			w->tail = prev;
		n--;
		w->wakes++;
		coro_wake(s, x->co, 0);
	}
}
