/* sieve.c — the prime finder over one shared array [Matloff, "Parallel
 * Python Threads and Multiprocessing Modules": the threading version, the
 * multiprocessing Array/Value version and the Queue version].
 *
 * One flag per number below `n=` in shared memory; every task repeatedly
 * takes the next base k — from a shared counter under a lock
 * (`source=counter`, Matloff's nextk with nextklock) or from a queue filled
 * with 2..sqrt(n) (`source=queue`) — and, if k is not crossed out yet,
 * crosses out k*k, k*k+k, ... Two tasks may cross out the same number, or
 * a task may sieve with a k that a smaller base has not reached yet: both
 * waste work, neither changes the answer, as in the original. Verified by
 * the count of primes below n against a sequential sieve made in set-up.
 * A unit is one number crossed out (or one base taken). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

enum sieve_source { SOURCE_COUNTER, SOURCE_QUEUE };

struct sieve_shared {
	struct rt_lock lock;
	uint64_t next_k;          /* source=counter: the next base, under lock */
	_Atomic unsigned char composite[]; /* [n]: 1 once crossed out */
};

struct sieve_task {
	uint64_t k;      /* base being sieved, 0: take the next */
	uint64_t next;   /* next multiple of k to cross out */
	uint64_t bases;  /* bases this task sieved with */
	int finished;
} __attribute__((aligned(64)));

struct sieve_result {
	uint64_t bases;
};

struct sieve {
	enum sieve_source source;
	uint64_t n, root, reference;
	int ntasks;
	struct sieve_shared *shared;
	struct rt_queue *bases;   /* source=queue */
	struct sieve_task *tasks;
	struct sieve_result *results;
};

static const struct param_spec sieve_params[] = {
	{.name = "n", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "300k", [PROFILE_DEFAULT] = "10M", [PROFILE_FULL] = "400M",
		      [PROFILE_CI] = "10M"},
	 .min = 3, .max = 4000000000LL, .help = "find the primes below n (one byte each, shared)"},
	{.name = "source", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "counter"},
	 .choices = "counter|queue", .help = "where the next base comes from: a counter under a lock, or a queue"},
	{0},
};

/* Primes below n, the plain way (the reference, untimed). */
static uint64_t count_primes(uint64_t n, struct err *e, int *ok)
{
	unsigned char *c = calloc(n, 1);
	*ok = c != NULL;
	if (!c) {
		err_set(e, "sieve: out of memory for the reference sieve of %llu", (unsigned long long)n);
		return 0;
	}
	uint64_t count = 0;
	for (uint64_t i = 2; i < n; i++) {
		if (c[i])
			continue;
		count++;
		for (uint64_t j = i * i; i <= n / i && j < n; j += i)
			c[j] = 1;
	}
	free(c);
	return count;
}

static void sieve_teardown(void *state)
{
	struct sieve *s = state;
	free(s->tasks);
	free(s->results);
	free(s);
}

static void *sieve_setup(const struct bench_setup *bs, struct err *e)
{
	struct sieve *s = calloc(1, sizeof *s);
	if (!s) {
		err_set(e, "sieve: out of memory");
		return NULL;
	}
	s->source = (enum sieve_source)param_int(bs->params, "source");
	s->n = (uint64_t)param_int(bs->params, "n");
	s->root = (uint64_t)sqrtl((long double)s->n);
	while (s->root * s->root > s->n)
		s->root--;
	while ((s->root + 1) * (s->root + 1) <= s->n)
		s->root++;
	s->ntasks = bs->ntasks;
	int ok;
	s->reference = count_primes(s->n, e, &ok);
	if (!ok) {
		sieve_teardown(s);
		return NULL;
	}
	s->results = calloc((size_t)s->ntasks, sizeof *s->results);
	if (posix_memalign((void **)&s->tasks, 64, sizeof *s->tasks * (size_t)s->ntasks))
		s->tasks = NULL;
	if (!s->tasks || !s->results) {
		err_set(e, "sieve: out of memory for %d tasks", s->ntasks);
		sieve_teardown(s);
		return NULL;
	}
	s->shared = bench_shared_alloc(bs, sizeof *s->shared + s->n, e);
	if (s->shared && s->source == SOURCE_QUEUE)
		s->bases = rt_queue_create(bs->shared, (uint32_t)s->root + 1, sizeof(uint64_t), e);
	if (!s->shared || (s->source == SOURCE_QUEUE && !s->bases)) {
		sieve_teardown(s);
		return NULL;
	}
	return s;
}

static void sieve_reset(void *state)
{
	struct sieve *s = state;
	memset((void *)s->shared->composite, 0, s->n);
	s->shared->next_k = 2;
	if (s->bases) {
		rt_queue_reset(s->bases);
		for (uint64_t k = 2; k <= s->root; k++)
			rt_workq_seed(s->bases, &k); /* put before the region: nobody waits */
	}
	memset(s->tasks, 0, sizeof *s->tasks * (size_t)s->ntasks);
	memset(s->results, 0, sizeof *s->results * (size_t)s->ntasks);
}

