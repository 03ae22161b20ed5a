/* test_gil_profiles.c — `--param python=NAME` resolves to the interpreter
 * profile's tick, GIL and intervals for every parameter not given, a given
 * parameter wins, CPython 2's carries its working set and CPython 3's their
 * own pages, a calibrated profile carries the rate its tick was calibrated
 * at (not with a tick or working set given), and every profile names a
 * policy that exists. The error for an unknown name (exit 2 before
 * anything runs) is checked by test_gil_cli.sh. */
#include "gil_test.h"
#include "gil.h"

static struct gil_config resolve(const char *const *settings)
{
	struct params p;
	struct err e = {{0}};
	REQUIRE(params_defaults(&p, model_gil.params, PROFILE_DEFAULT, &e) == 0, "%s", e.msg);
	for (int i = 0; settings[i]; i += 2)
		REQUIRE(params_set(&p, settings[i], settings[i + 1], &e) == 0, "%s", e.msg);
	struct gil_config c;
	REQUIRE(gil_config_resolve(&p, &c, &e) == 0, "%s", e.msg);
	return c;
}

static const char *policy(const struct gil_config *c) { return gil_policy_table[c->policy]->name; }

int main(void)
{
	struct gil_config c = resolve((const char *const[]){NULL});
	CHECK(strcmp(c.profile, "none") == 0 && strcmp(policy(&c), "modern") == 0 && c.tick_ns == 15,
	      "no profile: %s %s tick %lld", c.profile, policy(&c), (long long)c.tick_ns);

	const struct gil_profile *p27 = gil_profile_find("2.7");
	REQUIRE(p27, "no 2.7 profile");
	c = resolve((const char *const[]){"python", "2.7", NULL});
	CHECK(strcmp(policy(&c), "legacy") == 0 && c.tick_ns == p27->tick_ns && c.check == p27->check,
	      "python=2.7: %s tick %lld check %lld", policy(&c), (long long)c.tick_ns, (long long)c.check);

	/* CPython 2's profile carries the working set that makes its lock race
	 * on two CPUs as python2.7's does (docs/GIL.md, "Round ten"); a given
	 * working-set wins. */
	CHECK(p27->working_set > 0 && c.working_set == p27->working_set,
	      "python=2.7: working set %lld, profile's %lld", (long long)c.working_set,
	      (long long)p27->working_set);
	c = resolve((const char *const[]){"python", "2.7", "working-set", "0", NULL});
	CHECK(c.working_set == 0, "python=2.7,working-set=0: %lld", (long long)c.working_set);

	/* A calibrated profile's tick is turns of its loop: the rate it was
	 * calibrated at comes with it, unless a tick or another working set
	 * (another loop) is given; the free-threaded builds carry 3.13's. */
	const char *const calibrated[] = {"2.7", "3.11", "3.12", "3.13"};
	for (int i = 0; i < 4; i++) {
		const struct gil_profile *prof = gil_profile_find(calibrated[i]);
		REQUIRE(prof, "no %s profile", calibrated[i]);
		c = resolve((const char *const[]){"python", calibrated[i], NULL});
		CHECK(prof->tick_loops_per_us > 0 && c.tick_loops_per_us == prof->tick_loops_per_us,
		      "python=%s: rate %lld, the profile's %lld (0: not calibrated with its rate)", calibrated[i],
		      (long long)c.tick_loops_per_us, (long long)prof->tick_loops_per_us);
	}
	c = resolve((const char *const[]){"python", "2.7", "working-set", "0", NULL});
	CHECK(c.tick_loops_per_us == 0, "python=2.7,working-set=0: the profile's rate %lld kept",
	      (long long)c.tick_loops_per_us);
	c = resolve((const char *const[]){"python", "3.11", "tick", "12ns", NULL});
	CHECK(c.tick_loops_per_us == 0, "python=3.11,tick=12ns: the profile's rate %lld kept",
	      (long long)c.tick_loops_per_us);
	for (int i = 0; i < 2; i++) {
		const char *ft = i ? "3.14t" : "3.13t";
		c = resolve((const char *const[]){"python", ft, NULL});
		CHECK(c.tick_loops_per_us == gil_profile_find("3.13")->tick_loops_per_us &&
			      c.tick_ns == gil_profile_find("3.13")->tick_ns,
		      "%s: tick %lld at %lld loops/us, not 3.13's", ft, (long long)c.tick_ns,
		      (long long)c.tick_loops_per_us);
	}

	/* CPython 3's profiles carry the own pages that make an I/O thread's
	 * hold after a take-over grow with its wait as CPython's does
	 * (docs/GIL.md, "Round twenty-four"); CPython 2's take-overs come every
	 * few µs on two CPUs, warm, and the free-threaded builds take no lock:
	 * none. A given own-pages wins. */
	for (int i = 1; i < 4; i++) {
		const struct gil_profile *prof = gil_profile_find(calibrated[i]);
		c = resolve((const char *const[]){"python", calibrated[i], NULL});
		CHECK(prof->own_pages > 0 && c.own_pages == prof->own_pages, "python=%s: own pages %lld, profile's %lld",
		      calibrated[i], (long long)c.own_pages, (long long)prof->own_pages);
	}
	const char *const no_pages[] = {"2.7", "3.13t", "3.14t"};
	for (int i = 0; i < 3; i++) {
		c = resolve((const char *const[]){"python", no_pages[i], NULL});
		CHECK(c.own_pages == 0, "python=%s: own pages %lld", no_pages[i], (long long)c.own_pages);
	}
	c = resolve((const char *const[]){"python", "3.11", "own-pages", "0", NULL});
	CHECK(c.own_pages == 0, "python=3.11,own-pages=0: %lld", (long long)c.own_pages);
	c = resolve((const char *const[]){NULL});
	CHECK(c.own_pages == 0, "no profile: own pages %lld", (long long)c.own_pages);

	/* Given parameters win over the profile. */
	c = resolve((const char *const[]){"python", "2.7", "tick", "40ns", "gil", "bfs", NULL});
	CHECK(strcmp(policy(&c), "bfs") == 0 && c.tick_ns == 40, "python=2.7,gil=bfs,tick=40ns: %s %lld",
	      policy(&c), (long long)c.tick_ns);
	c = resolve((const char *const[]){"python", "3.12", "switch", "1ms", NULL});
	CHECK(c.switch_ns == 1000000 && strcmp(policy(&c), "modern") == 0, "python=3.12,switch=1ms: %lld",
	      (long long)c.switch_ns);

	/* Free-threaded builds: no lock, their published overhead. */
	c = resolve((const char *const[]){"python", "3.13t", NULL});
	CHECK(strcmp(policy(&c), "free-threaded") == 0 && c.ft_overhead_pct == 40, "3.13t: %s %lld%%",
	      policy(&c), (long long)c.ft_overhead_pct);
	c = resolve((const char *const[]){"python", "3.14t", NULL});
	CHECK(c.ft_overhead_pct == 10, "3.14t: %lld%%", (long long)c.ft_overhead_pct);
	c = resolve((const char *const[]){"gil", "free-threaded", NULL});
	CHECK(c.ft_overhead_pct == 10, "gil=free-threaded default overhead %lld%%", (long long)c.ft_overhead_pct);

	/* Every name in the choices is a profile with a known policy and a source. */
	char names[256];
	snprintf(names, sizeof names, "%s", gil_profile_choices);
	int count = 0;
	for (char *save = NULL, *n = strtok_r(names, "|", &save); n; n = strtok_r(NULL, "|", &save)) {
		if (strcmp(n, "none") == 0)
			continue;
		c = resolve((const char *const[]){"python", n, NULL});
		const struct gil_profile *prof = gil_profile_find(n);
		CHECK(prof && prof->measured && prof->measured[0] && c.tick_ns > 0,
		      "profile %s: no provenance or tick", n);
		count++;
	}
	CHECK(count >= 4, "only %d profiles", count);
	/* The policy table and the choices agree. */
	char choices[] = GIL_POLICY_CHOICES;
	int i = 0;
	for (char *save = NULL, *n = strtok_r(choices, "|", &save); n; n = strtok_r(NULL, "|", &save), i++)
		CHECK(i < gil_policy_count && strcmp(gil_policy_table[i]->name, n) == 0 &&
			      gil_policy_table[i]->source,
		      "choice %d (%s) is not policy table entry %d", i, n, i);
	CHECK(i == gil_policy_count, "%d choices, %d policies", i, gil_policy_count);
	return check_report("gil_profiles");
}
