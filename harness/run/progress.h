/* progress.h — what the user sees on stderr while a matrix runs: on a
 * terminal one live line, rewritten (bar, %, elapsed, ETA, cell, repetition);
 * otherwise one plain line per cell with elapsed time and ETA, no bar. */
#pragma once
#include <stddef.h>

void progress_init(int live, int total_cells);
void progress_cell_begin(int index, const char *name);
/* Called from the cell process: "rep 2/5". Live mode only. */
void progress_rep(const char *what, int i, int n);
/* The cell's outcome in a few words ("412.3 ms ±0.8%", "ERROR: ..."). */
void progress_cell_end(const char *name, const char *outcome);
/* A cell not measured now (kept from a --resume file): no time, no ETA weight. */
void progress_cell_kept(const char *name, const char *why);
void progress_finish(void);

/* ---- the pieces, for tests ---- */
/* "1:05", "1:02:03" (rounded to the second; negative counts as 0). */
void progress_format_duration(char *buf, size_t len, double seconds);
/* Seconds left: the mean time of the `measured` cells times the `left` cells
 * (the current one included, `current_s` of it spent), never less than the
 * cells after the current one; -1 before any cell was measured. */
double progress_eta_s(int measured, double measured_s, int left, double current_s);
/* A bar `width` columns wide; Unicode blocks in eighths, or '#' and '-'. */
void progress_bar(char *buf, size_t len, int width, double fraction, int unicode);
