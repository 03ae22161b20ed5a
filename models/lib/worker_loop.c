/* worker_loop.c — see worker_loop.h. */
#include <sched.h> /* sched_getcpu */
#include <stdlib.h>
#include "worker_loop.h"

static int run_task(const struct worker_loop *l, void *ctx, int task, struct rt *rt)
{
	return l->run_task ? l->run_task(ctx, task, rt) : model_run_task(l->mr, task, rt);
}

int worker_loop_run(const struct worker_loop *l, struct rt *rt, void *ctx)
{
	int bound = model_bind_worker(l->mr, rt->worker, l->as_process, rt->err);
	if (bound == 0)
		bound = model_worker_setup(l->mr, rt);
	if (gate_arrive(l->gate) < 0)
		return WORKER_LOOP_ABORTED;
	if (bound < 0) {
		atomic_store(l->failed, 1);
		return WORKER_LOOP_FAILED;
	}
	if (l->begin)
		l->begin(ctx);
	if (l->where)
		l->where[rt->worker].first = sched_getcpu();
	int rc = WORKER_LOOP_DONE;
	struct dispatch_cursor cur;
	dispatch_cursor_init(&cur, rt->worker);
	for (;;) {
		int task = dispatch_next(l->dispatch, &cur, rt);
		if (task == DISPATCH_END || atomic_load(l->failed))
			break;
		if (task == DISPATCH_FAILED || run_task(l, ctx, task, rt) < 0) {
			atomic_store(l->failed, 1);
			rc = WORKER_LOOP_FAILED;
			break;
		}
	}
	if (l->where)
		l->where[rt->worker].last = sched_getcpu();
	if (l->end)
		l->end(ctx);
	return rc;
}

struct worker_where *worker_where_create(int n)
{
	struct worker_where *w = malloc((size_t)(n > 0 ? n : 1) * sizeof *w);
	for (int i = 0; w && i < n; i++)
		w[i] = (struct worker_where){-1, -1};
	return w;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

void worker_where_to_json(const struct worker_where *w, int n, json_t *out)
{
	if (!out || n <= 0)
		return;
	for (int i = 0; i < n; i++)
		if (w[i].first < 0 || w[i].last < 0)
			return; /* sched_getcpu failed, or a worker never ran */
	int *last = malloc((size_t)n * sizeof *last);
	if (!last)
		return;
	json_t *cpus = json_array();
	int moved = 0;
	for (int i = 0; i < n; i++) {
		json_array_append_new(cpus, json_pack("[i, i]", w[i].first, w[i].last));
		moved += w[i].first != w[i].last;
		last[i] = w[i].last;
	}
	qsort(last, (size_t)n, sizeof *last, cmp_int);
	int distinct = 1;
	for (int i = 1; i < n; i++)
		distinct += last[i] != last[i - 1];
	free(last);
	json_object_set_new(out, "worker_cpus", cpus);
	json_object_set_new(out, "workers_moved", json_integer(moved));
	json_object_set_new(out, "cpus_at_end", json_integer(distinct));
}
