/* test_gil_ccbench.c — ccbench's three scenarios under -m gil: every
 * figure ccbench prints is reported (iterations/s; mean and std dev of the
 * latency in ms; packets/s), the answers verify beside 0, 1 and 2 CPU tasks,
 * and a wrong answer is caught: a lost ping, a corrupted count, a packet
 * count that cannot give a rate. */
#include "gil_test.h"

struct run {
	const struct bench *b;
	void *state;
	json_t *fields;
};

static struct run run_scenario(const char *name, int tasks, const char *const *wparams)
{
	struct run r = {.b = bench_find(name)};
	REQUIRE(r.b, "no workload %s", name);
	struct params p;
	struct err e = {{0}};
	REQUIRE(params_defaults(&p, r.b->params, PROFILE_QUICK, &e) == 0, "%s", e.msg);
	for (int i = 0; wparams[i]; i += 2)
		REQUIRE(params_set(&p, wparams[i], wparams[i + 1], &e) == 0, "%s", e.msg);
	struct bench_setup setup = {.params = &p, .ntasks = tasks, .cache_dir = "/tmp"};
	r.state = r.b->setup(&setup, &e);
	REQUIRE(r.state, "%s setup: %s", name, e.msg);
	r.b->reset(r.state);
	const char *const model[] = {"gil=modern", "switch=1ms", "tick=20ns", NULL};
	json_decref(gil_test_run(r.b, r.state, tasks, tasks, model));
	CHECK(r.b->verify(r.state, &e) == 0, "%s with %d tasks: %s", name, tasks, e.msg);
	r.fields = json_object();
	r.b->report(r.state, 1.0, r.fields);
	return r;
}

static double field(const struct run *r, const char *name)
{
	json_t *v = json_object_get(r->fields, name);
	REQUIRE(json_is_number(v), "%s: no %s", r->b->name, name);
	return json_number_value(v);
}

static void done(struct run *r)
{
	json_decref(r->fields);
	r->b->teardown(r->state);
}

int main(void)
{
	const char *const thr[] = {"duration", "100ms", "iter", "1000", NULL};
	const char *const lat[] = {"duration", "100ms", "interval", "20ms", "iter", "1000", NULL};
	const char *const bw[] = {"duration", "100ms", "iter", "1000", NULL};
	for (int cpu = 0; cpu <= 2; cpu++) {
		struct run t = run_scenario("ccbench-throughput", cpu + 1, thr);
		double ips = field(&t, "iterations_per_s");
		CHECK(ips > 0, "throughput, %d threads: %g iterations/s", cpu + 1, ips);
		struct run l = run_scenario("ccbench-latency", cpu + 1, lat);
		double mean = field(&l, "latency_mean_ms"), sd = field(&l, "latency_stddev_ms");
		CHECK(field(&l, "pings") == 5 && mean > 0 && sd >= 0, "latency: %g pings, mean %g, sd %g",
		      field(&l, "pings"), mean, sd);
		struct run b = run_scenario("ccbench-bandwidth", cpu + 1, bw);
		double pps = field(&b, "packets_per_s");
		CHECK(pps > 0, "bandwidth: %g packets/s", pps);
		printf("%d CPU: throughput (%d threads) %.0f iterations/s; latency %.2f ms (sd %.2f); "
		       "bandwidth %.0f packets/s\n", cpu, cpu + 1, ips, mean, sd, pps);
		/* Wrong answers: the workloads' own counts, tampered with. */
		if (cpu == 1) {
			struct err e = {{0}};
			uint64_t *received = l.b->result(l.state, 0); /* io.received is first */
			(*received)--;
			CHECK(l.b->verify(l.state, &e) < 0, "latency: a lost ping was not caught");
			uint64_t *iterations = t.b->result(t.state, 0);
			*iterations += 1000000;
			CHECK(t.b->verify(t.state, &e) < 0, "throughput: inflated iterations not caught");
			uint64_t *packets = b.b->result(b.state, 0);
			*packets = 1;
			CHECK(b.b->verify(b.state, &e) < 0, "bandwidth: one packet accepted");
		}
		done(&t);
		done(&l);
		done(&b);
	}
	return check_report("gil_ccbench");
}
