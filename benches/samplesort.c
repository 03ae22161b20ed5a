/* samplesort.c — sample sort over p tasks [Matloff, "Parallel Python
 * Threads and Multiprocessing Modules": the rendition of Quicksort in
 * pyMPI, which breaks x into p quicksort-style piles by comparison with
 * p-1 splitters, has each node sort its pile and gathers the piles into
 * the sorted array]. Here the splitters come from regular sampling (PSRS,
 * Shi and Schaeffer 1992), so the piles stay within twice their share:
 *
 *  1. task t holds chunk t of `n=` random 32-bit keys (made by worker t's
 *     worker_setup from `seed=`, outside the region) and sorts it (an LSD
 *     radix sort, resumable at any key);
 *  2. it contributes p-1 regular samples of its sorted chunk; from the
 *     p(p-1) samples the p-1 splitters are the j/p quantiles;
 *  3. it cuts its chunk into p buckets at the splitters; bucket j goes to
 *     task j (the all-to-all exchange);
 *  4. task t merges the p sorted pieces it got (a heap of p runs) and
 *     takes a digest of its result (count, order-independent checksum,
 *     min, max, keys out of order).
 *
 * The exchange: under a model with messages (mpi) the tasks allgather the
 * samples and swap buckets with rt send/recv, in the p-1 rounds of a
 * round-robin tournament (each pair meets once; the lower task sends
 * first, so blocking sends never wait in a cycle), and each task keeps its
 * bucket. Under the shared-memory models the chunks, samples, bucket
 * bounds and the sorted array are in shared memory; two barriers (an
 * rt_counter of arrivals and an rt_event the last arriver sets) separate
 * the phases, the last to reach the first one computes the splitters, and
 * every task merges its bucket into its place of one sorted array — the
 * gathered result of the tutorial.
 *
 * Verified: the digests add up to n keys with the input's checksum (a
 * permutation of it), no task holds a key out of order, and each task's
 * smallest key is at least the largest of the task before (globally
 * sorted); with shared memory the sorted array itself is read back too.
 * Every task must be live at once (each waits for all the others): one
 * task per worker, a model that runs tasks concurrently. A unit is one key
 * counted, placed, merged or digested.
 *
 * For tests only: CMBENCH_SAMPLESORT_TEST_FAULT=lose (a key of task 0's
 * bucket for task 1 is lost in the exchange) or =misroute (task 0's
 * buckets for tasks 0 and 1 are delivered to each other) spoils the
 * exchange under every model; verification must reject it. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "kmerge.h"
#include "radix_sort.h"
#include "rng.h"
#include "split.h"

enum ss_phase { PH_SORT, PH_SPLIT, PH_MERGE, PH_DIGEST, PH_DONE };
enum ss_fault { FAULT_NONE, FAULT_LOSE, FAULT_MISROUTE };

struct ss_result {
	uint64_t count;     /* keys the task holds at the end */
	uint64_t checksum;  /* sum of rng_mix(key) over them: order-independent */
	uint64_t unordered; /* places where a key is below the one before it */
	uint64_t offset;    /* shared memory: where its keys start in the sorted array */
	uint64_t sent;      /* keys it handed to other tasks */
	uint32_t min, max;  /* its smallest and largest key (when count > 0) */
};

struct ss_task {
	enum ss_phase phase;
	uint64_t i;            /* where the digest is */
	uint32_t *keys, *tmp;  /* its chunk (m keys) and the radix sort's scratch */
	uint64_t m;
	struct radix_sort sort;
	uint64_t *bounds;      /* [p+1]: bucket j of its chunk is [bounds[j], bounds[j+1]) */
	struct kmerge merge;   /* of the p sorted pieces of its bucket */
	uint32_t *out;         /* where its bucket goes, total keys */
	uint64_t total;
	/* messages only */
	uint64_t *own_bounds;          /* what bounds points to ([p+1]; else a shared row) */
	uint32_t *samples, *splitters; /* [p(p-1)], [p-1] */
	uint32_t *recv, *mine;         /* pieces received; its bucket (n keys of room each) */
} __attribute__((aligned(64)));

struct ss_shared {
	struct rt_counter arrived[2];
	struct rt_event passed[2];
	struct rt_counter written; /* tasks that merged their bucket into the sorted array */
};

