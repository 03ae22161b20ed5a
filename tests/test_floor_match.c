/* test_floor_match.c — every cell with a matching floor finds it (by
 * handoff and by where its workers ran), others find none, and the ratio
 * reads "slower than the floor" as > 1 for times and rates alike. */
#include <math.h>
#include <string.h>
#include "check.h"
#include "floor_match.h"

static int match(const char *w, const char *m, int n, const char *h, enum floor_cell_placement p)
{
	struct floor_cell c = {.workload = w, .model = m, .workers = n, .handoff = h, .placement = p};
	return floor_match(&c);
}

int main(void)
{
	CHECK(match("yield", "coroutines", 2, "yield", CELL_PLACED_UNKNOWN) == FLOOR_CORO_SWITCH, "%s", "");
	CHECK(match("yield", "threads", 2, "yield", CELL_PLACED_UNKNOWN) == -1, "%s", ""); /* sched_yield */
	CHECK(match("yield", "threads", 2, "futex", CELL_PLACED_SAME_PU) == FLOOR_FUTEX_SAME, "%s", "");
	CHECK(match("yield", "gil", 4, "futex", CELL_PLACED_OWN_CORE) == FLOOR_FUTEX_CROSS, "%s", "");
	CHECK(match("yield", "threads", 2, "condvar", CELL_PLACED_UNKNOWN) == FLOOR_CONDVAR_ANY, "%s", "");
	CHECK(match("yield", "threads", 2, "condvar", CELL_PLACED_SAME_PU) == FLOOR_CONDVAR_SAME, "%s", "");
	CHECK(match("yield", "processes", 2, "pipe", CELL_PLACED_SAME_PU) == FLOOR_PIPE_SAME, "%s", "");
	CHECK(match("yield", "processes", 2, "pipe", CELL_PLACED_UNKNOWN) == FLOOR_PIPE_ANY, "%s", "");
	CHECK(match("yield", "threads", 1, "condvar", CELL_PLACED_SAME_PU) == -1, "%s", "");
	CHECK(match("echo", "threads", 1, NULL, CELL_PLACED_UNKNOWN) == FLOOR_TCP_RTT, "%s", "");
	CHECK(match("echo", "threads", 2, NULL, CELL_PLACED_UNKNOWN) == -1, "%s", "");
	CHECK(match("sha512", "processes", 1, NULL, CELL_PLACED_UNKNOWN) == FLOOR_SHA512, "%s", "");
	CHECK(match("countdown", "sequential", 1, NULL, CELL_PLACED_UNKNOWN) == FLOOR_COUNTDOWN, "%s", "");
	CHECK(match("countdown", "threads", 1, NULL, CELL_PLACED_UNKNOWN) == -1, "%s", "");
	CHECK(match("integrate", "sequential", 1, NULL, CELL_PLACED_UNKNOWN) == -1, "%s", "");

	struct floors f;
	memset(&f, 0, sizeof f);
	f.r[FLOOR_FUTEX_SAME] = (struct floor_result){.available = 1, .median = 2000, .min = 1900,
						      .max = 2100, .rounds = 5};
	f.r[FLOOR_SHA512] = (struct floor_result){.available = 1, .median = 600, .min = 590,
						  .max = 610, .rounds = 5};
	CHECK(fabs(floor_ratio(&f, FLOOR_FUTEX_SAME, 2160) - 1.08) < 1e-9, "%g", floor_ratio(&f, FLOOR_FUTEX_SAME, 2160));
	CHECK(fabs(floor_ratio(&f, FLOOR_SHA512, 500) - 1.2) < 1e-9, "%g", floor_ratio(&f, FLOOR_SHA512, 500)); /* a slower rate: > 1 */
	CHECK(floor_ratio(&f, FLOOR_PIPE_SAME, 5000) == 0, "%s", "");        /* unavailable */
	CHECK(floor_ratio(&f, FLOOR_FUTEX_SAME, 0) == 0, "%s", "");
	CHECK(floor_ratio(&f, -1, 10) == 0, "%s", "");

	/* Round trip through JSON: what a run records is what a report reads. */
	json_t *j = floors_json(&f);
	struct floors g;
	struct err e;
	CHECK(floors_from_json(j, &g, &e) == 0, "%s", "");
	CHECK(g.r[FLOOR_FUTEX_SAME].available && g.r[FLOOR_FUTEX_SAME].median == 2000, "%s", "");
	CHECK(!g.r[FLOOR_PIPE_SAME].available, "%s", "");
	json_decref(j);
	return check_report("floor_match");
}
