/* mpi.c — the mpi model: every worker is an MPI rank started by mpirun.
 *
 * The runner stays the owner of the matrix and the results: in the cell
 * process, the first repetition starts one mpirun for the whole cell
 * (mpi_job.c) running `cmbench mpi-rank` (mpi_rank.c), which sets the
 * workload up in every rank; each repetition (warm-ups included) then asks
 * rank 0 for one more run and gets back the region time rank 0 measured
 * between two barriers, the CPU time summed over the ranks, every task's
 * result slot and the workload's reduction (MPI_Reduce, inside the region),
 * which the cell verifies as for every other model. A workload that needs
 * memory shared by every worker is skipped with the reason: the model
 * lacks RT_CAP_SHARED_MEMORY.
 * mpirun's start-up (launch, MPI_Init, the ranks' set-up) is outside the
 * region and recorded as the model stat mpirun_startup_ns. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mpi_job.h"
#include "pin.h"

static const char *mpi_unavailable(void)
{
	const char *why = mpi_build_unavailable();
	if (why)
		return why;
	if (!mpi_mpirun_path())
		return "mpirun not found on PATH (Debian: apt-get install openmpi-bin)";
	return NULL;
}

static int mpi_check(const struct model_cell *mc, struct err *e)
{
	const char *hostfile = param_str(mc->model_params, "hostfile");
	struct stat st;
	errno = 0;
	if (*hostfile && (access(hostfile, R_OK) < 0 || stat(hostfile, &st) < 0 || !S_ISREG(st.st_mode)))
		return err_set(e, "--param hostfile=%s: cannot read it: %s (a file of lines "
				  "\"HOST slots=N\" for mpirun --hostfile)", hostfile,
			       errno ? strerror(errno) : "not a regular file");
	struct mpi_argv a;
	if (mpi_command_build(mc, &a, e) < 0)
		return -1;
	mpi_argv_free(&a);
	return 0;
}

static void mpi_dry_run(const struct model_cell *mc, FILE *f)
{
	struct mpi_argv a;
	struct err e = {{0}};
	if (mpi_command_build(mc, &a, &e) < 0) {
		fprintf(f, "  # %s\n", e.msg);
		return;
	}
	fputs("  ", f);
	mpi_argv_print(&a, f);
	mpi_argv_free(&a);
}

static int mpi_run(struct model_run *mr)
{
	const char *why = mpi_unavailable();
	if (why)
		return err_set(mr->err, "mpi: %s", why);
	/* The ranks rebuild the workload by name from its parameters. */
	if (!mr->bench_params)
		return err_set(mr->err, "mpi: workload %s came without its parameters: the ranks "
					"cannot build it", mr->bench->name);
	return mpi_job_rep(mr);
}

const struct model model_mpi = {
	.name = "mpi",
	.summary = "one MPI rank per worker, started by Open MPI's mpirun (one mpirun per cell)",
	.flags = MODEL_FORKS | MODEL_ON_REQUEST, /* a start-up per cell, another engine */
	.params = (const struct param_spec[]){
		{.name = "hostfile", .type = PARAM_TEXT, .defaults = {[PROFILE_DEFAULT] = ""},
		 .help = "run the ranks on the machines of this mpirun hostfile (default: this machine)"},
		{0}},
	.rt_ops = &mpi_rank_rt_ops, /* what the ranks' tasks get (mpi_rank.c) */
	.unavailable = mpi_unavailable,
	.check = mpi_check,
	.dry_run = mpi_dry_run,
	.cell_end = mpi_job_finish,
	.run = mpi_run,
};