/* The next base for a task: 0 when there is none left; -1 on error. */
static int64_t next_base(struct sieve *s, struct rt *rt)
{
	if (s->source == SOURCE_QUEUE) {
		uint64_t k;
		int rc = rt_queue_try_get(rt, s->bases, &k);
		if (rc == -EAGAIN || rc == -ENODATA)
			return 0;
		if (rc < 0)
			return err_set(rt->err, "sieve: queue: %s", strerror(-rc));
		return (int64_t)k;
	}
	int rc = rt_lock(rt, &s->shared->lock);
	if (rc < 0)
		return err_set(rt->err, "sieve: lock: %s", strerror(-rc));
	uint64_t k = s->shared->next_k;
	if (k <= s->root)
		s->shared->next_k = k + 1;
	rt_unlock(rt, &s->shared->lock);
	return k <= s->root ? (int64_t)k : 0;
}

static int sieve_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct sieve *s = state;
	struct sieve_task *t = &s->tasks[task];
	_Atomic unsigned char *c = s->shared->composite;
	uint64_t units = 0;
	while (units < budget) {
		if (!t->k) {
			int64_t k = next_base(s, rt);
			units++;
			if (k < 0)
				return STEP_ERROR;
			if (k == 0) {
				s->results[task].bases = t->bases;
				*done = units;
				return STEP_DONE;
			}
			/* Matloff's `if prime[k]`: a base already crossed out is skipped. */
			if (atomic_load_explicit(&c[k], memory_order_relaxed))
				continue;
			t->k = (uint64_t)k;
			t->next = t->k * t->k;
			t->bases++;
		}
		uint64_t left = budget - units;
		while (left && t->next < s->n) {
			atomic_store_explicit(&c[t->next], 1, memory_order_relaxed);
			t->next += t->k;
			left--;
		}
		units = budget - left;
		if (t->next >= s->n)
			t->k = 0;
	}
	*done = units;
	return STEP_MORE;
}

static void *sieve_result(void *state, int task) { return &((struct sieve *)state)->results[task]; }

static uint64_t sieve_count(const struct sieve *s)
{
	uint64_t count = 0;
	for (uint64_t i = 2; i < s->n; i++)
		count += !atomic_load_explicit(&s->shared->composite[i], memory_order_relaxed);
	return count;
}

static int sieve_verify(void *state, struct err *e)
{
	struct sieve *s = state;
	/* Every prime base up to sqrt(n) is sieved with (nothing crosses a prime
	 * out) and no base twice: between pi(sqrt n) and sqrt(n) - 1 in all. */
	uint64_t bases = 0, prime_bases = 0;
	for (int t = 0; t < s->ntasks; t++)
		bases += s->results[t].bases;
	for (uint64_t k = 2; k <= s->root; k++)
		prime_bases += !atomic_load_explicit(&s->shared->composite[k], memory_order_relaxed);
	if (bases < prime_bases || bases > s->root - 1)
		return err_set(e, "sieve: the tasks sieved with %llu bases; %llu primes are at most "
				  "sqrt(%llu) and %llu bases in all",
			       (unsigned long long)bases, (unsigned long long)prime_bases,
			       (unsigned long long)s->n, (unsigned long long)(s->root - 1));
	uint64_t got = sieve_count(s);
	if (got != s->reference)
		return err_set(e, "sieve: %llu numbers below %llu left standing, %llu are prime",
			       (unsigned long long)got, (unsigned long long)s->n,
			       (unsigned long long)s->reference);
	return 0;
}

static void sieve_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct sieve *s = state;
	uint64_t bases = 0;
	for (int t = 0; t < s->ntasks; t++)
		bases += s->results[t].bases;
	json_object_set_new(fields, "primes", json_integer((json_int_t)s->reference));
	json_object_set_new(fields, "bases_sieved", json_integer((json_int_t)bases));
}

const struct bench bench_sieve = {
	.name = "sieve",
	.summary = "prime sieve over one shared array, bases from a locked counter or a queue",
	.origin = "Matloff, \"Parallel Python Threads and Multiprocessing Modules\": the prime finder (threading, multiprocessing Array/Value, Queue)",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.on_request = 1,
	.needs = RT_CAP_SHARED_MEMORY,
	.params = sieve_params,
	.result_size = sizeof(struct sieve_result),
	.setup = sieve_setup,
	.reset = sieve_reset,
	.step = sieve_step,
	.result = sieve_result,
	.verify = sieve_verify,
	.report = sieve_report,
	.teardown = sieve_teardown,
};
