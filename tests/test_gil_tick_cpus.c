/* test_gil_tick_cpus.c — the gil tick is calibrated on the fastest CPU the
 * thread may use: it compares every allowed CPU (a full set, or the one
 * CPU taskset left), reports how many, and leaves the thread's affinity as it
 * found it; a unit's loop count is sized from that rate. Which CPU is
 * fastest is the machine's: no bound on the rate here. */
#include <sched.h>
#include "check.h"
#include "gil.h"

static void check_calibrates_on(const cpu_set_t *allowed, int64_t working_set, const char *what)
{
	int cpus = -1;
	double r = gil_tick_loops_per_ns(working_set, &cpus);
	CHECK(r > 0, "%s: rate %g", what, r);
	CHECK_INT(cpus, CPU_COUNT(allowed));
	cpu_set_t after;
	CHECK_INT(sched_getaffinity(0, sizeof after, &after), 0);
	CHECK(CPU_EQUAL(&after, allowed), "%s: affinity changed (%d CPUs, %d before)", what,
	      CPU_COUNT(&after), CPU_COUNT(allowed));
	/* Cached: the same rate and count, nothing timed again. */
	int again = -1;
	CHECK(gil_tick_loops_per_ns(working_set, &again) == r, "%s: cached rate differs", what);
	CHECK_INT(again, cpus);
}

int main(void)
{
	cpu_set_t all;
	CHECK_INT(sched_getaffinity(0, sizeof all, &all), 0);
	check_calibrates_on(&all, 0, "every allowed CPU");

	/* A unit is sized from the calibrated rate, and says how many CPUs. */
	struct gil_tick k;
	CHECK_INT(gil_tick_init(&k, 100, 0, 0), 0);
	CHECK_INT(k.calibration_cpus, CPU_COUNT(&all));
	CHECK(k.loops_per_unit == (uint64_t)(k.loops_per_ns * 100 + 0.5), "loops per unit %llu",
	      (unsigned long long)k.loops_per_unit);
	gil_tick_fini(&k);
	/* At a profile's rate: its turns exactly, the rate still timed. */
	CHECK_INT(gil_tick_init(&k, 100, 0, 2500), 0);
	CHECK(k.loops_per_unit == 250 && k.loops_per_ns > 0, "at 2500 loops/us: %llu loops per unit "
	      "(250 expected), %.3f loops/ns timed", (unsigned long long)k.loops_per_unit, k.loops_per_ns);
	gil_tick_fini(&k);

	/* Restricted to the last allowed CPU (as taskset -c N would), a working
	 * set not calibrated yet: that CPU only, and still restricted after. */
	int last = -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &all))
			last = c;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(last, &one);
	CHECK_INT(sched_setaffinity(0, sizeof one, &one), 0);
	check_calibrates_on(&one, 4096, "one CPU");
	CHECK_INT(sched_setaffinity(0, sizeof all, &all), 0);
	return check_report("gil_tick_cpus");
}
