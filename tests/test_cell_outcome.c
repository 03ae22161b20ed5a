/* test_cell_outcome.c — a cell's typed outcome (harness/run/cell_outcome.c)
 * crosses the pipe from the child and keeps every figure a workload or
 * model reports: numbers, texts, and values that are neither (pingpong's
 * OSU rows, an array; mpi's mpirun_launched_this_rep, a boolean), which a
 * decoder keeping only numbers and texts dropped from the results. */
#include <stdlib.h>
#include "cell_outcome.h"
#include "check.h"

int main(void)
{
	struct cell_outcome o = {0}, back = {0};
	struct rep_sample *s = cell_outcome_add_sample(&o);
	s->real_ns = 2e6;
	json_t *rows = json_pack("[{s:i, s:f}, {s:i, s:f}]", "size", 1, "latency_us", 1.5, "size", 2,
				 "latency_us", 1.6);
	json_t *stats = json_pack("{s:O, s:f, s:s}", "osu", rows, "items_per_s", 10.0, "transport",
				  "pipe");
	named_values_from_json(&s->workload_stats, stats);
	json_t *mstats = json_pack("{s:b}", "mpirun_launched_this_rep", 1);
	named_values_from_json(&s->model_stats, mstats);

	json_t *wire = cell_outcome_encode(&o);
	struct err e = {{0}};
	CHECK(cell_outcome_decode(wire, &back, &e) == 0, "%s", e.msg);
	CHECK_INT(back.n_samples, 1);
	if (back.n_samples == 1) {
		json_t *w = named_values_json(&back.samples[0].workload_stats);
		CHECK(json_equal(w, stats), "workload_stats changed on the way: %s",
		      json_dumps(w, JSON_COMPACT));
		json_t *m = named_values_json(&back.samples[0].model_stats);
		CHECK(json_is_true(json_object_get(m, "mpirun_launched_this_rep")),
		      "a boolean model statistic lost");
		json_decref(w);
		json_decref(m);
		/* a copy owns its own values */
		struct cell_outcome copy;
		cell_outcome_copy(&copy, &back);
		cell_outcome_free(&back);
		const struct named_value *v = named_values_find(&copy.samples[0].workload_stats, "osu");
		CHECK(v && v->kind == VALUE_JSON && json_array_size(v->json) == 2, "the copy lost osu");
		cell_outcome_free(&copy);
	}
	json_decref(wire);
	json_decref(rows);
	json_decref(stats);
	json_decref(mstats);
	cell_outcome_free(&o);
	return check_report("cell_outcome");
}
