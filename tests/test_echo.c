/* test_echo.c — the echo workload under every registered model (new models
 * are covered without touching this file): replies verified with a reply
 * delay, with a message larger than a socket buffer, with connections made
 * in set-up and by the tasks; and a server that closes early is a clear
 * error, never a data point. */
#include <stdlib.h>
#include "cell.h"
#include "check.h"

static void run_echo(const struct model *m, int workers, const char *const *kv,
		     struct cell_outcome *r)
{
	struct run_opts o = {.profile = PROFILE_CI, .reps = 1, .warmup = 0, .timeout_s = 120};
	struct cell c = {.bench = bench_find("echo"), .model = m, .workers = workers,
			 .ntasks = workers};
	struct err e;
	CHECK(params_defaults(&c.bench_params, c.bench->params, o.profile, &e) == 0, "%s", e.msg);
	CHECK(params_defaults(&c.model_params, m->params, o.profile, &e) == 0, "%s", e.msg);
	for (; kv && kv[0]; kv += 2)
		CHECK(params_set(&c.bench_params, kv[0], kv[1], &e) == 0, "%s", e.msg);
	snprintf(c.name, sizeof c.name, "echo/%s/workers:%d", m->name, workers);
	CHECK(cell_run_isolated(&c, &o, r) == 0, "%s: interrupted", c.name);
}

/* A workload figure of the (first) repetition, -1 when absent. */
static double stat(const struct cell_outcome *r, const char *name)
{
	const struct named_value *v =
		r->n_samples ? named_values_find(&r->samples[0].workload_stats, name) : NULL;
	return v && v->kind != VALUE_TEXT && v->kind != VALUE_NONE ? v->num : -1;
}

static void expect_verified(const struct model *m, int workers, const char *const *kv,
			    long long round_trips)
{
	struct cell_outcome r;
	run_echo(m, workers, kv, &r);
	CHECK(r.status == CELL_OK, "echo/%s/workers:%d (%s=%s): %s", m->name, workers, kv[0], kv[1],
	      r.message);
	CHECK_INT(stat(&r, "round_trips"), round_trips);
	double p50 = stat(&r, "latency_p50_us");
	double p99 = stat(&r, "latency_p99_us");
	double max = stat(&r, "latency_max_us");
	CHECK(p50 > 0 && p50 <= p99 && p99 <= max, "%s: p50 %.1f, p99 %.1f, max %.1f us",
	      m->name, p50, p99, max);
	printf("ok echo/%s/workers:%d %s=%s\n", m->name, workers, kv[0], kv[1]);
	cell_outcome_free(&r);
}

int main(void)
{
	if (!bench_find("echo")) {
		fprintf(stderr, "echo is not registered\n");
		return 1;
	}
	for (int i = 0; model_registry[i]; i++) {
		const struct model *m = model_registry[i];
		/* The delay is a lower bound on every latency: a reply that did
		 * not wait for it would show in p50. */
		const char *delayed[] = {"delay", "2ms", "requests", "5", NULL};
		expect_verified(m, 5, delayed, 25);
		struct cell_outcome r;
		run_echo(m, 5, delayed, &r);
		CHECK(stat(&r, "latency_p50_us") >= 2000,
		      "%s: p50 %.1f us below the 2 ms reply delay", m->name, stat(&r, "latency_p50_us"));
		cell_outcome_free(&r);
		/* Larger than the loopback socket buffers and the server's. */
		const char *large[] = {"size", "8M", "requests", "2", NULL};
		expect_verified(m, 2, large, 4);
		const char *per_task[] = {"connect", "task", "requests", "7", NULL};
		expect_verified(m, 3, per_task, 21);

		/* The server closes after 100 bytes: the second 64-byte reply
		 * stops short, and the cell says so. */
		const char *closing[] = {"server-close-after", "100", "size", "64", NULL};
		run_echo(m, 2, closing, &r);
		const char *msg = r.status == CELL_ERROR ? r.message : NULL;
		CHECK_STR_CONTAINS(msg, "request 2: the server closed the connection after 36 of 64 "
					"reply bytes");
		printf("ok echo/%s early close: %s\n", m->name, msg ? msg : "(no error)");
		cell_outcome_free(&r);
	}
	return check_report("echo");
}
