/* dispatch.c — static, queue and pool dispatch of tasks to workers. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "dispatch.h"
#include "rt_sync.h"

struct dispatch {
	struct rt_lock lock; /* first: the page is MAP_SHARED */
	int next_task;       /* under lock */
	int ntasks, workers, chunk;
	enum dispatch_kind kind;
	uint64_t gets;       /* under lock: queue round trips */
};

struct dispatch *dispatch_create(const struct model_run *mr)
{
	struct dispatch *d = mmap(NULL, sizeof *d, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (d == MAP_FAILED) {
		err_set(mr->err, "dispatch: cannot map the shared queue: %s", strerror(errno));
		return NULL;
	}
	d->kind = (enum dispatch_kind)param_int(mr->params, "dispatch");
	d->chunk = d->kind == DISPATCH_POOL ? (int)param_int(mr->params, "chunk") : 1;
	d->ntasks = mr->ntasks;
	d->workers = mr->workers;
	return d;
}

void dispatch_destroy(struct dispatch *d)
{
	if (d)
		munmap(d, sizeof *d);
}

int dispatch_supports(const struct bench *b, const struct params *model_params, int workers,
		      struct err *why)
{
	(void)workers;
	if ((b->needs & RT_CAP_CONCURRENT) && param_int(model_params, "dispatch") == DISPATCH_POOL &&
	    param_int(model_params, "chunk") > 1)
		return err_set(why, "%s's tasks wait for each other, and dispatch=pool with chunk=%lld "
				    "hands a worker several at once (a deadlock)",
			       b->name, (long long)param_int(model_params, "chunk"));
	return 0;
}

uint64_t dispatch_gets(const struct dispatch *d) { return d->gets; }

void dispatch_cursor_init(struct dispatch_cursor *c, int worker)
{
	c->worker = worker;
	c->next = c->end = -1;
}

int dispatch_next(struct dispatch *d, struct dispatch_cursor *c, struct rt *rt)
{
	if (d->kind == DISPATCH_STATIC) {
		c->next = c->next < 0 ? c->worker : c->next + d->workers;
		return c->next < d->ntasks ? c->next : DISPATCH_END;
	}
	if (c->next >= 0 && c->next + 1 < c->end)
		return ++c->next;
	if (rt_lock(rt, &d->lock) < 0)
		return DISPATCH_FAILED;
	int first = d->next_task, last = first + d->chunk < d->ntasks ? first + d->chunk : d->ntasks;
	d->next_task = last > first ? last : first;
	d->gets++;
	rt_unlock(rt, &d->lock);
	if (first >= last)
		return DISPATCH_END;
	c->next = first;
	c->end = last;
	return first;
}
