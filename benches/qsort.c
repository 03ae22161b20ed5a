/* qsort.c — quicksort through a work queue [Matloff, "Parallel Python
 * Threads and Multiprocessing Modules": the in-place quicksort fed by a
 * multiprocessing Queue]. One array of `n=` random 32-bit keys in shared
 * memory; the queue starts with the whole range. A worker pops a range,
 * partitions it, pushes one half on the queue and keeps partitioning the
 * other; a range of `cutoff=` keys or fewer it sorts by insertion. So the
 * queue grows while it is drained, and a worker that finds it empty waits
 * while any range is still being split (rt_workq). Verified: the array
 * equals the input sorted (a permutation, in order), compared with qsort(3)
 * of the input made in set-up. Reports how far the queue grew. A unit is
 * one key compared while partitioning, or one key of an insertion sort. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "rng.h"

struct qs_range {
	uint32_t lo, hi; /* [lo, hi) */
};

struct qs_task {
	int holding;        /* a popped range is being worked on */
	int partitioning;   /* within it, a partition is under way */
	struct qs_range r;  /* the part of the popped range still to sort */
	uint32_t i, j;      /* Lomuto: keys [lo, i) < pivot, [i, j) >= pivot */
	uint32_t pivot;
	uint64_t ranges;    /* ranges this task popped */
} __attribute__((aligned(64)));

struct qs_result {
	uint64_t ranges;
};

struct qs {
	uint32_t n, cutoff;
	int ntasks;
	uint32_t *input, *sorted; /* private: the input and the reference */
	uint32_t *keys;           /* shared: the array being sorted */
	struct rt_workq *queue;
	struct qs_task *tasks;
	struct qs_result *results;
};

static const struct param_spec qs_params[] = {
	{.name = "n", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "100k", [PROFILE_DEFAULT] = "4M", [PROFILE_FULL] = "64M",
		      [PROFILE_CI] = "4M"},
	 .min = 2, .max = 1000000000, .help = "keys to sort"},
	{.name = "cutoff", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "32"}, .min = 2,
	 .max = 1000000, .help = "ranges of at most this many keys are sorted by insertion, not split"},
	{.name = "seed", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1"}, .min = 0,
	 .max = INT64_MAX, .help = "random keys"},
	{0},
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void qs_teardown(void *state)
{
	struct qs *q = state;
	free(q->input);
	free(q->sorted);
	free(q->tasks);
	free(q->results);
	free(q);
}

static void *qs_setup(const struct bench_setup *s, struct err *e)
{
	struct qs *q = calloc(1, sizeof *q);
	if (!q) {
		err_set(e, "qsort: out of memory");
		return NULL;
	}
	q->n = (uint32_t)param_int(s->params, "n");
	q->cutoff = (uint32_t)param_int(s->params, "cutoff");
	q->ntasks = s->ntasks;
	uint64_t seed = (uint64_t)param_int(s->params, "seed");
	q->input = malloc(sizeof *q->input * q->n);
	q->sorted = malloc(sizeof *q->sorted * q->n);
	q->results = calloc((size_t)s->ntasks, sizeof *q->results);
	if (posix_memalign((void **)&q->tasks, 64, sizeof *q->tasks * (size_t)s->ntasks))
		q->tasks = NULL;
	if (!q->input || !q->sorted || !q->results || !q->tasks) {
		err_set(e, "qsort: out of memory for %u keys", q->n);
		qs_teardown(q);
		return NULL;
	}
	for (uint32_t i = 0; i < q->n; i++)
		q->input[i] = (uint32_t)rng_at(seed, i);
	memcpy(q->sorted, q->input, sizeof *q->input * q->n);
	qsort(q->sorted, q->n, sizeof *q->sorted, cmp_u32);
	/* At most one pending range per cutoff keys, plus the first. */
	uint32_t capacity = q->n / q->cutoff + 2;
	q->keys = bench_shared_alloc(s, sizeof *q->keys * q->n, e);
	if (!q->keys || !(q->queue = rt_workq_create(s->shared, capacity, sizeof(struct qs_range), e))) {
		qs_teardown(q);
		return NULL;
	}
	return q;
}

static void qs_reset(void *state)
{
	struct qs *q = state;
	memcpy(q->keys, q->input, sizeof *q->keys * q->n);
	memset(q->tasks, 0, sizeof *q->tasks * (size_t)q->ntasks);
	memset(q->results, 0, sizeof *q->results * (size_t)q->ntasks);
	rt_workq_reset(q->queue);
	struct qs_range all = {0, q->n};
	rt_workq_seed(q->queue, &all);
}

static inline void swap_keys(uint32_t *k, uint32_t a, uint32_t b)
{
	uint32_t t = k[a];
	k[a] = k[b];
	k[b] = t;
}

