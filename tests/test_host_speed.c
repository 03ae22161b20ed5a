/* test_host_speed.c — harness/system/host_speed.c: the reference loop's
 * speed is positive and says which CPU it ran on; measuring every CPU
 * measures exactly the CPUs this thread may use (each > 0, the others 0)
 * and leaves the thread's affinity as it found it, a full set or a single
 * CPU; an unknown CPU reads 0. How fast the loop runs is the machine's: no
 * bound on it here. */
#include <sched.h>
#include "check.h"
#include "host_speed.h"

static void check_measures_exactly(const cpu_set_t *allowed, const char *what)
{
	struct host_speeds s;
	CHECK_INT(host_speeds_measure(&s), 0);
	int highest = -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, allowed))
			highest = c;
	CHECK_INT(s.n, highest + 1);
	for (int c = 0; c < s.n; c++) {
		if (CPU_ISSET(c, allowed))
			CHECK(host_speeds_of(&s, c) > 0, "%s: CPU %d allowed but not measured", what, c);
		else
			CHECK(host_speeds_of(&s, c) == 0, "%s: CPU %d not allowed but measured", what, c);
	}
	CHECK(host_speeds_of(&s, -1) == 0 && host_speeds_of(&s, s.n) == 0, "%s: outside reads 0", what);
	cpu_set_t after;
	CHECK_INT(sched_getaffinity(0, sizeof after, &after), 0);
	CHECK(CPU_EQUAL(&after, allowed), "%s: affinity changed (%d CPUs, %d before)", what,
	      CPU_COUNT(&after), CPU_COUNT(allowed));
	host_speeds_free(&s);
	CHECK(s.n == 0 && s.by_cpu == NULL, "%s: freed", what);
}

int main(void)
{
	int cpu = -2;
	double v = host_speed_now(&cpu);
	CHECK(v > 0, "speed %g", v);
	CHECK(cpu >= -1 && cpu < CPU_SETSIZE, "cpu %d", cpu);
	CHECK(host_speed_now(NULL) > 0, "no cpu asked for");

	cpu_set_t all;
	CHECK_INT(sched_getaffinity(0, sizeof all, &all), 0);
	check_measures_exactly(&all, "every allowed CPU");

	/* Restricted to the last allowed CPU (as taskset -c N would): that one
	 * only, and still restricted to it afterwards. */
	int last = -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &all))
			last = c;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(last, &one);
	CHECK_INT(sched_setaffinity(0, sizeof one, &one), 0);
	check_measures_exactly(&one, "one CPU");
	CHECK_INT(host_speed_now(&cpu) > 0, 1);
	CHECK_INT(cpu, last);
	CHECK_INT(sched_setaffinity(0, sizeof all, &all), 0);

	CHECK(host_speeds_of(NULL, 0) == 0, "no speeds: 0");
	return check_report("host_speed");
}
