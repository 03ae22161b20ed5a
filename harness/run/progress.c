/* progress.c — the progress display. */
#include <stdio.h>
#include <time.h>
#include "clock.h"
#include "progress.h"

static int live, total, current;
static const char *current_name = "";
static int64_t started_ns;

void progress_init(int is_live, int total_cells)
{
	live = is_live;
	total = total_cells;
	started_ns = clock_now_ns();
}

static void elapsed(char *buf, size_t len)
{
	long s = (long)((clock_now_ns() - started_ns) / 1000000000);
	snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
}

void progress_cell_begin(int index, const char *name)
{
	current = index;
	current_name = name;
	if (live) {
		char t[32];
		elapsed(t, sizeof t);
		fprintf(stderr, "\r\033[K[%3d/%d %s] %s", index + 1, total, t, name);
		fflush(stderr);
	}
}

void progress_rep(const char *what, int i, int n)
{
	if (!live)
		return;
	char t[32];
	elapsed(t, sizeof t);
	fprintf(stderr, "\r\033[K[%3d/%d %s] %s  %s %d/%d", current + 1, total, t, current_name, what,
		i, n);
	fflush(stderr);
}

void progress_cell_end(const char *name, const char *outcome)
{
	char t[32];
	elapsed(t, sizeof t);
	if (live)
		fprintf(stderr, "\r\033[K");
	fprintf(stderr, "[%3d/%d %s] %-44s %s\n", current + 1, total, t, name, outcome);
	fflush(stderr);
}

void progress_finish(void)
{
	if (live)
		fprintf(stderr, "\r\033[K");
	fflush(stderr);
}
