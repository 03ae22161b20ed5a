/* run_options.h — `cmbench run`'s command line: the matrix (harness/run/matrix.h),
 * the measuring options, the files. */
#pragma once
#include <jansson.h>
#include <stdio.h>
#include "cell.h"
#include "matrix.h"

struct run_cli {
	struct matrix_spec matrix;
	const char *topology;        /* --topology; NULL: this machine */
	const char *output, *csv, *resume;
	const char *aggregates_json; /* --aggregates-json: aggregates only, for dashboards */
	int dry_run;
	int no_floors, fresh_floors; /* --no-floors, --fresh-floors */
	struct run_opts opts;
	int reps_given, warmup_given, timeout_given;
};

void run_options_usage(FILE *f);
/* 0; 1 for --help (printed); -1 after a one-line error on stderr. */
int run_options_parse(int argc, char **argv, struct run_cli *c);
/* The options as the results' context records them. */
json_t *run_options_json(const struct run_cli *c);
