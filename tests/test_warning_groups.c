/* test_warning_groups.c — a run's cell warnings grouped by kind: one line
 * per kind, in the order the kinds first came, each cell named once per
 * kind, the count of cells affected; lines cut to 100 columns with
 * "(+N more)"; no line at all without warnings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "warning_groups.h"

static char *render(const struct warning_groups *g, int cells)
{
	static char buf[8192];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	warning_groups_print(f, g, cells);
	fclose(f);
	return buf;
}

int main(void)
{
	struct warning_groups *g = warning_groups_new();
	CHECK(!strcmp(render(g, 10), ""), "no warnings, no line");
	warning_groups_add(g, "countdown/threads/workers:2",
			   "noisy: CV 16.9% > 5% over 5 repetitions; close other programs, pin workers "
			   "(--pin), or add repetitions (--reps, --min-time)");
	warning_groups_add(g, "countdown/threads/workers:2",
			   "other processes kept 1.20 CPUs busy during this cell (/proc/stat; load "
			   "average 3.00 -> 3.10); its times compete with them: rerun on a quiet machine");
	warning_groups_add(g, "echo/gil/workers:4",
			   "noisy: CV 7.0% > 5% over 5 repetitions; close other programs, pin workers "
			   "(--pin), or add repetitions (--reps, --min-time)");
	/* the same cell, the same kind again: counted once */
	warning_groups_add(g, "echo/gil/workers:4", "noisy: CV 9.0% > 5% over 6 repetitions");
	warning_groups_add(g, "sleep/threads/workers:1", "something new: a kind noise.c may add later");
	CHECK_INT(warning_groups_count(g), 3);
	const char *out = render(g, 126);
	const char *want =
		"warning: noisy (CV above 5%) in 2 of 126 cells: countdown/threads/workers:2, "
		"echo/gil/workers:4\n"
		"warning: other processes busy during the cell in 1 of 126 cells: "
		"countdown/threads/workers:2\n"
		"warning: something new in 1 of 126 cells: sleep/threads/workers:1\n";
	CHECK(!strcmp(out, want), "got:\n%s\nwant:\n%s", out, want);
	warning_groups_free(g);

	/* noise.c's CPU speed warning has a kind of its own */
	char kind[96];
	CHECK(!strcmp(warning_kind("the CPU ran at 100% and 40% of the run's speed at this cell's start "
				   "and end (a reference loop)", kind, sizeof kind),
		      "CPU speed away from the run's"), "speed warning's kind: %s", kind);

	/* 80 noisy cells: one line of at most 100 columns ending in the rest's count */
	g = warning_groups_new();
	char name[64];
	for (int i = 0; i < 80; i++) {
		snprintf(name, sizeof name, "countdown/threads/workers:%d", i + 1);
		warning_groups_add(g, name, "noisy: CV 20.0% > 5% over 3 repetitions");
	}
	out = render(g, 126);
	CHECK_INT(strchr(out, '\n') - out + 1, (long long)strlen(out)); /* one line */
	CHECK((int)strlen(out) - 1 <= WARNING_GROUPS_WIDTH, "%zu columns: %s", strlen(out) - 1, out);
	CHECK(strstr(out, "in 80 of 126 cells: countdown/threads/workers:1, ") != NULL, "%s", out);
	CHECK(strstr(out, " more)\n") != NULL, "%s", out);
	int shown = 0;
	for (const char *p = out; (p = strstr(p, "countdown/")); p++)
		shown++;
	char more[32];
	snprintf(more, sizeof more, "(+%d more)", 80 - shown);
	CHECK(strstr(out, more) != NULL, "%d shown, want '%s' in %s", shown, more, out);

	/* a kind so long that no cell fits after it (seen in make bench: "other
	 * processes busy during the cell in 11 of 126 cells: (+11 more)", no
	 * cell named): the cells go on a line of their own */
	warning_groups_free(g);
	g = warning_groups_new();
	for (int i = 0; i < 11; i++) {
		snprintf(name, sizeof name, "countdown/gil/workers:%d/n=2M/gil=legacy", i + 1);
		warning_groups_add(g, name, "other processes kept 0.3 CPUs busy during the cell");
	}
	out = render(g, 126);
	CHECK(!strncmp(out, "warning: other processes busy during the cell in 11 of 126 cells:\n  "
			    "countdown/gil/workers:1/n=2M/gil=legacy, ", 107), "%s", out);
	CHECK(strstr(out, " more)\n") != NULL, "%s", out);
	for (const char *p = out, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		CHECK(nl && nl - p <= WARNING_GROUPS_WIDTH, "a line of %d columns: %s", (int)(nl - p), out);
		if (!nl)
			break;
	}

	/* a name longer than the line: only the count */
	warning_groups_free(g);
	g = warning_groups_new();
	char longname[300];
	memset(longname, 'x', 299);
	longname[299] = 0;
	warning_groups_add(g, longname, "noisy: CV 20.0% > 5%");
	out = render(g, 1);
	CHECK(!strcmp(out, "warning: noisy (CV above 5%) in 1 of 1 cell: (+1 more)\n"), "%s", out);
	warning_groups_free(g);
	return check_report("warning_groups");
}
