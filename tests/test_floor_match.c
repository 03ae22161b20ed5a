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

	/* An unpinned cell is held against the cheapest placement of its kind:
	 * gil legacy's 2 threads, kept on one CPU by the OS, measured 6.2 us per
	 * condvar handoff against an unpinned (cross-core) bare ping-pong of
	 * 12.9 us, i.e. 0.48x "floor", under the same-PU one of 5.1 us. */
	f.r[FLOOR_CONDVAR_SAME] = (struct floor_result){.available = 1, .median = 5100, .rounds = 5};
	f.r[FLOOR_CONDVAR_CROSS] = (struct floor_result){.available = 1, .median = 11300, .rounds = 5};
	f.r[FLOOR_CONDVAR_ANY] = (struct floor_result){.available = 1, .median = 12900, .rounds = 5};
	int gil = match("yield", "gil", 2, "condvar", CELL_PLACED_UNKNOWN);
	CHECK(floor_ratio(&f, gil, 6200) >= 1, "gil legacy's 6.2 us: %gx its floor",
	      floor_ratio(&f, gil, 6200));
	CHECK(fabs(floor_ratio(&f, gil, 6200) - 6200.0 / 5100) < 1e-9, "%g", floor_ratio(&f, gil, 6200));
	CHECK(floor_bound(&f, FLOOR_CONDVAR_ANY) == FLOOR_CONDVAR_SAME, "%d", floor_bound(&f, FLOOR_CONDVAR_ANY));
	/* a pinned cell keeps its own placement's floor */
	CHECK(floor_bound(&f, FLOOR_CONDVAR_CROSS) == FLOOR_CONDVAR_CROSS, "%s", "");
	CHECK(fabs(floor_ratio(&f, FLOOR_CONDVAR_CROSS, 12430) - 1.1) < 1e-9, "%s", "");
	/* only the unpinned one measured: it is the bound */
	f.r[FLOOR_FUTEX_ANY] = (struct floor_result){.available = 1, .median = 3000, .rounds = 5};
	CHECK(floor_bound(&f, FLOOR_FUTEX_ANY) == FLOOR_FUTEX_SAME, "%s", ""); /* 2000 < 3000 */
	f.r[FLOOR_FUTEX_SAME].available = 0;
	CHECK(floor_bound(&f, FLOOR_FUTEX_ANY) == FLOOR_FUTEX_ANY, "%s", "");
	f.r[FLOOR_FUTEX_SAME].available = 1;

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
