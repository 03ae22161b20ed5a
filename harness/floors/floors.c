/* floors.c — measuring the floors: each one in rounds of a calibrated
 * number of operations, the median of the rounds its figure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "floor_measure.h"
#include "floors.h"
#include "stats.h"

const struct floor_info floor_infos[FLOOR_COUNT] = {
#define FLOOR_INFO(id, name, unit, hib, what) [FLOOR_##id] = {name, unit, hib, what},
	FLOORS_TABLE(FLOOR_INFO)
#undef FLOOR_INFO
};

int floor_by_name(const char *name)
{
	for (int i = 0; i < FLOOR_COUNT; i++)
		if (strcmp(floor_infos[i].name, name) == 0)
			return i;
	return -1;
}

/* How each floor is measured. place < 0: no placement. */
struct floor_how {
	floor_fn fn;
	int place;          /* enum floor_placement, or -1 */
	uint64_t first_ops; /* calibration starts here */
	double bytes_per_op;/* for a rate in MB/s */
};

static const struct floor_how floor_hows[FLOOR_COUNT] = {
	[FLOOR_CORO_SWITCH] = {floor_coro_switch, -1, 1000, 0},
	[FLOOR_FUTEX_SAME] = {floor_futex_pingpong, PLACE_SAME_PU, 20, 0},
	[FLOOR_FUTEX_CROSS] = {floor_futex_pingpong, PLACE_TWO_CORES, 20, 0},
	[FLOOR_FUTEX_ANY] = {floor_futex_pingpong, PLACE_UNPINNED, 20, 0},
	[FLOOR_CONDVAR_SAME] = {floor_condvar_pingpong, PLACE_SAME_PU, 20, 0},
	[FLOOR_CONDVAR_CROSS] = {floor_condvar_pingpong, PLACE_TWO_CORES, 20, 0},
	[FLOOR_CONDVAR_ANY] = {floor_condvar_pingpong, PLACE_UNPINNED, 20, 0},
	[FLOOR_PIPE_SAME] = {floor_pipe_pingpong, PLACE_SAME_PU, 20, 0},
	[FLOOR_PIPE_CROSS] = {floor_pipe_pingpong, PLACE_TWO_CORES, 20, 0},
	[FLOOR_PIPE_ANY] = {floor_pipe_pingpong, PLACE_UNPINNED, 20, 0},
	[FLOOR_TCP_RTT] = {floor_tcp_round_trip, -1, 10, 0},
	[FLOOR_SHA512] = {floor_sha512, -1, 2, FLOOR_SHA512_CHUNK},
	[FLOOR_COUNTDOWN] = {floor_countdown, -1, 10000, 0},
	[FLOOR_FORK_WAIT] = {floor_fork_wait, -1, 2, 0},
	[FLOOR_THREAD_CREATE] = {floor_thread_create, -1, 4, 0},
};

static double in_unit(const struct floor_info *info, const struct floor_how *how, double ns_per_op)
{
	if (info->higher_is_better) /* MB/s */
		return how->bytes_per_op * 1e3 / ns_per_op;
	return strcmp(info->unit, "us") == 0 ? ns_per_op / 1e3 : ns_per_op;
}

static int selected(const char *only, const char *name)
{
	if (!only)
		return 1;
	size_t n = strlen(name);
	for (const char *p = only; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len + (end ? 1 : 0);
	}
	return 0;
}

/* One floor: calibrate ops so that a round lasts about round_ns, then time
 * `rounds` rounds. 0, or -1 with e set. */
static int measure_one(int id, hwloc_topology_t topo, int rounds, int64_t round_ns,
		       struct floor_result *r, struct err *e)
{
	const struct floor_how *how = &floor_hows[id];
	struct floor_place place;
	void *arg = NULL;
	memset(r, 0, sizeof *r);
	if (how->place >= 0) {
		struct err why = {{0}};
		int rc = floor_place_plan(topo, (enum floor_placement)how->place, &place, &why);
		if (rc == FLOOR_UNAVAILABLE) {
			snprintf(r->why, sizeof r->why, "%s", why.msg);
			return 0;
		}
		arg = &place;
	}
	uint64_t ops = how->first_ops;
	int64_t elapsed = 0;
	for (int tries = 0;; tries++) {
		struct err why = {{0}};
		int rc = how->fn(arg, ops, &elapsed, &why);
		if (rc == FLOOR_UNAVAILABLE) {
			snprintf(r->why, sizeof r->why, "%s", why.msg);
			return 0;
		}
		if (rc != 0)
			return err_set(e, "floor %s: %s", floor_infos[id].name, why.msg);
		if (elapsed >= round_ns / 4 || tries >= 12)
			break;
		double grow = (double)round_ns / (double)(elapsed > 0 ? elapsed : 1);
		ops = (uint64_t)((double)ops * (grow < 2 ? 2 : grow > 1000 ? 1000 : grow));
	}
	double scaled = (double)ops * (double)round_ns / (double)(elapsed > 0 ? elapsed : 1);
	ops = scaled < (double)how->first_ops ? how->first_ops : (uint64_t)scaled;
	double *values = calloc((size_t)rounds, sizeof *values);
	if (!values)
		return err_set(e, "floors: out of memory");
	for (int i = 0; i < rounds; i++) {
		struct err why = {{0}};
		if (how->fn(arg, ops, &elapsed, &why) != 0) {
			free(values);
			return err_set(e, "floor %s: %s", floor_infos[id].name, why.msg);
		}
		if (elapsed <= 0) {
			free(values);
			return err_set(e, "floor %s: a round of %llu operations took no time",
				       floor_infos[id].name, (unsigned long long)ops);
		}
		values[i] = in_unit(&floor_infos[id], how, (double)elapsed / (double)ops);
	}
	struct summary s;
	stats_summarise(values, (size_t)rounds, &s);
	free(values);
	r->available = 1;
	r->median = s.median;
	r->min = s.min;
	r->max = s.max;
	r->rounds = rounds;
	r->ops_per_round = ops;
	return 0;
}

