/* test_mpi_reduce.c — every reduction kind of the contract (reduce.h: sum,
 * min and max of u64, i64 and double fields) comes out of MPI_Reduce right:
 * a workload of this test, `reducer`, declares one field of each kind (two
 * u64 sums, to fold two fields in one call) with values that tell the
 * kinds apart — negative i64 and double minima and maxima, which a min or
 * max over the wrong MPI_Datatype (bit patterns as unsigned) gets wrong,
 * and sums that a min or max would not give. Its verify() compares the
 * reduction with closed forms; the cell also compares it with a fold of
 * the gathered slots (contract_check_reduction). Run under mpi at 2, 3, 4
 * ranks, and under threads (the model's own fold) as the reference.
 *
 * The ranks are this program: mpirun starts it as `mpi-rank` (through
 * CMBENCH_MPI_RANK_EXE), and it finds `reducer` beside the registry.
 * Skipped (77) when mpi is unavailable or mpirun cannot start a job. */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cell.h"
#include "check.h"
#include "corpus.h"
#include "mpi_job.h"

struct red_slot {
	uint64_t usum, usum2, umin, umax;
	int64_t isum, imin, imax;
	double dsum, dmin, dmax;
};

static const struct reduce_field red_fields[] = {
	{REDUCE_SUM, REDUCE_U64, offsetof(struct red_slot, usum)},
	{REDUCE_SUM, REDUCE_U64, offsetof(struct red_slot, usum2)},
	{REDUCE_MIN, REDUCE_U64, offsetof(struct red_slot, umin)},
	{REDUCE_MAX, REDUCE_U64, offsetof(struct red_slot, umax)},
	{REDUCE_SUM, REDUCE_I64, offsetof(struct red_slot, isum)},
	{REDUCE_MIN, REDUCE_I64, offsetof(struct red_slot, imin)},
	{REDUCE_MAX, REDUCE_I64, offsetof(struct red_slot, imax)},
	{REDUCE_SUM, REDUCE_DOUBLE, offsetof(struct red_slot, dsum)},
	{REDUCE_MIN, REDUCE_DOUBLE, offsetof(struct red_slot, dmin)},
	{REDUCE_MAX, REDUCE_DOUBLE, offsetof(struct red_slot, dmax)},
	{0},
};

struct red {
	int ntasks;
	struct red_slot *slots, total;
};

/* Task t's values: odd tasks carry the negative extremes of i64 and double
 * minima, task 0 a negative maximum that unsigned bits would call largest. */
static struct red_slot values_of(int t)
{
	int odd = t & 1;
	return (struct red_slot){
		.usum = (uint64_t)(t + 1) << 40, .usum2 = (uint64_t)t + 1,
		.umin = 1000 - (uint64_t)t, .umax = 1000 + (uint64_t)t,
		.isum = -3 * (int64_t)(t + 1), .imin = odd ? -7 * (int64_t)t : 5 * (int64_t)t,
		.imax = odd ? 3 * (int64_t)t : -5 - (int64_t)t,
		.dsum = 0.5 + t, .dmin = odd ? -3.0 * t : 2.5 + t, .dmax = odd ? 1.0 * t : -2.0 - t,
	};
}

static void *red_setup(const struct bench_setup *s, struct err *e)
{
	struct red *r = calloc(1, sizeof *r);
	r->ntasks = s->ntasks;
	r->slots = calloc((size_t)s->ntasks, sizeof *r->slots);
	if (!r->slots) {
		free(r);
		err_set(e, "reducer: out of memory");
		return NULL;
	}
	return r;
}

static void red_reset(void *state)
{
	struct red *r = state;
	memset(r->slots, 0, sizeof *r->slots * (size_t)r->ntasks);
	memset(&r->total, 0, sizeof r->total);
}

static int red_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	(void)rt;
	((struct red *)state)->slots[task] = values_of(task);
	*done = 1;
	return STEP_DONE;
}

static void *red_result(void *state, int task) { return &((struct red *)state)->slots[task]; }
static void *red_reduced(void *state) { return &((struct red *)state)->total; }