struct ss {
	uint64_t n, seed;
	int p;
	enum ss_fault fault;
	int shared_output;          /* the sorted array is one memory verify can read */
	uint64_t expected_checksum; /* of the input; 0 until verify first needs it */
	int have_expected;
	struct ss_shared *sh;
	uint32_t *input, *sorted;   /* shared: the chunks; the sorted array */
	uint32_t *samples;          /* shared: [p(p-1)] samples, then sorted */
	uint32_t *splitters;        /* shared: [p-1] */
	uint64_t *bounds;           /* shared: [p][p+1], each task's bucket bounds */
	struct ss_task *tasks;
	struct ss_result *results;
};

static const struct param_spec ss_params[] = {
	{.name = "n", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "100k", [PROFILE_DEFAULT] = "4M", [PROFILE_FULL] = "64M",
		      [PROFILE_CI] = "4M"},
	 .min = 1, .max = 1000000000, .help = "keys to sort (32-bit, random), split evenly over the tasks"},
	{.name = "seed", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1"}, .min = 0,
	 .max = INT64_MAX, .help = "random keys"},
	{0},
};

static int ss_supports(const struct params *p, unsigned caps, int workers, struct err *why)
{
	(void)caps;
	if ((int64_t)workers > param_int(p, "n"))
		return err_set(why, "samplesort: %d workers for n=%lld keys: each needs a key to sample",
			       workers, (long long)param_int(p, "n"));
	return 0;
}

static void ss_teardown(void *state)
{
	struct ss *s = state;
	for (int t = 0; s->tasks && t < s->p; t++) {
		struct ss_task *k = &s->tasks[t];
		free(k->own_bounds);
		free(k->merge.runs);
		free(k->merge.heap);
		free(k->samples);
		free(k->splitters);
		free(k->recv);
		free(k->mine);
	}
	free(s->tasks);
	free(s->results);
	free(s);
}

static enum ss_fault fault_from_env(void)
{
	const char *f = getenv("CMBENCH_SAMPLESORT_TEST_FAULT");
	if (!f)
		return FAULT_NONE;
	return !strcmp(f, "lose") ? FAULT_LOSE : !strcmp(f, "misroute") ? FAULT_MISROUTE : FAULT_NONE;
}

static void *ss_setup(const struct bench_setup *bs, struct err *e)
{
	if (bs->ntasks != bs->workers) {
		err_set(e, "samplesort: every task must be live at once (each waits for all the others): "
			   "run it with --tasks-per-worker 1, not %d tasks on %d workers", bs->ntasks, bs->workers);
		return NULL;
	}
	struct ss *s = calloc(1, sizeof *s);
	if (!s) {
		err_set(e, "samplesort: out of memory");
		return NULL;
	}
	s->n = (uint64_t)param_int(bs->params, "n");
	s->seed = (uint64_t)param_int(bs->params, "seed");
	s->p = bs->ntasks;
	s->fault = fault_from_env();
	s->shared_output = (bs->caps & RT_CAP_SHARED_MEMORY) != 0;
	size_t p = (size_t)s->p, nsamples = p * (p - 1);
	if (s->n < p) {
		err_set(e, "samplesort: %d tasks for n=%llu keys: each needs a key to sample", s->p,
			(unsigned long long)s->n);
		ss_teardown(s);
		return NULL;
	}
	s->results = calloc(p, sizeof *s->results);
	if (posix_memalign((void **)&s->tasks, 64, sizeof *s->tasks * p) == 0)
		memset(s->tasks, 0, sizeof *s->tasks * p);
	else
		s->tasks = NULL;
	if (!s->results || !s->tasks) {
		err_set(e, "samplesort: out of memory for %d tasks", s->p);
		ss_teardown(s);
		return NULL;
	}
	/* In a rank (no shared memory) the arena is the rank's own: only the
	 * pages of its chunk are ever touched. */
	s->sh = bench_shared_alloc(bs, sizeof *s->sh, e);
	s->input = s->sh ? bench_shared_alloc(bs, sizeof *s->input * s->n, e) : NULL;
	s->sorted = s->input ? bench_shared_alloc(bs, sizeof *s->sorted * s->n, e) : NULL;
	s->samples = s->sorted ? bench_shared_alloc(bs, sizeof *s->samples * (nsamples + 1), e) : NULL;
	s->splitters = s->samples ? bench_shared_alloc(bs, sizeof *s->splitters * p, e) : NULL;
	s->bounds = s->splitters ? bench_shared_alloc(bs, sizeof *s->bounds * p * (p + 1), e) : NULL;
	if (!s->bounds) {
		ss_teardown(s);
		return NULL;
	}
	int ok = 1;
	for (int t = 0; t < s->p; t++) {
		struct ss_task *k = &s->tasks[t];
		k->merge.runs = calloc(p, sizeof *k->merge.runs);
		k->merge.heap = calloc(p, sizeof *k->merge.heap);
		k->merge.k = p;
		ok = ok && k->merge.runs && k->merge.heap;
		if (s->shared_output)
			continue;
		/* Messages: room for every sample, a whole bucket received and
		 * merged (calloc'd: untouched pages cost nothing). */
		k->own_bounds = calloc(p + 1, sizeof *k->own_bounds);
		k->samples = calloc(nsamples + 1, sizeof *k->samples);
		k->splitters = calloc(p, sizeof *k->splitters);
		k->recv = calloc(s->n, sizeof *k->recv);
		k->mine = calloc(s->n, sizeof *k->mine);
		ok = ok && k->own_bounds && k->samples && k->splitters && k->recv && k->mine;
	}
	if (!ok) {
		err_set(e, "samplesort: out of memory for %d tasks of %llu keys", s->p, (unsigned long long)s->n);
		ss_teardown(s);
		return NULL;
	}
	return s;
}

