/* progress.c — the progress display: a bar, elapsed time and an ETA from the
 * cells measured so far (their mean time times the cells left), like
 * hyperfine's. On a terminal one live line, rewritten in place and cut to the
 * terminal's width; otherwise (a log, CI) one plain line per cell, no bar and
 * no escape codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "clock.h"
#include "progress.h"
#include "text_wrap.h"

static struct {
	int live, total, current, unicode;
	const char *name;
	int64_t started_ns, cell_started_ns;
	int64_t measured_ns; /* summed over the cells measured (not kept from --resume) */
	int measured;
} P = {.name = ""};

/* Block characters only where the terminal speaks UTF-8. */
static int locale_is_utf8(void)
{
	const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strstr(v, "UTF-8") || strstr(v, "utf8") || strstr(v, "UTF8") ||
			       strstr(v, "utf-8");
	}
	return 0;
}

void progress_init(int is_live, int total_cells)
{
	P.live = is_live;
	P.total = total_cells;
	P.unicode = locale_is_utf8();
	P.measured = 0;
	P.measured_ns = 0;
	P.started_ns = clock_now_ns();
}

void progress_format_duration(char *buf, size_t len, double seconds)
{
	long s = seconds < 0 ? 0 : (long)(seconds + 0.5);
	if (s >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%ld:%02ld", s / 60, s % 60);
}

double progress_eta_s(int measured, double measured_s, int left, double current_s)
{
	if (measured == 0 || left <= 0)
		return -1; /* nothing to go by yet */
	double mean = measured_s / measured;
	double eta = mean * left - current_s; /* the current cell is part of `left` */
	double floor = mean * (left - 1);
	return eta < floor ? floor : eta;
}

void progress_bar(char *buf, size_t len, int width, double fraction, int unicode)
{
	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	/* eighths of a cell with Unicode blocks, whole cells with '#' */
	static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	int steps = unicode ? 8 : 1, filled = (int)(fraction * width * steps + 1e-9);
	size_t at = 0;
	buf[0] = 0;
	for (int i = 0; i < width && at + 4 < len; i++) {
		int here = filled - i * steps;
		const char *s = here >= steps ? (unicode ? "█" : "#")
			       : here > 0     ? eighths[here]
			       : (unicode ? "░" : "-");
		at += (size_t)snprintf(buf + at, len - at, "%s", s);
	}
}

/* The terminal's width, at most TEXT_WIDTH (like every line cmbench prints). */
static int terminal_width(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col < TEXT_WIDTH ? ws.ws_col : TEXT_WIDTH;
	return 80;
}

/* The times: "1:12, ETA 2:55" (no ETA before a cell is done, nor after the
 * last); `left` cells to go, of which the current one for `current_s`. */
static void times(char *buf, size_t len, int left, double current_s)
{
	int64_t now = clock_now_ns();
	char el[32], eta[32];
	progress_format_duration(el, sizeof el, (double)(now - P.started_ns) / 1e9);
	double e = progress_eta_s(P.measured, (double)P.measured_ns / 1e9, left, current_s);
	if (e < 0) {
		snprintf(buf, len, "%s", el);
		return;
	}
	progress_format_duration(eta, sizeof eta, e);
	snprintf(buf, len, "%s, ETA %s", el, eta);
}

/* The live line: bar, percentage, times, cell, repetition; cut to the width
 * (counted in columns: a block character is one column, several bytes). */
static void live_line(const char *rep)
{
	char t[128], bar[128], line[1024];
	times(t, sizeof t, P.total - P.current, (double)(clock_now_ns() - P.cell_started_ns) / 1e9);
	progress_bar(bar, sizeof bar, 20, (double)P.current / P.total, P.unicode);
	int cols = terminal_width() - 1;
	int head = snprintf(line, sizeof line, "[%3d/%d] ", P.current + 1, P.total);
	size_t at = (size_t)head;
	at += (size_t)snprintf(line + at, sizeof line - at, "%s", bar);
	int used = head + 20;
	int n = snprintf(line + at, sizeof line - at, " %3d%%  %s  %s  %s", 100 * P.current / P.total,
			 t, P.name, rep);
	if (n > (int)(sizeof line - at - 1))
		n = (int)(sizeof line - at - 1);
	if (used + n > cols) /* cut the tail (the name and repetition) */
		n = cols - used > 0 ? cols - used : 0;
	line[at + (size_t)n] = 0;
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
}

void progress_cell_begin(int index, const char *name)
{
	P.current = index;
	P.name = name;
	P.cell_started_ns = clock_now_ns();
	if (P.live)
		live_line("");
}

void progress_rep(const char *what, int i, int n)
{
	if (!P.live)
		return;
	char rep[64];
	snprintf(rep, sizeof rep, "%s %d/%d", what, i, n);
	live_line(rep);
}

static void cell_line(const char *name, const char *outcome)
{
	char t[128];
	times(t, sizeof t, P.total - P.current - 1, 0); /* this cell is done */
	if (P.live)
		fprintf(stderr, "\r\033[K");
	/* the name padded to 40 columns while the line fits TEXT_WIDTH; a longer
	 * outcome (an error's message) goes on under it */
	char head[700];
	int at = snprintf(head, sizeof head, "[%3d/%d %s] ", P.current + 1, P.total, t);
	int pad = TEXT_WIDTH - at - 1 - text_columns(outcome);
	pad = pad > 40 ? 40 : pad;
	snprintf(head + at, sizeof head - (size_t)at, "%-*s ", pad > 0 ? pad : 0, name);
	text_wrap_print(stderr, head, at + 2, outcome, TEXT_WIDTH);
	fflush(stderr);
}

void progress_cell_end(const char *name, const char *outcome)
{
	P.measured++;
	P.measured_ns += clock_now_ns() - P.cell_started_ns;
	cell_line(name, outcome);
}

void progress_cell_kept(const char *name, const char *why)
{
	cell_line(name, why); /* took no time: not counted in the ETA */
}

void progress_finish(void)
{
	if (P.live)
		fprintf(stderr, "\r\033[K");
	fflush(stderr);
}
