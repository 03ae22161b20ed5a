/* mpi_job.c — the mpirun of one cell, kept for all its repetitions.
 *
 * Standard input is a socket (send with MSG_NOSIGNAL: a dead mpirun is an
 * error, not a SIGPIPE for the cell), standard output a pipe read a line at
 * a time, standard error a temporary file, read when something failed:
 * mpirun says there which rank died and how. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "measure.h"
#include "mpi_job.h"

struct mpi_job {
	pid_t pid;          /* mpirun, 0 when none */
	int in_fd;          /* its standard input */
	FILE *out, *errf;   /* its standard output and error */
	const void *state;  /* the cell it runs */
	int workers, ntasks;
	json_int_t startup_ns, setup_ns;
	json_t *where;      /* per rank: host and the cpus it is bound to */
	char *command;      /* the command line, for the results */
	int reps;
};

static struct mpi_job job;

/* The start of what mpirun wrote on its standard error, on one line: its
 * first sentences say what went wrong (the rest is advice). */
static void stderr_head(char *buf, size_t len)
{
	buf[0] = 0;
	if (!job.errf)
		return;
	char text[400] = "";
	ssize_t n = pread(fileno(job.errf), text, sizeof text - 1, 0);
	text[n > 0 ? n : 0] = 0;
	size_t o = 0;
	for (char *p = text; *p && o + 1 < len; p++) {
		if (*p == '-' && (p[1] == '-' || (p > text && p[-1] == '-')))
			continue; /* mpirun's banner rules */
		if (*p == '\n' || *p == '\t')
			*p = ' ';
		if (*p == ' ' && (!o || buf[o - 1] == ' '))
			continue;
		buf[o++] = *p;
	}
	buf[o] = 0;
	if (n == (ssize_t)sizeof text - 1 && o + 4 < len)
		strcat(buf, "...");
}

