/* answer_cells.h — the end-of-run answer's rows (answer.h) from a results
 * file's table (plot_cells.h). */
#pragma once
#include "answer.h"
#include "plot_cells.h"

struct answer_rows {
	struct answer_row *v;
	size_t n;
	char (*metric)[48]; /* the rows' metric names, owned */
	void *owned;        /* other texts the rows point into (answer_results.c) */
};

struct answer_rows *answer_rows_from_cells(const struct plot_cells *cs);
void answer_rows_free(struct answer_rows *a);
