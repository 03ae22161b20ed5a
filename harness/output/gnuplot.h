/* gnuplot.h — find the plot scripts and gnuplot, and run one script. */
#pragma once
#include <stddef.h>
#include <sys/types.h>
#include "err.h"

/* A variable handed to a script with `gnuplot -e`: text is quoted as a
 * gnuplot string unless is_number. */
struct gp_var {
	const char *name;
	const char *value;
	int is_number;
};

/* The directory holding the plot scripts: $CMBENCH_PLOTS_DIR, else plots/ next to
 * the executable or one level up (build tree, install), else the source
 * tree's plots/. 0 with the path in dir, or -1 with e saying where it looked. */
int plots_dir_find(char *dir, size_t len, struct err *e);

/* gnuplot's path: $CMBENCH_GNUPLOT, else the first `gnuplot` in $PATH.
 * 0, or -1 with e telling how to install it. */
int gnuplot_find(char *path, size_t len, struct err *e);

/* `gnuplot -e VARS SCRIPT` started, not waited for (several charts draw at
 * once: the report's time is mostly gnuplot's), with its standard output on
 * out_fd (the chart: a file cmbench created, so gnuplot never opens an
 * output path that could be a planted symlink; -1: /dev/null). */
struct gp_job {
	pid_t pid;
	int fd; /* gnuplot's stderr */
	char script[4200];
};
/* 0, or -1 with e set (nothing started). */
int gnuplot_start(const char *gnuplot, const char *script, const struct gp_var *vars, size_t nvars,
		  int out_fd, struct gp_job *job, struct err *e);
/* Wait for it. gnuplot's messages (errors and warnings) are left in log.
 * 0, or -1 with e naming the script and gnuplot's first error. */
int gnuplot_wait(struct gp_job *job, char *log, size_t loglen, struct err *e);
