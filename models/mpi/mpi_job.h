/* mpi_job.h — the mpi model's pieces: the mpirun command line of a cell
 * (mpi_command.c), the job that runs a cell's repetitions (mpi_job.c) and
 * the rank entry that mpirun starts (mpi_rank.c, `cmbench mpi-rank`).
 *
 * The protocol between the cell and rank 0 rides on mpirun's own standard
 * streams, which Open MPI forwards to and from rank 0 wherever it runs:
 * the cell writes "rep\n" for each repetition (end of input: finish), rank 0
 * answers one line "@cmbench {JSON}" when ready and after each repetition.
 * Every other rank's standard output goes to /dev/null. */
#pragma once
#include <stdio.h>
#include "model.h"

#define MPI_LINE_TAG "@cmbench "

/* The argument vector of a cell's mpirun: malloc'd strings, NULL-terminated. */
struct mpi_argv {
	char **v;
	int n, cap;
};

/* Build the mpirun command line of a cell. 0, or -1 with e set (a --pin
 * policy mpirun cannot express, an executable that cannot be found). */
int mpi_command_build(const struct model_cell *mc, struct mpi_argv *a, struct err *e);
void mpi_argv_free(struct mpi_argv *a);
/* The command line quoted for a shell, one line. */
void mpi_argv_print(const struct mpi_argv *a, FILE *f);

/* Where mpirun is (first on PATH), or NULL. */
const char *mpi_mpirun_path(void);

/* One repetition of the cell: start the cell's mpirun if it is not running
 * (or ran another cell), ask rank 0 for a run, verify nothing but copy the
 * slots into mr->state and report the region. 0, or -1 with mr->err set. */
int mpi_job_rep(struct model_run *mr);
/* The cell is over: let the ranks finish and reap mpirun. */
void mpi_job_finish(void);

/* The rank entry: `cmbench mpi-rank --workload W --ntasks N [--cache-dir D]
 * [--param K=V]...`, started by mpirun; `find` is the workload registry's
 * lookup (bench_find: a layer above this one). Returns the exit status. */
int mpi_rank_main(int argc, char **argv, const struct bench *(*find)(const char *name));
/* The runtime of a rank's tasks: the kernel's waits, messages to other
 * tasks through MPI; no memory shared with other ranks. */
extern const struct rt_ops mpi_rank_rt_ops;
/* NULL when this build can run ranks, else why not ("built without MPI"). */
const char *mpi_build_unavailable(void);
