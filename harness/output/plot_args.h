/* plot_args.h — the options `cmbench plot` and `cmbench report` share:
 * RESULTS.json, -o DIR, --format, --size. */
#pragma once
#include <jansson.h>
#include "plot.h"
#include "plot_cells.h"
#include "result_cells.h"

struct plot_args {
	const char *results_path;
	char outdir[4096];
	struct plot_options plot;
	struct result_cells loaded; /* the file, checked and grouped */
	json_t *results;            /* its document (loaded.root) */
	struct plot_cells cells;
};

/* Parse argv (argv[0] is the command's name) and load the results file.
 * default_suffix names the default output directory: RESULTS without .json,
 * then the suffix ("-charts"). Returns -1 when done (help printed: exit 0),
 * 0 to go on, 2 on a usage or input error (message printed). */
int plot_args_parse(struct plot_args *a, int argc, char **argv, const char *usage,
		    const char *default_suffix);
void plot_args_free(struct plot_args *a);
