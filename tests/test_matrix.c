/* test_matrix.c — the run matrix (harness/run/matrix.c): lists are bounded
 * and hold no duplicate (a cell twice would be merged by the summary and
 * compare), errors are one line naming the value, and the cells come in
 * the documented order with their names. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "matrix.h"

static int count_cells(struct matrix_spec *m, struct err *e)
{
	int n = -1;
	m->profile = PROFILE_QUICK;
	matrix_defaults(m, 4);
	struct cell *cells = matrix_build(m, &n, e);
	if (!cells)
		return -1;
	free(cells);
	return n;
}

int main(void)
{
	struct err e = {{0}};
	struct matrix_spec m = {0};

	/* duplicates, within one list and across repeated options */
	CHECK(matrix_add_workloads(&m, "countdown,countdown", &e) < 0, "accepted a workload twice");
	CHECK_STR_CONTAINS(e.msg, "'countdown' is given twice");
	matrix_free(&m);
	CHECK(matrix_add_workloads(&m, "countdown", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_workloads(&m, "sha512,countdown", &e) < 0, "accepted -w countdown twice");
	matrix_free(&m);
	CHECK(matrix_add_workers(&m, "1,2,1", &e) < 0, "accepted -n 1 twice");
	CHECK_STR_CONTAINS(e.msg, "1 workers is given twice");
	matrix_free(&m);
	CHECK(matrix_add_models(&m, "threads,threads", &e) < 0, "accepted a model twice");
	matrix_free(&m);
	CHECK(matrix_add_pins(&m, "compact,compact", &e) < 0, "accepted a pin policy twice");
	matrix_free(&m);
	CHECK(matrix_add_param(&m, "n=1M,2M,1M", &e) < 0, "accepted a param value twice");
	CHECK_STR_CONTAINS(e.msg, "value '1M' is given twice");
	matrix_free(&m);

	/* bounds: MATRIX_LIST_MAX items, then a one-line error */
	size_t len = (MATRIX_LIST_MAX + 1) * 8;
	char *list = malloc(len);
	list[0] = 0;
	for (int i = 1; i <= MATRIX_LIST_MAX; i++)
		snprintf(list + strlen(list), len - strlen(list), "%s%d", i > 1 ? "," : "", i);
	CHECK(matrix_add_workers(&m, list, &e) == 0, "%d worker counts refused: %s", MATRIX_LIST_MAX, e.msg);
	CHECK(matrix_add_workers(&m, "5000", &e) < 0, "more than %d worker counts accepted", MATRIX_LIST_MAX);
	CHECK_STR_CONTAINS(e.msg, "more than 256 items");
	CHECK(strchr(e.msg, '\n') == NULL, "a message of more than one line: %s", e.msg);
	matrix_free(&m);
	snprintf(list, len, "%s", "countdown");
	for (int i = 1; i <= MATRIX_LIST_MAX; i++)
		snprintf(list + strlen(list), len - strlen(list), ",x");
	CHECK(matrix_add_workloads(&m, list, &e) < 0, "a list over the bound accepted");
	CHECK_STR_CONTAINS(e.msg, "-w has more than 256 items");
	matrix_free(&m);
	free(list);

	/* empty items and unknown names */
	CHECK(matrix_add_workers(&m, "1,,2", &e) < 0, "an empty item accepted");
	CHECK_STR_CONTAINS(e.msg, "-n '1,,2' has an empty item");
	CHECK(matrix_add_models(&m, "nosuch", &e) < 0, "an unknown model accepted");
	CHECK_STR_CONTAINS(e.msg, "unknown model 'nosuch'");
	matrix_free(&m);

	/* the cells and their order: workload, model, params, workers */
	CHECK(matrix_add_workloads(&m, "countdown", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_models(&m, "sequential,threads", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_workers(&m, "1,2", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_param(&m, "n=1M,2M", &e) == 0, "%s", e.msg);
	CHECK(matrix_check_params(&m, &e) == 0, "%s", e.msg);
	int n;
	m.profile = PROFILE_QUICK;
	matrix_defaults(&m, 4);
	struct cell *cells = matrix_build(&m, &n, &e);
	CHECK(cells != NULL, "%s", e.msg);
	CHECK_INT(n, 8);
	if (cells && n == 8) {
		CHECK(!strcmp(cells[0].name, "countdown/sequential/workers:1/n=1M"), "%s", cells[0].name);
		CHECK(!strcmp(cells[1].name, "countdown/sequential/workers:2/n=1M"), "%s", cells[1].name);
		CHECK(!strcmp(cells[2].name, "countdown/sequential/workers:1/n=2M"), "%s", cells[2].name);
		CHECK(!strcmp(cells[7].name, "countdown/threads/workers:2/n=2M"), "%s", cells[7].name);
	}
	free(cells);
	matrix_free(&m);

	/* defaults: the default set of workloads and models, workers 1, 2, 4;
	 * what runs only when named (bench.on_request, bench.tasks_exactly,
	 * MODEL_ON_REQUEST) is not in it */
	CHECK(count_cells(&m, &e) > 0, "%s", e.msg);
	CHECK_INT(m.nworkers, 3);
	for (int i = 0; i < m.nbenches; i++)
		CHECK(!m.benches[i]->on_request && !m.benches[i]->tasks_exactly,
		      "%s in the default set", m.benches[i]->name);
	for (int i = 0; i < m.nmodels; i++)
		CHECK(!(m.models[i]->flags & MODEL_ON_REQUEST), "%s in the default set", m.models[i]->name);
	CHECK(m.nbenches > 0 && m.nmodels > 0, "an empty default set");
	matrix_free(&m);

	/* a duplicate is said after the options are read: the items are kept,
	 * so that a list over its bound is reported first */
	CHECK(matrix_add_workloads(&m, "countdown", &e) == 0, "%s", e.msg);
	int rc = 0;
	for (int i = 1; i < MATRIX_LIST_MAX && rc != -1; i++)
		rc = matrix_add_workloads(&m, "countdown", &e);
	CHECK_INT(rc, MATRIX_DUPLICATE);
	CHECK_INT(matrix_add_workloads(&m, "countdown", &e), -1);
	CHECK_STR_CONTAINS(e.msg, "more than 256 items");
	matrix_free(&m);

	/* tasks = workers x tasks per worker, in checked arithmetic */
	CHECK(matrix_add_workers(&m, "65536", &e) == 0, "%s", e.msg);
	m.tasks_per_worker = 65537;
	CHECK(matrix_check_tasks(&m, &e) < 0, "65536 x 65537 tasks accepted");
	CHECK_STR_CONTAINS(e.msg, "4295032832 tasks");
	matrix_free(&m);

	/* a scoped --param goes only to its owner: gil:n= is not countdown's n */
	CHECK(matrix_add_workloads(&m, "countdown", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_models(&m, "sequential", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_workers(&m, "1", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_param(&m, "countdown:n=1M", &e) == 0, "%s", e.msg);
	CHECK(matrix_check_params(&m, &e) == 0, "%s", e.msg);
	m.profile = PROFILE_QUICK;
	matrix_defaults(&m, 4);
	cells = matrix_build(&m, &n, &e);
	CHECK(cells && n == 1 && !strcmp(cells[0].name, "countdown/sequential/workers:1/n=1M"), "%s",
	      cells ? cells[0].name : e.msg);
	free(cells);
	matrix_free(&m);

	/* make bench's --param gil:n=40M: the gil model has no n, so it is the
	 * workload's n in the gil cells (refused on main after the scoped check
	 * of the seeds: `make bench` stopped with exit 2); race:lock= is race's
	 * own lock, never the gil model's */
	CHECK(matrix_add_workloads(&m, "countdown,race", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_models(&m, "sequential,gil", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_workers(&m, "1", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_param(&m, "gil:n=40M", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_param(&m, "race:lock=mutex", &e) == 0, "%s", e.msg);
	CHECK(matrix_check_params(&m, &e) == 0, "%s", e.msg);
	m.profile = PROFILE_QUICK;
	matrix_defaults(&m, 4);
	cells = matrix_build(&m, &n, &e);
	CHECK(cells && n == 4, "%s", cells ? "4 cells" : e.msg);
	for (int i = 0; cells && i < n; i++) {
		int gil = cells[i].model == model_find("gil"), race = cells[i].bench == bench_find("race");
		if (!race)
			CHECK((param_int(&cells[i].bench_params, "n") == 40000000) == gil, "%s: n=%lld",
			      cells[i].name, (long long)param_int(&cells[i].bench_params, "n"));
		if (race && gil) /* the gil model's lock (sem|condvar) keeps its default */
			CHECK(param_int(&cells[i].model_params, "lock") == 0, "%s", cells[i].name);
		CHECK(!race || strstr(cells[i].name, "lock=mutex"), "%s: race's lock not set", cells[i].name);
	}
	free(cells);
	matrix_free(&m);
	/* a scope whose cells have no such parameter anywhere: applies to nothing */
	CHECK(matrix_add_workloads(&m, "countdown", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_models(&m, "gil,threads", &e) == 0, "%s", e.msg);
	CHECK(matrix_add_param(&m, "gil:stack=64K", &e) == 0, "%s", e.msg);
	CHECK(matrix_check_params(&m, &e) < 0, "gil:stack accepted");
	CHECK_STR_CONTAINS(e.msg, "gil has no parameter 'stack'");
	matrix_free(&m);
	return check_report("matrix");
}