int floors_measure(struct floors *out, hwloc_topology_t topo, const struct floors_options *o,
		   struct err *e)
{
	int rounds = o && o->rounds ? o->rounds : 5;
	int64_t round_ns = o && o->round_ns ? o->round_ns : 20000000;
	memset(out, 0, sizeof *out);
	floors_machine_key(topo, out->machine, sizeof out->machine);
	snprintf(out->how, sizeof out->how, "%s", floor_coro_switch_impl());
	for (int i = 0; i < FLOOR_COUNT; i++) {
		if (!selected(o ? o->only : NULL, floor_infos[i].name)) {
			snprintf(out->r[i].why, sizeof out->r[i].why, "not measured (not selected)");
			continue;
		}
		if (measure_one(i, topo, rounds, round_ns, &out->r[i], e) != 0)
			return -1;
	}
	return 0;
}

/* Spread: (max - min) / median, in percent. */
static double spread_pct(const struct floor_result *r)
{
	return r->median > 0 ? (r->max - r->min) / r->median * 100 : 0;
}

json_t *floors_json(const struct floors *f)
{
	json_t *all = json_object();
	for (int i = 0; i < FLOOR_COUNT; i++) {
		const struct floor_result *r = &f->r[i];
		json_t *o = json_pack("{s:s, s:b}", "unit", floor_infos[i].unit, "higher_is_better",
				      floor_infos[i].higher_is_better);
		if (r->available) {
			json_object_set_new(o, "median", json_real(r->median));
			json_object_set_new(o, "min", json_real(r->min));
			json_object_set_new(o, "max", json_real(r->max));
			json_object_set_new(o, "spread_pct", json_real(spread_pct(r)));
			json_object_set_new(o, "rounds", json_integer(r->rounds));
			json_object_set_new(o, "ops_per_round", json_integer((json_int_t)r->ops_per_round));
		} else {
			json_object_set_new(o, "available", json_false());
			json_object_set_new(o, "why", json_string(r->why));
		}
		json_object_set_new(all, floor_infos[i].name, o);
	}
	return json_pack("{s:s, s:s, s:o}", "machine", f->machine, "coro_switch_impl", f->how,
			 "floors", all);
}

int floors_from_json(json_t *j, struct floors *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	json_t *all = json_object_get(j, "floors");
	if (!json_is_object(all))
		return err_set(e, "floors: no \"floors\" object");
	const char *machine = json_string_value(json_object_get(j, "machine"));
	const char *how = json_string_value(json_object_get(j, "coro_switch_impl"));
	snprintf(out->machine, sizeof out->machine, "%s", machine ? machine : "");
	snprintf(out->how, sizeof out->how, "%s", how ? how : "");
	for (int i = 0; i < FLOOR_COUNT; i++) {
		struct floor_result *r = &out->r[i];
		json_t *o = json_object_get(all, floor_infos[i].name);
		if (!o) {
			snprintf(r->why, sizeof r->why, "not recorded");
			continue;
		}
		json_t *median = json_object_get(o, "median");
		if (!json_is_number(median)) {
			const char *why = json_string_value(json_object_get(o, "why"));
			snprintf(r->why, sizeof r->why, "%s", why ? why : "not available");
			continue;
		}
		r->available = 1;
		r->median = json_number_value(median);
		r->min = json_number_value(json_object_get(o, "min"));
		r->max = json_number_value(json_object_get(o, "max"));
		r->rounds = (int)json_integer_value(json_object_get(o, "rounds"));
		r->ops_per_round = (uint64_t)json_integer_value(json_object_get(o, "ops_per_round"));
		if (!(r->median > 0) || !isfinite(r->median))
			return err_set(e, "floors: %s has median %g", floor_infos[i].name, r->median);
	}
	return 0;
}

/* 3 significant digits, no exponent: 0.849, 35.2, 3498, 228700. */
static const char *fmt3(double v, char *buf, size_t len)
{
	snprintf(buf, len, "%.*f", v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3, v);
	return buf;
}

void floors_print(const struct floors *f, FILE *out)
{
	fprintf(out, "floors of %s\n", f->machine);
	fprintf(out, "%-20s %12s %-5s %10s %10s %7s  %s\n", "floor", "median", "unit", "min", "max",
		"spread", "what");
	for (int i = 0; i < FLOOR_COUNT; i++) {
		const struct floor_result *r = &f->r[i];
		const struct floor_info *info = &floor_infos[i];
		if (!r->available) {
			fprintf(out, "%-20s %12s %-5s %s\n", info->name, "unavailable", info->unit, r->why);
			continue;
		}
		char a[32], b[32], c[32];
		fprintf(out, "%-20s %12s %-5s %10s %10s %6.1f%%  %s\n", info->name,
			fmt3(r->median, a, sizeof a), info->unit, fmt3(r->min, b, sizeof b),
			fmt3(r->max, c, sizeof c), spread_pct(r), info->what);
	}
	int rounds = 0;
	for (int i = 0; i < FLOOR_COUNT && !rounds; i++)
		rounds = f->r[i].rounds;
	fprintf(out, "coro_switch: %s; each figure is the median of %d rounds, spread = (max - min) / "
		"median\n", f->how, rounds);
}
