/* primesum.c — uneven jobs [Parallel Python's sum_primes example: a job
 * server computing the sum of the primes below n for a list of n]: `jobs=`
 * jobs whose n grows geometrically from `min=` to `max=`, each the sum of
 * the primes below n by trial division, as in the example's isprime().
 * Their costs differ by orders of magnitude, which is the point:
 *  - split=static: each task takes a contiguous run of jobs (the big ones
 *    all land on the last task, as a hand-made split of a sorted list does);
 *  - split=queue: each task takes the next job from a shared counter, as a
 *    job server or Pool.imap_unordered hands them out.
 * The load-balance gap is the difference. Each task's slot holds its jobs'
 * sums, their count and a checksum of which jobs it did; the model reduces
 * them (so the workload runs under MPI too with split=static), and verify()
 * compares with a sieve's sums made in set-up. A unit is one candidate
 * tested for primality. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "rng.h"
#include "split.h"

enum primesum_split { SPLIT_STATIC, SPLIT_QUEUE };

struct primesum_result {
	uint64_t jobs;      /* jobs done */
	uint64_t sum;       /* sum over those jobs of their sums of primes */
	uint64_t checksum;  /* sum of rng_mix(job index): which jobs were done */
};

static const struct reduce_field primesum_reduce[] = {
	{REDUCE_SUM, REDUCE_U64, offsetof(struct primesum_result, jobs)},
	{REDUCE_SUM, REDUCE_U64, offsetof(struct primesum_result, sum)},
	{REDUCE_SUM, REDUCE_U64, offsetof(struct primesum_result, checksum)},
	{0},
};

struct primesum_task {
	int64_t job;        /* job in progress, -1: take the next */
	uint64_t next_job;  /* split=static: the next of [next_job, end_job) */
	uint64_t end_job;
	uint64_t candidate; /* next number of the job to test */
	uint64_t job_sum;
	struct primesum_result result;
} __attribute__((aligned(64)));

struct primesum {
	enum primesum_split split;
	uint64_t njobs, expected_sum, expected_checksum;
	uint64_t *limits;           /* n of each job */
	int ntasks;
	struct rt_counter *next;    /* split=queue: the next job to hand out */
	struct primesum_task *tasks;
	struct primesum_result reduced;
};

static const struct param_spec primesum_params[] = {
	{.name = "jobs", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "24"}, .min = 1,
	 .max = 100000, .help = "jobs, from the smallest n to the largest"},
	{.name = "min", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1000"}, .min = 3,
	 .max = 1000000000, .help = "n of the smallest job"},
	{.name = "max", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "100k", [PROFILE_DEFAULT] = "1M", [PROFILE_FULL] = "8M",
		      [PROFILE_CI] = "1M"},
	 .min = 3, .max = 1000000000, .help = "n of the largest job (sizes grow geometrically)"},
	{.name = "split", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "queue"},
	 .choices = "static|queue", .help = "contiguous runs of jobs per task, or the next job from a shared counter"},
	{0},
};

/* The example's isprime(): trial division by 2 and the odd numbers up to sqrt(n). */
static inline int is_prime(uint64_t n)
{
	if (n < 2)
		return 0;
	if (n < 4)
		return 1;
	if (n % 2 == 0)
		return 0;
	for (uint64_t d = 3; d <= n / d; d += 2)
		if (n % d == 0)
			return 0;
	return 1;
}

static int primesum_supports(const struct params *p, unsigned caps, int workers, struct err *why)
{
	(void)workers;
	if (param_int(p, "split") == SPLIT_QUEUE && !(caps & RT_CAP_SHARED_MEMORY))
		return err_set(why, "primesum split=queue needs a shared job counter (shared memory); "
				    "split=static runs everywhere");
	return 0;
}

static void primesum_teardown(void *state)
{
	struct primesum *p = state;
	free(p->limits);
	free(p->tasks);
	free(p);
}

/* The sums of primes below every job's n, from one sieve up to the largest. */
static int reference_sums(struct primesum *p, struct err *e)
{
	uint64_t top = p->limits[p->njobs - 1];
	unsigned char *c = calloc(top, 1);
	if (!c)
		return err_set(e, "primesum: out of memory for the reference sieve of %llu",
			       (unsigned long long)top);
	uint64_t sum = 0, j = 0;
	for (uint64_t i = 2; i <= top && j < p->njobs; i++) {
		while (j < p->njobs && p->limits[j] == i) { /* jobs are sorted by n */
			p->expected_sum += sum;
			p->expected_checksum += rng_mix(j);
			j++;
		}
		if (i == top || c[i])
			continue;
		sum += i;
		for (uint64_t m = i * i; i <= top / i && m < top; m += i)
			c[m] = 1;
	}
	free(c);
	return 0;
}