static void ss_reset(void *state)
{
	struct ss *s = state;
	memset(s->sh, 0, sizeof *s->sh);
	memset(s->results, 0, sizeof *s->results * (size_t)s->p);
	for (int t = 0; t < s->p; t++) {
		struct ss_task *k = &s->tasks[t];
		struct share c = split_share(s->n, s->p, t);
		k->phase = PH_SORT;
		k->i = 0;
		k->keys = s->input + c.begin;
		k->m = c.end - c.begin;
		/* The scratch: with shared memory, the same place in the sorted
		 * array, written by the merges only after both barriers. */
		k->tmp = s->shared_output ? s->sorted + c.begin : k->mine;
		radix_sort_begin(&k->sort);
		k->bounds = s->shared_output ? s->bounds + (size_t)t * ((size_t)s->p + 1) : k->own_bounds;
		k->merge.heaped = 0;
		k->total = 0;
	}
}

/* Worker w makes chunk w (with one task per worker, task w's), outside the
 * region: draw i of the seed's stream, whatever the split. */
static int ss_worker_setup(void *state, struct rt *rt)
{
	struct ss *s = state;
	if (rt->worker >= s->p)
		return 0;
	struct share c = split_share(s->n, s->p, rt->worker);
	for (uint64_t i = c.begin; i < c.end; i++)
		s->input[i] = (uint32_t)rng_at(s->seed, i);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The p-1 splitters: the j/p quantiles of the p(p-1) samples, sorted here. */
static void choose_splitters(uint32_t *samples, int p, uint32_t *splitters)
{
	size_t per = (size_t)p - 1;
	qsort(samples, (size_t)p * per, sizeof *samples, cmp_u32);
	for (size_t j = 1; j < (size_t)p; j++)
		splitters[j - 1] = samples[j * per + (per - 1) / 2];
}

/* The first index of the sorted keys[0, m) holding a key above x. */
static uint64_t upper_bound(const uint32_t *keys, uint64_t m, uint32_t x)
{
	uint64_t lo = 0, hi = m;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (keys[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Which bucket of task `src`'s chunk goes to task `dst`, and how much of
 * it: the exchange, spoiled on purpose only by the test fault. */
static uint64_t bucket_of(const struct ss *s, const uint64_t *bounds, int src, int dst, uint64_t *begin)
{
	int j = dst;
	if (s->fault == FAULT_MISROUTE && src == 0 && dst < 2 && s->p > 1)
		j = 1 - dst;
	*begin = bounds[j];
	uint64_t len = bounds[j + 1] - bounds[j];
	if (s->fault == FAULT_LOSE && src == 0 && dst == 1 && len)
		len--;
	return len;
}

/* The partner of task t in round r of a round-robin tournament of p tasks
 * (the circle method over an even number of seats), -1 for a bye. */
static int partner_of(int p, int t, int r)
{
	int seats = p + (p & 1), last = seats - 1, q;
	if (t == last)
		q = (int)((int64_t)r * (seats / 2) % last); /* 2q = r (mod last) */
	else if ((q = ((r - t) % last + last) % last) == t)
		q = last;
	return q < p ? q : -1;
}

static int send_keys(struct rt *rt, int to, const uint32_t *keys, uint64_t len)
{
	if (rt->ops->send(rt, to, &len, sizeof len) < 0)
		return -1;
	return len && rt->ops->send(rt, to, keys, sizeof *keys * len) < 0 ? -1 : 0;
}

/* Receive a piece into room of `room` keys; its length or -1. */
static int64_t recv_keys(struct rt *rt, int from, uint32_t *keys, uint64_t room)
{
	uint64_t len;
	if (rt->ops->recv(rt, from, &len, sizeof len) < 0)
		return -1;
	if (len > room)
		return err_set(rt->err, "samplesort: task %d sends %llu keys, more than the %llu left", from,
			       (unsigned long long)len, (unsigned long long)room);
	return len && rt->ops->recv(rt, from, keys, sizeof *keys * len) < 0 ? -1 : (int64_t)len;
}

/* Messages: every task gets every task's samples. */
static int allgather_samples(struct ss *s, int t, struct rt *rt)
{
	struct ss_task *k = &s->tasks[t];
	size_t per = (size_t)s->p - 1, bytes = sizeof *k->samples * per;
	uint32_t *mine = k->samples + (size_t)t * per;
	for (int r = 0; r < s->p + (s->p & 1) - 1; r++) {
		int q = partner_of(s->p, t, r);
		if (q < 0)
			continue;
		uint32_t *theirs = k->samples + (size_t)q * per;
		int rc = t < q ? (rt->ops->send(rt, q, mine, bytes) < 0 || rt->ops->recv(rt, q, theirs, bytes) < 0)
			       : (rt->ops->recv(rt, q, theirs, bytes) < 0 || rt->ops->send(rt, q, mine, bytes) < 0);
		if (rc)
			return -1;
	}
	return 0;
}

/* Messages: send bucket q to task q, receive this task's piece from it. */
static int exchange_buckets(struct ss *s, int t, struct rt *rt)
{
	struct ss_task *k = &s->tasks[t];
	uint64_t got = 0, begin, len;
	for (int r = 0; r < s->p + (s->p & 1) - 1; r++) {
		int q = partner_of(s->p, t, r);
		if (q < 0)
			continue;
		len = bucket_of(s, k->bounds, t, q, &begin);
		int64_t in;
		if (t < q) {
			if (send_keys(rt, q, k->keys + begin, len) < 0 ||
			    (in = recv_keys(rt, q, k->recv + got, s->n - got)) < 0)
				return -1;
		} else if ((in = recv_keys(rt, q, k->recv + got, s->n - got)) < 0 ||
			   send_keys(rt, q, k->keys + begin, len) < 0) {
			return -1;
		}
		k->merge.runs[q] = (struct kmerge_run){k->recv + got, (uint64_t)in, 0};
		got += (uint64_t)in;
		s->results[t].sent += len;
	}
	len = bucket_of(s, k->bounds, t, t, &begin);
	k->merge.runs[t] = (struct kmerge_run){k->keys + begin, len, 0};
	k->total = got + len;
	k->out = k->mine;
	return 0;
}

/* Shared memory: this task's pieces, read in place from every chunk, and
 * where its bucket goes in the sorted array (the buckets before it). */
static void gather_pieces(struct ss *s, int t)
{
	struct ss_task *k = &s->tasks[t];
	size_t row = (size_t)s->p + 1;
	uint64_t offset = 0, begin;
	for (int d = 0; d <= t; d++)
		for (int src = 0; src < s->p; src++) {
			uint64_t len = bucket_of(s, s->bounds + (size_t)src * row, src, d, &begin);
			if (d < t) {
				offset += len;
				continue;
			}
			struct share c = split_share(s->n, s->p, src);
			k->merge.runs[src] = (struct kmerge_run){s->input + c.begin + begin, len, 0};
			k->total += len;
			if (src != t)
				continue;
			s->results[t].sent = k->m - len;
		}
	k->out = s->sorted + offset;
	s->results[t].offset = offset;
}

/* Wait until all p tasks have arrived at barrier b; the last one to
 * arrive first runs `last` (the serial part), then lets the others go. */
static int barrier(struct ss *s, int b, void (*last)(struct ss *), struct rt *rt)
{
	if (rt_counter_add(&s->sh->arrived[b], 1) + 1 == (uint64_t)s->p) {
		if (last)
			last(s);
		rt_event_set(rt, &s->sh->passed[b]);
		return 0;
	}
	int rc = rt_event_wait(rt, &s->sh->passed[b]);
	if (rc < 0 && !rt->err->msg[0])
		err_set(rt->err, "samplesort: barrier %d: %s", b, strerror(-rc));
	return rc;
}

static void splitters_of_all(struct ss *s) { choose_splitters(s->samples, s->p, s->splitters); }

/* Samples, splitters, bucket bounds and the exchange: 0 or -1. */
static int split_and_exchange(struct ss *s, int t, struct rt *rt)
{
	struct ss_task *k = &s->tasks[t];
	size_t per = (size_t)s->p - 1;
	int messages = !s->shared_output;
	uint32_t *samples = messages ? k->samples : s->samples;
	for (size_t j = 1; j <= per; j++)
		samples[(size_t)t * per + j - 1] = k->keys[j * k->m / (size_t)s->p];
	const uint32_t *splitters = s->splitters;
	if (messages) {
		if (allgather_samples(s, t, rt) < 0)
			return -1;
		choose_splitters(k->samples, s->p, k->splitters);
		splitters = k->splitters;
	} else if (barrier(s, 0, splitters_of_all, rt) < 0) {
		return -1;
	}
	k->bounds[0] = 0;
	for (size_t j = 1; j <= per; j++)
		k->bounds[j] = upper_bound(k->keys, k->m, splitters[j - 1]);
	k->bounds[s->p] = k->m;
	if (messages)
		return exchange_buckets(s, t, rt);
	if (barrier(s, 1, NULL, rt) < 0)
		return -1;
	gather_pieces(s, t);
	return 0;
}

static int ss_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct ss *s = state;
	struct ss_task *k = &s->tasks[task];
	struct ss_result *res = &s->results[task];
	uint64_t units = 0;
	if (!s->shared_output && !rt_has_messages(rt)) {
		err_set(rt->err, "samplesort: this model's tasks share no memory and have no messages");
		return STEP_ERROR;
	}
	while (units < budget && k->phase != PH_DONE) {
		switch (k->phase) {
		case PH_SORT: {
			int sorted;
			units += radix_sort_step(&k->sort, k->keys, k->tmp, k->m, budget - units, &sorted);
			if (sorted)
				k->phase = PH_SPLIT;
			break;
		}
		case PH_SPLIT:
			if (split_and_exchange(s, task, rt) < 0)
				return STEP_ERROR;
			kmerge_begin(&k->merge);
			k->phase = PH_MERGE;
			units++;
			break;
		case PH_MERGE: {
			int merged;
			units += kmerge_step(&k->merge, k->out, budget - units, &merged);
			if (!merged)
				break;
			k->phase = PH_DIGEST;
			k->i = 0;
			res->count = k->total;
			res->min = UINT32_MAX;
			break;
		}
		case PH_DIGEST: /* read back what the merge wrote */
			for (; k->i < k->total && units < budget; k->i++, units++) {
				uint32_t v = k->out[k->i];
				res->checksum += rng_mix(v);
				res->unordered += k->i && v < k->out[k->i - 1];
				res->min = v < res->min ? v : res->min;
				res->max = v > res->max ? v : res->max;
			}
			if (k->i < k->total)
				break;
			if (s->shared_output)
				rt_counter_add(&s->sh->written, 1);
			k->phase = PH_DONE;
			break;
		default:
			break;
		}
	}
	*done = units;
	return k->phase == PH_DONE ? STEP_DONE : STEP_MORE;
}

static void *ss_result(void *state, int task) { return &((struct ss *)state)->results[task]; }

static uint64_t input_checksum(struct ss *s)
{
	if (!s->have_expected) {
		for (uint64_t i = 0; i < s->n; i++)
			s->expected_checksum += rng_mix((uint32_t)rng_at(s->seed, i));
		s->have_expected = 1;
	}
	return s->expected_checksum;
}

/* With shared memory: the sorted array is what the digests say. */
static int verify_sorted_array(struct ss *s, struct err *e)
{
	uint64_t written = rt_counter_get(&s->sh->written), at = 0;
	if (written != (uint64_t)s->p)
		return err_set(e, "samplesort: %llu of %d tasks merged their bucket into the sorted array",
			       (unsigned long long)written, s->p);
	for (int t = 0; t < s->p; t++) {
		const struct ss_result *r = &s->results[t];
		if (r->offset != at || r->count > s->n - at)
			return err_set(e, "samplesort: task %d's bucket is at [%llu, +%llu), expected at %llu", t,
				       (unsigned long long)r->offset, (unsigned long long)r->count,
				       (unsigned long long)at);
		uint64_t sum = 0;
		for (uint64_t i = at; i < at + r->count; i++) {
			sum += rng_mix(s->sorted[i]);
			if (i && s->sorted[i] < s->sorted[i - 1])
				return err_set(e, "samplesort: the sorted array is out of order at %llu (%u after %u)",
					       (unsigned long long)i, s->sorted[i], s->sorted[i - 1]);
		}
		if (sum != r->checksum)
			return err_set(e, "samplesort: task %d's bucket in the sorted array is not what it reported", t);
		at += r->count;
	}
	return 0;
}

static int ss_verify(void *state, struct err *e)
{
	struct ss *s = state;
	uint64_t count = 0, sum = 0;
	int prev = -1;
	for (int t = 0; t < s->p; t++) {
		const struct ss_result *r = &s->results[t];
		count += r->count;
		sum += r->checksum;
		if (r->unordered)
			return err_set(e, "samplesort: task %d holds keys out of order in %llu places", t,
				       (unsigned long long)r->unordered);
		if (!r->count)
			continue;
		if (r->min > r->max)
			return err_set(e, "samplesort: task %d's smallest key %u is above its largest %u", t, r->min,
				       r->max);
		if (prev >= 0 && r->min < s->results[prev].max)
			return err_set(e, "samplesort: task %d's smallest key %u is below task %d's largest %u: "
					  "not globally sorted (a bucket went to the wrong task)",
				       t, r->min, prev, s->results[prev].max);
		prev = t;
	}
	if (count != s->n)
		return err_set(e, "samplesort: the tasks hold %llu keys, %llu were generated (keys lost or "
				  "duplicated in the exchange)", (unsigned long long)count, (unsigned long long)s->n);
	if (sum != input_checksum(s))
		return err_set(e, "samplesort: the sorted keys' checksum differs from the input's: not a "
				  "permutation of it");
	return s->shared_output ? verify_sorted_array(s, e) : 0;
}

static void ss_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct ss *s = state;
	uint64_t sent = 0, largest = 0;
	for (int t = 0; t < s->p; t++) {
		sent += s->results[t].sent;
		largest = s->results[t].count > largest ? s->results[t].count : largest;
	}
	json_object_set_new(fields, "keys_exchanged", json_integer((json_int_t)sent));
	/* PSRS keeps every bucket under twice its share */
	json_object_set_new(fields, "largest_bucket_vs_share", json_real((double)largest * s->p / (double)s->n));
}

const struct bench bench_samplesort = {
	.name = "samplesort",
	.summary = "sample sort over p tasks: local sort, regular samples, splitters, all-to-all, merge",
	.origin = "Matloff, \"Parallel Python Threads and Multiprocessing Modules\": the rendition of "
		  "Quicksort in pyMPI (p piles by p-1 splitters, each node sorts its pile)",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.on_request = 1,
	.needs = RT_CAP_CONCURRENT, /* every task waits for all the others */
	.params = ss_params,
	.result_size = sizeof(struct ss_result),
	.supports = ss_supports,
	.setup = ss_setup,
	.reset = ss_reset,
	.worker_setup = ss_worker_setup,
	.step = ss_step,
	.result = ss_result,
	.verify = ss_verify,
	.report = ss_report,
	.teardown = ss_teardown,
};