/* Search all of mpirun's standard error for what happened to a rank. */
static int rank_death(char *buf, size_t len)
{
	if (!job.errf)
		return 0;
	fflush(job.errf);
	rewind(job.errf);
	char line[1024];
	int rank = -1, code = -1;
	while (fgets(line, sizeof line, job.errf)) {
		int r, pid, sig;
		char node[256], name[128];
		const char *p = strstr(line, "process rank");
		if (p && sscanf(p, "process rank %d with PID %d on node %255s exited on signal %d (%127[^)])",
				&r, &pid, node, &sig, name) == 5) {
			char who[300] = ""; /* Open MPI 4.1 prints PID 0 */
			if (pid > 0)
				snprintf(who, sizeof who, "pid %d ", pid);
			snprintf(buf, len, "rank %d (%son %s) killed by signal SIG%s (%s)", r, who, node,
				 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", name);
			return 1;
		}
		if ((p = strstr(line, "Process name:")) && sscanf(p, "Process name: [[%*d,%*d],%d]", &r) == 1)
			rank = r;
		if ((p = strstr(line, "Exit code:")) && sscanf(p, "Exit code: %d", &code) == 1 && rank >= 0) {
			snprintf(buf, len, "rank %d exited with status %d", rank, code);
			return 1;
		}
	}
	return 0;
}

static void job_reap(int wait_s)
{
	if (job.in_fd >= 0)
		close(job.in_fd);
	job.in_fd = -1;
	int status;
	for (int i = 0; job.pid > 0 && i < wait_s * 100; i++) {
		if (waitpid(job.pid, &status, WNOHANG) == job.pid) {
			job.pid = 0;
			break;
		}
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
	if (job.pid > 0) {
		kill(job.pid, SIGKILL); /* its ranks die with it (PR_SET_PDEATHSIG) */
		while (waitpid(job.pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	job.pid = 0;
}

void mpi_job_finish(void)
{
	if (!job.pid && !job.out)
		return;
	job_reap(10);
	if (job.out)
		fclose(job.out);
	if (job.errf)
		fclose(job.errf);
	json_decref(job.where);
	free(job.command);
	memset(&job, 0, sizeof job);
	job.in_fd = -1;
}

/* mpirun stopped talking: why. Always -1. */
static int job_failed(struct err *e, const char *doing)
{
	job_reap(10);
	char why[700];
	if (rank_death(why, sizeof why))
		err_set(e, "mpi: %s (while %s)", why, doing);
	else {
		stderr_head(why, sizeof why);
		err_set(e, "mpi: mpirun ended while %s: %s", doing, why[0] ? why : "(it said nothing)");
	}
	mpi_job_finish();
	return -1;
}

/* The next "@cmbench {...}" line of rank 0, or NULL at the end. */
static json_t *next_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	json_t *j = NULL;
	while (!j && getline(&line, &cap, job.out) > 0)
		if (!strncmp(line, MPI_LINE_TAG, strlen(MPI_LINE_TAG)))
			j = json_loads(line + strlen(MPI_LINE_TAG), 0, NULL);
	free(line);
	return j;
}

static int job_start(struct model_run *mr)
{
	struct model_cell mc = {.bench = mr->bench, .bench_params = mr->bench_params,
				.model_params = mr->params, .workers = mr->workers,
				.ntasks = mr->ntasks, .binding = mr->binding, .cache_dir = mr->cache_dir};
	struct mpi_argv a;
	if (mpi_command_build(&mc, &a, mr->err) < 0)
		return -1;
	char *text = NULL;
	size_t text_len = 0;
	FILE *t = open_memstream(&text, &text_len);
	mpi_argv_print(&a, t);
	fclose(t);
	text[strcspn(text, "\n")] = 0;
	int in[2], out[2];
	job.errf = tmpfile();
	if (!job.errf || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0) {
		mpi_argv_free(&a);
		free(text);
		return err_set(mr->err, "mpi: no socket or temporary file for mpirun: %s", strerror(errno));
	}
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		mpi_argv_free(&a);
		free(text);
		return err_set(mr->err, "mpi: no pipe for mpirun: %s", strerror(errno));
	}
	int64_t t0 = clock_now_ns();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[1], 0);
		dup2(out[1], 1);
		dup2(fileno(job.errf), 2);
		execv(a.v[0], a.v);
		fprintf(stderr, "cannot run %s: %s\n", a.v[0], strerror(errno));
		_exit(127);
	}
	close(in[1]);
	close(out[1]);
	mpi_argv_free(&a);
	job.command = text;
	job.in_fd = in[0];
	job.out = fdopen(out[0], "r");
	if (pid < 0) {
		close(out[0]);
		return err_set(mr->err, "mpi: cannot fork mpirun: %s", strerror(errno));
	}
	job.pid = pid;
	job.state = mr->state;
	job.workers = mr->workers;
	job.ntasks = mr->ntasks;
	json_t *ready = next_line();
	job.startup_ns = clock_now_ns() - t0;
	if (!ready)
		return job_failed(mr->err, "starting");
	const char *error = json_string_value(json_object_get(ready, "error"));
	if (error) {
		err_set(mr->err, "mpi: %s", error);
		json_decref(ready);
		mpi_job_finish();
		return -1;
	}
	job.setup_ns = (json_int_t)json_number_value(json_object_get(ready, "setup_ns"));
	job.where = json_incref(json_object_get(ready, "where"));
	json_decref(ready);
	return 0;
}

static int hexval(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

static void unhex(const char *hex, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++, hex += 2)
		out[i] = (unsigned char)(hexval(hex[0]) << 4 | hexval(hex[1]));
}

/* Rank 0's slots (hex, task order) into the cell's state; and the
 * reduction MPI made, when the workload declares one, into its reduced
 * slot (the declared fields only: the cell checks them against a fold of
 * the slots, then verify() reads them). */
static int copy_slots(struct model_run *mr, const char *hex, const char *reduced, struct err *e)
{
	const struct bench *b = mr->bench;
	size_t rs = b->result_size;
	if (!hex || strlen(hex) != 2 * rs * (size_t)mr->ntasks)
		return err_set(e, "mpi: rank 0 sent %zu bytes of result slots, expected %zu",
			       hex ? strlen(hex) / 2 : 0, rs * (size_t)mr->ntasks);
	for (int t = 0; t < mr->ntasks; t++, hex += 2 * rs)
		unhex(hex, b->result(mr->state, t), rs);
	if (!b->reduce)
		return 0;
	if (!reduced || strlen(reduced) != 2 * rs)
		return err_set(e, "mpi: rank 0 sent %zu bytes of reduction, expected %zu",
			       reduced ? strlen(reduced) / 2 : 0, rs);
	unsigned char *got = malloc(rs);
	if (!got)
		return err_set(e, "mpi: out of memory for the reduction");
	unhex(reduced, got, rs);
	unsigned char *into = b->reduced(mr->state);
	for (const struct reduce_field *f = b->reduce; f->op; f++)
		memcpy(into + f->offset, got + f->offset, 8);
	free(got);
	return 0;
}

int mpi_job_rep(struct model_run *mr)
{
	if (job.pid && (job.state != mr->state || job.workers != mr->workers || job.ntasks != mr->ntasks))
		mpi_job_finish(); /* another cell in this process (unit tests) */
	int launched = 0;
	if (!job.pid) {
		if (job_start(mr) < 0)
			return -1;
		launched = 1;
	}
	if (send(job.in_fd, "rep\n", 4, MSG_NOSIGNAL) != 4)
		return job_failed(mr->err, "asking for a repetition");
	json_t *r = next_line();
	if (!r)
		return job_failed(mr->err, "running a repetition");
	int rc = 0;
	const char *error = json_string_value(json_object_get(r, "error"));
	if (error)
		rc = err_set(mr->err, "mpi: %s", error);
	else
		rc = copy_slots(mr, json_string_value(json_object_get(r, "slots")),
				json_string_value(json_object_get(r, "reduced")), mr->err);
	if (rc == 0) {
		struct rep_measure m = {
			.real_ns = json_number_value(json_object_get(r, "real_ns")),
			.user_ns = json_number_value(json_object_get(r, "user_ns")),
			.sys_ns = json_number_value(json_object_get(r, "sys_ns")),
			.max_rss_kb = (long)json_number_value(json_object_get(r, "max_rss_kb")),
			.vol_cs = (long)json_number_value(json_object_get(r, "vol_cs")),
			.invol_cs = (long)json_number_value(json_object_get(r, "invol_cs"))};
		region_report_external(mr->region, &m,
				       "the region ran in MPI ranks, outside the cell's process tree");
		mr->children_rss_kb = m.max_rss_kb;
		json_object_set_new(mr->stats, "mpirun_startup_ns", json_integer(job.startup_ns));
		json_object_set_new(mr->stats, "ranks_setup_ns", json_integer(job.setup_ns));
		json_object_set_new(mr->stats, "mpirun_launched_this_rep", json_boolean(launched));
		json_object_set_new(mr->stats, "ranks", json_incref(job.where));
		json_object_set_new(mr->stats, "mpirun_command", json_string(job.command));
	}
	job.reps++;
	json_decref(r);
	return rc;
}
