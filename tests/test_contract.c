/* test_contract.c — every registered workload verifies under every registered
 * model with 1, 2, 3 and 8 workers (quick-profile sizes), measured the way
 * `cmbench run` measures a cell. New workloads and models are covered
 * without touching this file. A cell the contract skips (contract_check:
 * the workload needs a capability the model lacks, or a supports() hook
 * said no) must be reported as skipped with a reason, nothing measured. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cell.h"
#include "check.h"
#include "corpus.h"

int main(void)
{
	static const int workers[] = {1, 2, 3, 8};
	struct run_opts o = {.profile = PROFILE_QUICK, .reps = 1, .warmup = 0, .timeout_s = 120};
	corpus_default_cache_dir(o.cache_dir, sizeof o.cache_dir);
	for (int b = 0; bench_registry[b]; b++)
		for (int m = 0; model_registry[m]; m++)
			for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
				struct cell c = {.bench = bench_registry[b], .model = model_registry[m],
						 .workers = workers[w], .ntasks = workers[w]};
				/* Tasks that talk need their exact count, running at once:
				 * not one after another on the caller's thread. */
				int exactly = c.bench->tasks_exactly;
				if (exactly && (c.ntasks != exactly || !strcmp(c.model->name, "sequential")))
					continue;
				struct err e;
				CHECK(params_defaults(&c.bench_params, c.bench->params, o.profile, &e) == 0, "%s", e.msg);
				CHECK(params_defaults(&c.model_params, c.model->params, o.profile, &e) == 0, "%s", e.msg);
				snprintf(c.name, sizeof c.name, "%s/%s/workers:%d", c.bench->name,
					 c.model->name, c.workers);
				/* mpi pays an mpirun start-up per cell: 1 and 2 ranks here,
				 * 4 in tests/test_mpi.sh */
				if ((c.model->flags & MODEL_ON_REQUEST) && c.workers > 2)
					continue;
				/* Tasks that talk need their exact count (cmbench run refuses others). */
				if (c.bench->tasks_exactly && c.ntasks != c.bench->tasks_exactly)
					continue;
				const char *unavailable = c.model->unavailable ? c.model->unavailable() : NULL;
				if (unavailable) {
					printf("skip %s: model unavailable: %s\n", c.name, unavailable);
					continue;
				}
				struct err why;
				int skip = contract_check(c.bench, &c.bench_params, c.model,
							  &c.model_params, c.workers, &why);
				struct cell_outcome r;
				CHECK(cell_run_isolated(&c, &o, &r) == 0, "%s: interrupted", c.name);
				CHECK(r.status != CELL_ERROR, "%s: %s", c.name, r.message);
				if (skip) {
					CHECK(r.status == CELL_SKIPPED && r.message[0], "%s: skipped without a reason",
					      c.name);
					CHECK_INT(r.n_samples, 0);
					printf("skip %s: %s\n", c.name, r.message);
					cell_outcome_free(&r);
					continue;
				}
				CHECK(r.status != CELL_SKIPPED, "%s: skipped", c.name);
				CHECK_INT(r.n_samples, 1);
				CHECK(r.n_samples == 1 && r.samples[0].real_ns > 0, "%s: no time", c.name);
				printf("ok %s\n", c.name);
				cell_outcome_free(&r);
			}
	return check_report("contract");
}
