/* test_gil_lines.c — the chains a take-over walks lie where their names say:
 * `cold-lines` side by side (n lines fill n x 64 bytes, a few pages), and
 * `own-pages` a line in each page (n lines make n pages resident, so that
 * a cold walk misses in the TLB as well as in the cache, as CPython's does
 * after a long wait: docs/GIL.md, "Round twenty-four"). Observed as the
 * process's resident pages, which grow by the pages the chain's creation
 * wrote; walking the chain twice adds none. No timing. */
#include <stdio.h>
#include <unistd.h>
#include "gil_test.h"
#include "gil.h"

enum { LINES = 512 };

static long resident_pages(void)
{
	long size = 0, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = -1;
		fclose(f);
	}
	return resident;
}

static long grown_by(long stride, struct gil_lines **out)
{
	long before = resident_pages();
	*out = gil_lines_create(LINES, stride);
	REQUIRE(*out != NULL, "gil_lines_create(%d, %ld): out of memory", LINES, stride);
	long after = resident_pages();
	REQUIRE(before > 0 && after > 0, "cannot read /proc/self/statm");
	return after - before;
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct gil_lines *shared, *own;
	long side_by_side = grown_by(64, &shared);
	long spread = grown_by(page, &own);
	/* 512 lines side by side are 8 pages of 4 KiB; the bound leaves room
	 * for a sanitizer's shadow memory, far below one page a line. */
	CHECK(side_by_side < LINES / 2, "cold lines: %d lines made %ld pages resident (about %ld expected)", LINES,
	      side_by_side, LINES * 64 / page);
	CHECK(spread >= LINES, "own pages: %d lines made %ld pages resident (one a line expected)", LINES, spread);

	long before = resident_pages();
	for (int i = 0; i < 2; i++) {
		gil_lines_touch(shared);
		gil_lines_touch(own);
	}
	long walked = resident_pages() - before;
	CHECK(walked < LINES / 8, "walking the chains made %ld more pages resident (they were all written)", walked);
	gil_lines_destroy(shared);
	gil_lines_destroy(own);
	gil_lines_destroy(NULL);
	return check_report("gil_lines");
}
