/* test_progress.c — the progress display's pieces: durations, the ETA from
 * the cells measured so far, the bar; and the per-cell lines when stderr is
 * not a terminal (one line per cell, no bar, no escape codes). */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "progress.h"

/* The elapsed time and ETA come from the real clock: any m:ss, so that a
 * test stalled for half a second on a loaded machine ("0:01") still passes. */
static void check_line(const char *text, const char *pattern)
{
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0)
		abort();
	CHECK(regexec(&re, text, 0, NULL, 0) == 0, "'%s' does not match '%s'", text, pattern);
	regfree(&re);
}

static void durations(void)
{
	char b[32];
	progress_format_duration(b, sizeof b, 0);
	CHECK(!strcmp(b, "0:00"), "%s", b);
	progress_format_duration(b, sizeof b, 65.4);
	CHECK(!strcmp(b, "1:05"), "%s", b);
	progress_format_duration(b, sizeof b, 3723);
	CHECK(!strcmp(b, "1:02:03"), "%s", b);
	progress_format_duration(b, sizeof b, -3);
	CHECK(!strcmp(b, "0:00"), "%s", b);
}

static void eta(void)
{
	CHECK(progress_eta_s(0, 0, 10, 0) < 0, "no ETA before a cell is measured");
	/* 4 cells took 8 s (2 s each); 6 left, 0.5 s into the current: 11.5 s */
	double e = progress_eta_s(4, 8, 6, 0.5);
	CHECK(e > 11.49 && e < 11.51, "eta %g", e);
	/* the current cell already took longer than the mean: at least the rest */
	e = progress_eta_s(4, 8, 6, 30);
	CHECK(e > 9.99 && e < 10.01, "eta %g", e);
	CHECK(progress_eta_s(4, 8, 0, 0) < 0, "nothing left");
}

static int columns(const char *s) /* UTF-8 code points */
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void bar(void)
{
	char b[256];
	progress_bar(b, sizeof b, 10, 0.5, 0);
	CHECK(!strcmp(b, "#####-----"), "%s", b);
	progress_bar(b, sizeof b, 10, 0, 0);
	CHECK(!strcmp(b, "----------"), "%s", b);
	progress_bar(b, sizeof b, 10, 1.7, 0);
	CHECK(!strcmp(b, "##########"), "%s", b);
	progress_bar(b, sizeof b, 20, 0.33, 1);
	CHECK(columns(b) == 20, "unicode bar '%s' is %d columns", b, columns(b));
	CHECK(!strncmp(b, "██████▌", strlen("██████▌")), "6.6 cells: '%s'", b);
}

/* Not a terminal: per cell one line "[  i/N elapsed(, ETA t)] name outcome". */
static void plain_lines(void)
{
	char path[] = "/tmp/test_progress.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp");
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	progress_init(0, 3);
	progress_cell_begin(0, "countdown/threads/workers:1");
	progress_rep("rep", 1, 5); /* nothing when not live */
	progress_cell_end("countdown/threads/workers:1", "12.0 ms");
	progress_cell_begin(1, "countdown/threads/workers:2");
	progress_cell_kept("countdown/threads/workers:2", "kept from the resumed file");
	progress_cell_begin(2, "countdown/threads/workers:4");
	progress_cell_end("countdown/threads/workers:4", "ERROR: wrong answer");
	progress_finish();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	FILE *f = fopen(path, "r");
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	const char *text = buf;
	fclose(f);
	unlink(path);
	CHECK(!strchr(text, '\r') && !strchr(text, '\033'), "control characters in '%s'", text);
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	CHECK_INT(lines, 3);
	check_line(text, "^\\[  1/3 [0-9]+:[0-9]{2}, ETA [0-9]+:[0-9]{2}\\] countdown/threads/workers:1 ");
	CHECK_STR_CONTAINS(text, " 12.0 ms\n");
	check_line(text, "^\\[  2/3 [0-9]+:[0-9]{2}, ETA [0-9]+:[0-9]{2}\\] countdown/threads/workers:2 ");
	CHECK_STR_CONTAINS(text, "kept from the resumed file\n");
	check_line(text, "^\\[  3/3 [0-9]+:[0-9]{2}\\] countdown/threads/workers:4 "); /* the last: no ETA */
	CHECK(!strstr(text, "rep 1/5") && !strstr(text, "#") && !strstr(text, "█"), "bar or rep in '%s'",
	      text);
}

int main(void)
{
	durations();
	eta();
	bar();
	plain_lines();
	return check_report("progress");
}
