/* floor_match.c — a cell's floor (see floor_match.h for the table). */
#include <string.h>
#include "floor_match.h"

static int is(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* futex_*, condvar_* or pipe_* by where the workers ran. */
static int by_placement(int same, int cross, int any, enum floor_cell_placement p)
{
	return p == CELL_PLACED_SAME_PU ? same : p == CELL_PLACED_OWN_CORE ? cross : any;
}

int floor_match(const struct floor_cell *c)
{
	if (is(c->workload, "yield")) {
		if (c->workers < 2)
			return -1; /* one task hands over to nobody */
		if (is(c->handoff, "yield"))
			return is(c->model, "coroutines") ? FLOOR_CORO_SWITCH : -1;
		if (is(c->handoff, "futex"))
			return by_placement(FLOOR_FUTEX_SAME, FLOOR_FUTEX_CROSS, FLOOR_FUTEX_ANY, c->placement);
		if (is(c->handoff, "condvar"))
			return by_placement(FLOOR_CONDVAR_SAME, FLOOR_CONDVAR_CROSS, FLOOR_CONDVAR_ANY,
					    c->placement);
		if (is(c->handoff, "pipe"))
			return by_placement(FLOOR_PIPE_SAME, FLOOR_PIPE_CROSS, FLOOR_PIPE_ANY, c->placement);
		return -1;
	}
	if (is(c->workload, "echo"))
		return c->workers == 1 ? FLOOR_TCP_RTT : -1;
	if (is(c->workload, "sha512"))
		return c->workers == 1 ? FLOOR_SHA512 : -1;
	if (is(c->workload, "countdown"))
		return is(c->model, "sequential") ? FLOOR_COUNTDOWN : -1;
	return -1;
}

static int usable(const struct floors *f, int id)
{
	return id >= 0 && id < FLOOR_COUNT && f->r[id].available && f->r[id].median > 0;
}

/* A cell whose workers the OS placed may have run them on one PU or on two
 * cores, whichever is cheaper for its handoff: the unpinned bare ping-pong
 * happened to be placed some other way (across cores, 12.9 us for condvar
 * here, while one PU costs 5.1 us), so a gil cell that the scheduler kept on
 * one CPU measured 0.48x "floor". Its bound is the lowest of the three. */
int floor_bound(const struct floors *f, int id)
{
	static const int kinds[][3] = {
		{FLOOR_FUTEX_ANY, FLOOR_FUTEX_SAME, FLOOR_FUTEX_CROSS},
		{FLOOR_CONDVAR_ANY, FLOOR_CONDVAR_SAME, FLOOR_CONDVAR_CROSS},
		{FLOOR_PIPE_ANY, FLOOR_PIPE_SAME, FLOOR_PIPE_CROSS},
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		if (kinds[k][0] != id)
			continue;
		int best = -1;
		for (int i = 0; i < 3; i++)
			if (usable(f, kinds[k][i]) &&
			    (best < 0 || f->r[kinds[k][i]].median < f->r[best].median))
				best = kinds[k][i];
		return best;
	}
	return usable(f, id) ? id : -1;
}

double floor_ratio(const struct floors *f, int id, double figure)
{
	id = floor_bound(f, id);
	if (id < 0 || !(figure > 0))
		return 0;
	return floor_infos[id].higher_is_better ? f->r[id].median / figure : figure / f->r[id].median;
}

const char *floor_figure_key(int id)
{
	switch (id) {
	case FLOOR_CORO_SWITCH:
	case FLOOR_FUTEX_SAME:
	case FLOOR_FUTEX_CROSS:
	case FLOOR_FUTEX_ANY:
	case FLOOR_CONDVAR_SAME:
	case FLOOR_CONDVAR_CROSS:
	case FLOOR_CONDVAR_ANY:
	case FLOOR_PIPE_SAME:
	case FLOOR_PIPE_CROSS:
	case FLOOR_PIPE_ANY:
		return "ns_per_switch";
	case FLOOR_TCP_RTT:
		return "latency_p50_us";
	case FLOOR_SHA512:
		return "mb_per_s";
	case FLOOR_COUNTDOWN:
		return "ns_per_unit";
	default:
		return NULL;
	}
}