static void insertion_sort(uint32_t *k, uint32_t lo, uint32_t hi)
{
	for (uint32_t i = lo + 1; i < hi; i++) {
		uint32_t v = k[i], j = i;
		for (; j > lo && k[j - 1] > v; j--)
			k[j] = k[j - 1];
		k[j] = v;
	}
}

/* Start partitioning t->r: the median of three goes to the end as pivot. */
static void partition_begin(struct qs *q, struct qs_task *t)
{
	uint32_t *k = q->keys, lo = t->r.lo, hi = t->r.hi - 1, mid = lo + (hi - lo) / 2;
	if (k[mid] < k[lo])
		swap_keys(k, mid, lo);
	if (k[hi] < k[lo])
		swap_keys(k, hi, lo);
	if (k[mid] < k[hi])
		swap_keys(k, mid, hi);
	t->pivot = k[hi];
	t->i = t->j = lo;
	t->partitioning = 1;
}

static int qs_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct qs *q = state;
	struct qs_task *t = &q->tasks[task];
	uint32_t *k = q->keys;
	uint64_t units = 0;
	while (units < budget) {
		if (!t->holding) {
			int rc = rt_workq_pop(rt, q->queue, &t->r);
			if (rc == 0) { /* drained: every range is sorted */
				q->results[task].ranges = t->ranges;
				*done = units;
				return STEP_DONE;
			}
			if (rc < 0) {
				err_set(rt->err, "qsort: queue: %s", strerror(-rc));
				return STEP_ERROR;
			}
			t->holding = 1;
			t->ranges++;
		}
		if (t->r.hi - t->r.lo <= q->cutoff) {
			insertion_sort(k, t->r.lo, t->r.hi);
			units += t->r.hi - t->r.lo;
			t->holding = 0;
			int rc = rt_workq_done(rt, q->queue);
			if (rc < 0) {
				err_set(rt->err, "qsort: queue: %s", strerror(-rc));
				return STEP_ERROR;
			}
			continue;
		}
		if (!t->partitioning)
			partition_begin(q, t);
		uint32_t last = t->r.hi - 1; /* the pivot's place */
		for (; t->j < last && units < budget; t->j++, units++)
			if (k[t->j] < t->pivot)
				swap_keys(k, t->i++, t->j);
		if (t->j < last)
			break; /* budget spent mid-partition: resume here */
		swap_keys(k, t->i, last);
		t->partitioning = 0;
		/* Keep [lo, i), hand [i+1, hi) to whoever is free. */
		struct qs_range right = {t->i + 1, t->r.hi};
		t->r.hi = t->i;
		if (right.hi - right.lo >= 2) {
			int rc = rt_workq_push(rt, q->queue, &right);
			if (rc < 0) {
				err_set(rt->err, "qsort: queue of %u ranges full: %s",
					q->queue->capacity, strerror(-rc));
				return STEP_ERROR;
			}
		}
	}
	*done = units;
	return STEP_MORE;
}

static void *qs_result(void *state, int task) { return &((struct qs *)state)->results[task]; }

static int qs_verify(void *state, struct err *e)
{
	struct qs *q = state;
	/* Every range queued (the first included) was popped exactly once. */
	uint64_t popped = 0;
	for (int t = 0; t < q->ntasks; t++)
		popped += q->results[t].ranges;
	if (popped != q->queue->pushed)
		return err_set(e, "qsort: the tasks popped %llu ranges, %llu were queued",
			       (unsigned long long)popped, (unsigned long long)q->queue->pushed);
	for (uint32_t i = 0; i < q->n; i++)
		if (q->keys[i] != q->sorted[i])
			return err_set(e, "qsort: key %u is %u, the sorted input has %u there%s", i,
				       q->keys[i], q->sorted[i],
				       i && q->keys[i] < q->keys[i - 1] ? " (out of order)" : "");
	return 0;
}

static void qs_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct qs *q = state;
	json_object_set_new(fields, "ranges_queued", json_integer((json_int_t)q->queue->pushed));
	json_object_set_new(fields, "queue_max_depth", json_integer((json_int_t)q->queue->max_depth));
}

const struct bench bench_qsort = {
	.name = "qsort",
	.summary = "quicksort of one shared array through a work queue that grows while it is drained",
	.origin = "Matloff's in-place quicksort through a multiprocessing Queue",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.on_request = 1,
	.needs = RT_CAP_SHARED_MEMORY,
	.params = qs_params,
	.result_size = sizeof(struct qs_result),
	.setup = qs_setup,
	.reset = qs_reset,
	.step = qs_step,
	.result = qs_result,
	.verify = qs_verify,
	.report = qs_report,
	.teardown = qs_teardown,
};
