/* gil_free_threaded.c — `gil=free-threaded`: CPython built without the GIL
 * (PEP 703; python3.13t, 3.14t). There is no global lock: every thread runs
 * whenever the OS lets it. What free-threading costs instead is paid on
 * every unit: biased reference counting, per-object locks and the
 * thread-safe allocator make each bytecode slower. `ft-overhead` adds that
 * cost in % of `tick` (published single-thread slowdowns: about 40 % for
 * 3.13t, about 10 % for 3.14t; PEP 703 measured 5-8 % on pyperformance),
 * so N threads ÷ 1 shows where free-threading wins and by how much. */
#include <stdint.h>
#include <stdlib.h>
#include "gil.h"

struct free_threaded {
	int unused; /* no lock: create only has to return something */
};

static struct gil *ft_create(const struct gil_config *c, int threads)
{
	(void)c;
	(void)threads;
	return calloc(1, sizeof(struct free_threaded));
}

static void ft_destroy(struct gil *g) { free(g); }

static void ft_take(struct gil *g, struct gil_thread *t)
{
	(void)g;
	(void)t;
}

static void ft_drop(struct gil *g, struct gil_thread *t, int exiting)
{
	(void)g;
	(void)t;
	(void)exiting;
}

static uint64_t ft_budget(struct gil *g, struct gil_thread *t)
{
	(void)g;
	(void)t;
	return 4096; /* nothing to check: steps as long as a plain thread's chunks */
}

static void ft_after_units(struct gil *g, struct gil_thread *t, uint64_t units)
{
	(void)g;
	(void)t;
	(void)units;
}

static double ft_unit_cost(const struct gil_config *c) { return 1.0 + (double)c->ft_overhead_pct / 100.0; }

const struct gil_policy gil_policy_free_threaded = {
	.name = "free-threaded",
	.source = "PEP 703 (python3.13t, 3.14t): no global lock; each unit costs ft-overhead % more",
	.create = ft_create,
	.destroy = ft_destroy,
	.take = ft_take,
	.drop = ft_drop,
	.budget = ft_budget,
	.after_units = ft_after_units,
	.unit_cost = ft_unit_cost,
};