static int red_verify(void *state, struct err *e)
{
	struct red *r = state;
	struct red_slot want = values_of(0), got = r->total;
	for (int t = 1; t < r->ntasks; t++) {
		struct red_slot v = values_of(t);
		want.usum += v.usum;
		want.usum2 += v.usum2;
		want.umin = v.umin < want.umin ? v.umin : want.umin;
		want.umax = v.umax > want.umax ? v.umax : want.umax;
		want.isum += v.isum;
		want.imin = v.imin < want.imin ? v.imin : want.imin;
		want.imax = v.imax > want.imax ? v.imax : want.imax;
		want.dsum += v.dsum;
		want.dmin = v.dmin < want.dmin ? v.dmin : want.dmin;
		want.dmax = v.dmax > want.dmax ? v.dmax : want.dmax;
	}
	if (got.usum != want.usum || got.usum2 != want.usum2)
		return err_set(e, "u64 sums %llu %llu, expected %llu %llu", (unsigned long long)got.usum,
			       (unsigned long long)got.usum2, (unsigned long long)want.usum,
			       (unsigned long long)want.usum2);
	if (got.umin != want.umin || got.umax != want.umax)
		return err_set(e, "u64 min %llu max %llu, expected %llu %llu", (unsigned long long)got.umin,
			       (unsigned long long)got.umax, (unsigned long long)want.umin,
			       (unsigned long long)want.umax);
	if (got.isum != want.isum || got.imin != want.imin || got.imax != want.imax)
		return err_set(e, "i64 sum %lld min %lld max %lld, expected %lld %lld %lld", (long long)got.isum,
			       (long long)got.imin, (long long)got.imax, (long long)want.isum,
			       (long long)want.imin, (long long)want.imax);
	if (got.dsum != want.dsum || got.dmin != want.dmin || got.dmax != want.dmax)
		return err_set(e, "double sum %g min %g max %g, expected %g %g %g", got.dsum, got.dmin, got.dmax,
			       want.dsum, want.dmin, want.dmax);
	return 0;
}

static void red_teardown(void *state)
{
	struct red *r = state;
	free(r->slots);
	free(r);
}

static const struct bench reducer = {
	.name = "reducer", .params = (const struct param_spec[]){{0}}, .kind = BENCH_CPU,
	.headline = {"real_time", "time", "ms", METRIC_TIME}, .result_size = sizeof(struct red_slot),
	.reduce = red_fields, .reduced = red_reduced,
	.setup = red_setup, .reset = red_reset, .step = red_step, .result = red_result,
	.verify = red_verify, .teardown = red_teardown,
};

static const struct bench *find(const char *name)
{
	return strcmp(name, "reducer") ? bench_find(name) : &reducer;
}

/* One cell of `b` under model `model` at `workers`: its outcome. */
static void run_cell(const struct bench *b, const char *model, int workers, struct cell_outcome *r)
{
	struct run_opts o = {.profile = PROFILE_QUICK, .reps = 2, .warmup = 1, .timeout_s = 120};
	corpus_default_cache_dir(o.cache_dir, sizeof o.cache_dir);
	struct cell c = {.bench = b, .model = model_find(model), .workers = workers, .ntasks = workers};
	struct err e;
	CHECK(params_defaults(&c.bench_params, b->params, o.profile, &e) == 0, "%s", e.msg);
	CHECK(params_defaults(&c.model_params, c.model->params, o.profile, &e) == 0, "%s", e.msg);
	snprintf(c.name, sizeof c.name, "%s/%s/workers:%d", b->name, model, workers);
	CHECK(cell_run_isolated(&c, &o, r) == 0, "%s: interrupted", c.name);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "mpi-rank"))
		return mpi_rank_main(argc - 1, argv + 1, find);
	const struct model *mpi = model_find("mpi");
	const char *why = mpi && mpi->unavailable ? mpi->unavailable() : "no mpi model";
	if (why) {
		printf("skip: mpi unavailable: %s\n", why);
		return 77;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	CHECK(n > 0, "cannot read /proc/self/exe");
	self[n > 0 ? n : 0] = 0;
	setenv("CMBENCH_MPI_RANK_EXE", self, 1);
	/* Under a sanitizer the ranks (this program) exit with Open MPI's own
	 * leaks, suppressed as in tests/test_mpi.sh. */
	const char *src = getenv("CMBENCH_SOURCE_DIR"), *lsan = getenv("LSAN_OPTIONS");
	if (src) {
		char opts[8192];
		snprintf(opts, sizeof opts, "%s%ssuppressions=%s/tests/mpi.lsan.supp:print_suppressions=0",
			 lsan ? lsan : "", lsan ? ":" : "", src);
		setenv("LSAN_OPTIONS", opts, 1);
	}

	struct cell_outcome r;
	run_cell(bench_find("countdown"), "mpi", 2, &r); /* can mpirun start a job here at all? */
	if (r.status == CELL_ERROR && strstr(r.message, "mpirun ended while starting")) {
		printf("skip: mpirun cannot start 2 ranks here: %s\n", r.message);
		cell_outcome_free(&r);
		return 77;
	}
	cell_outcome_free(&r);

	run_cell(&reducer, "threads", 3, &r);
	CHECK(r.status == CELL_OK, "reducer/threads/workers:3: %s", r.message);
	cell_outcome_free(&r);
	for (int ranks = 2; ranks <= 4; ranks++) {
		run_cell(&reducer, "mpi", ranks, &r);
		CHECK(r.status == CELL_OK, "reducer/mpi/workers:%d: %s", ranks, r.message);
		if (r.status == CELL_OK)
			printf("ok: u64/i64/double sum, min, max by MPI_Reduce at %d ranks\n", ranks);
		cell_outcome_free(&r);
	}
	return check_report("mpi_reduce");
}
