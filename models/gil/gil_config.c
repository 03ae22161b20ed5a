/* gil_config.c — the model's parameters and the interpreter profile
 * (`--param python=3.12`, gil_profiles.def) resolved into one gil_config.
 * A profile supplies the defaults: its tick, its GIL and its intervals; a
 * parameter given on the command line always wins, so `python=3.12,gil=bfs`
 * predicts 3.12's speed under another lock. */
#include <string.h>
#include "gil.h"

static const struct gil_profile profiles[] = {
#define GIL_PROFILE(name, tick, policy, switch_ns, check, ft, cold_lines, own_pages, working_set, loops_per_us, \
		    measured)                                                                                 \
	{name, tick, policy, switch_ns, check, ft, cold_lines, own_pages, working_set, loops_per_us, measured},
#include "gil_profiles.def"
#undef GIL_PROFILE
};

const char gil_profile_choices[] = "none"
#define GIL_PROFILE(name, ...) "|" name
#include "gil_profiles.def"
#undef GIL_PROFILE
	;

const struct gil_profile *gil_profile_find(const char *name)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

static int given(const struct params *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->v[i].spec->name, name) == 0)
			return p->v[i].given;
	return 0;
}

static int policy_index(const char *name)
{
	for (int i = 0; i < gil_policy_count; i++)
		if (strcmp(gil_policy_table[i]->name, name) == 0)
			return i;
	return -1;
}

/* The parameter if given (or without a profile), else the profile's value. */
static int64_t pick(const struct params *p, const char *name, const struct gil_profile *prof,
		    int64_t from_profile)
{
	return prof && !given(p, name) ? from_profile : param_int(p, name);
}

int gil_config_resolve(const struct params *p, struct gil_config *c, struct err *e)
{
	const char *name = param_str(p, "python");
	const struct gil_profile *prof = gil_profile_find(name);
	if (!prof && strcmp(name, "none") != 0)
		return err_set(e, "gil: no interpreter profile '%s' (allowed: %s)", name, gil_profile_choices);
	*c = (struct gil_config){.profile = name};
	c->policy = (int)param_int(p, "gil");
	if (prof && !given(p, "gil")) {
		c->policy = policy_index(prof->policy);
		if (c->policy < 0)
			return err_set(e, "gil: profile %s names an unknown policy '%s' (allowed: %s)",
				       prof->name, prof->policy, GIL_POLICY_CHOICES);
	}
	c->tick_ns = pick(p, "tick", prof, prof ? prof->tick_ns : 0);
	c->switch_ns = pick(p, "switch", prof, prof ? prof->switch_ns : 0);
	c->check = pick(p, "check", prof, prof ? prof->check : 0);
	c->ft_overhead_pct = pick(p, "ft-overhead", prof, prof ? prof->ft_overhead_pct : 0);
	if (prof && !given(p, "ft-overhead") && prof->ft_overhead_pct == 0)
		c->ft_overhead_pct = param_int(p, "ft-overhead"); /* a GIL build: the option's default */
	c->unit_ticks = param_int(p, "unit-ticks");
	c->lock_condvar = param_int(p, "lock") != 0;
	c->slice_ns = param_int(p, "slice");
	c->cold_take_ns = param_int(p, "cold-take"); /* no profile sets it: cold-lines instead */
	c->cold_lines = pick(p, "cold-lines", prof, prof ? prof->cold_lines : 0);
	c->own_pages = pick(p, "own-pages", prof, prof ? prof->own_pages : 0);
	c->working_set = pick(p, "working-set", prof, prof ? prof->working_set : 0);
	/* The profile's turns only for the profile's own tick over its own
	 * loop: another working set is another loop, with another rate. */
	if (prof && !given(p, "tick") && !given(p, "working-set"))
		c->tick_loops_per_us = prof->tick_loops_per_us;
	if (c->working_set & (c->working_set - 1))
		return err_set(e, "gil: working-set=%lld is not a power of two (allowed: 0, or 4K to 64M in "
			       "powers of two)", (long long)c->working_set);
	return 0;
}
