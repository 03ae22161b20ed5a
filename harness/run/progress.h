/* progress.h — what the user sees on stderr while a matrix runs: on a
 * terminal one live line, rewritten; otherwise one plain line per cell. */
#pragma once

void progress_init(int live, int total_cells);
void progress_cell_begin(int index, const char *name);
/* Called from the cell process: "rep 2/5". Live mode only. */
void progress_rep(const char *what, int i, int n);
/* The cell's outcome in a few words ("412.3 ms ±0.8%", "ERROR: ..."). */
void progress_cell_end(const char *name, const char *outcome);
void progress_finish(void);