static void *primesum_setup(const struct bench_setup *s, struct err *e)
{
	struct primesum *p = calloc(1, sizeof *p);
	if (!p) {
		err_set(e, "primesum: out of memory");
		return NULL;
	}
	p->split = (enum primesum_split)param_int(s->params, "split");
	p->njobs = (uint64_t)param_int(s->params, "jobs");
	uint64_t lo = (uint64_t)param_int(s->params, "min"), hi = (uint64_t)param_int(s->params, "max");
	p->ntasks = s->ntasks;
	if (lo > hi) {
		err_set(e, "primesum: min=%llu is above max=%llu", (unsigned long long)lo,
			(unsigned long long)hi);
		primesum_teardown(p);
		return NULL;
	}
	p->limits = calloc(p->njobs, sizeof *p->limits);
	if (posix_memalign((void **)&p->tasks, 64, sizeof *p->tasks * (size_t)s->ntasks))
		p->tasks = NULL;
	if (!p->limits || !p->tasks) {
		err_set(e, "primesum: out of memory for %llu jobs", (unsigned long long)p->njobs);
		primesum_teardown(p);
		return NULL;
	}
	for (uint64_t j = 0; j < p->njobs; j++) {
		double f = p->njobs > 1 ? (double)j / (double)(p->njobs - 1) : 1;
		uint64_t n = (uint64_t)llround((double)lo * pow((double)hi / (double)lo, f));
		p->limits[j] = j && n < p->limits[j - 1] ? p->limits[j - 1] : n;
	}
	if (reference_sums(p, e) < 0 ||
	    (p->split == SPLIT_QUEUE && !(p->next = bench_shared_alloc(s, sizeof *p->next, e)))) {
		primesum_teardown(p);
		return NULL;
	}
	return p;
}

static void primesum_reset(void *state)
{
	struct primesum *p = state;
	memset(p->tasks, 0, sizeof *p->tasks * (size_t)p->ntasks);
	for (int t = 0; t < p->ntasks; t++) {
		p->tasks[t].job = -1;
		p->tasks[t].next_job = split_begin(p->njobs, p->ntasks, t);
		p->tasks[t].end_job = split_begin(p->njobs, p->ntasks, t + 1);
	}
	if (p->next)
		rt_counter_set(p->next, 0);
	memset(&p->reduced, 0, sizeof p->reduced);
}

static int64_t take_job(struct primesum *p, struct primesum_task *t)
{
	if (p->split == SPLIT_QUEUE) {
		uint64_t j = rt_counter_add(p->next, 1);
		return j < p->njobs ? (int64_t)j : -1;
	}
	return t->next_job < t->end_job ? (int64_t)t->next_job++ : -1;
}

static int primesum_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)rt;
	struct primesum *p = state;
	struct primesum_task *t = &p->tasks[task];
	uint64_t units = 0;
	while (units < budget) {
		if (t->job < 0) {
			t->job = take_job(p, t);
			if (t->job < 0) {
				*done = units;
				return STEP_DONE;
			}
			t->candidate = 2;
			t->job_sum = 0;
		}
		uint64_t n = p->limits[t->job], stop = t->candidate + (budget - units);
		if (stop > n || stop < t->candidate)
			stop = n;
		units += stop - t->candidate;
		for (; t->candidate < stop; t->candidate++)
			if (is_prime(t->candidate))
				t->job_sum += t->candidate;
		if (t->candidate == n) {
			t->result.jobs++;
			t->result.sum += t->job_sum;
			t->result.checksum += rng_mix((uint64_t)t->job);
			t->job = -1;
		}
	}
	*done = units;
	return STEP_MORE;
}

static void *primesum_result(void *state, int task)
{
	return &((struct primesum *)state)->tasks[task].result;
}
static void *primesum_reduced(void *state) { return &((struct primesum *)state)->reduced; }

static int primesum_verify(void *state, struct err *e)
{
	struct primesum *p = state;
	const struct primesum_result *r = &p->reduced;
	if (r->jobs != p->njobs || r->checksum != p->expected_checksum)
		return err_set(e, "primesum: %llu jobs done of %llu, or some twice and some never",
			       (unsigned long long)r->jobs, (unsigned long long)p->njobs);
	if (r->sum != p->expected_sum)
		return err_set(e, "primesum: the jobs' sums add up to %llu, a sieve says %llu",
			       (unsigned long long)r->sum, (unsigned long long)p->expected_sum);
	return 0;
}

static void primesum_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct primesum *p = state;
	/* How uneven the split was: the most jobs any task did, and the least. */
	uint64_t most = 0, least = UINT64_MAX;
	for (int t = 0; t < p->ntasks; t++) {
		uint64_t j = p->tasks[t].result.jobs;
		most = j > most ? j : most;
		least = j < least ? j : least;
	}
	json_object_set_new(fields, "jobs_most_per_task", json_integer((json_int_t)most));
	json_object_set_new(fields, "jobs_least_per_task", json_integer((json_int_t)least));
}

const struct bench bench_primesum = {
	.name = "primesum",
	.summary = "sum of primes below n for jobs of very different sizes: static split vs a job queue",
	.origin = "Parallel Python's sum_primes job-server example",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.on_request = 1,
	.params = primesum_params,
	.result_size = sizeof(struct primesum_result),
	.reduce = primesum_reduce,
	.reduced = primesum_reduced,
	.supports = primesum_supports,
	.setup = primesum_setup,
	.reset = primesum_reset,
	.step = primesum_step,
	.result = primesum_result,
	.verify = primesum_verify,
	.report = primesum_report,
	.teardown = primesum_teardown,
};
