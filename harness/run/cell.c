/* cell.c — measuring one cell: set-up, warm-ups, verified repetitions. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cell.h"
#include "clock.h"
#include "counters.h"
#include "measure.h"
#include "noise.h"
#include "pin.h"
#include "progress.h"
#include "reps.h"

void cell_measure(const struct cell *c, const struct run_opts *o, struct cell_outcome *out)
{
	memset(out, 0, sizeof *out);
	struct err e = {{0}};
	if (contract_check(c->bench, &c->bench_params, c->model, &c->model_params, c->workers, &e)) {
		out->status = CELL_SKIPPED;
		snprintf(out->message, sizeof out->message, "%s", e.msg);
		return;
	}
	struct shared_arena *shared = shared_arena_create(&e);
	struct bench_setup bs = {.params = &c->bench_params, .ntasks = c->ntasks,
				 .workers = c->workers, .cache_dir = o->cache_dir,
				 .caps = model_caps(c->model), .shared = shared};
	int64_t t0 = clock_now_ns();
	void *state = shared ? c->bench->setup(&bs, &e) : NULL;
	out->setup_ns = clock_now_ns() - t0;
	if (!state) {
		cell_outcome_set_error(out, "set-up failed: %s", e.msg);
		shared_arena_destroy(shared);
		return;
	}
	/* Load of other processes is judged over the whole cell, set-up excluded. */
	struct load_sample load0, load1;
	load_sample_take(&load0);
	reps_measure(c, o, state, out);
	if (c->model->cell_end)
		c->model->cell_end();
	load_sample_take(&load1);
	load_compare(&load0, &load1, &o->cpu_speeds, &out->load);
	out->has_load = 1;
	c->bench->teardown(state);
	shared_arena_destroy(shared);
}

/* ---- isolation in a child process ---- */

static volatile sig_atomic_t interrupted_by;

static void on_signal(int sig) { interrupted_by = sig; }

int cell_interrupted(void) { return interrupted_by; }

void cell_install_signal_handlers(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL); /* a closed terminal stops the run like Ctrl-C */
	/* A reader that went away (`run | head`) must not kill the run: writes to
	 * it fail with EPIPE, and measuring, the journal and results go on. */
	signal(SIGPIPE, SIG_IGN);
}

static void __attribute__((noreturn)) child(const struct cell *c, const struct run_opts *o, int fd,
					    pid_t runner)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0); /* one group: a timeout kills the cell and every process it made */
	/* The runner's death (even SIGKILL) ends the cell: no orphan at full CPU. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != runner)
		_exit(4);
	/* Nothing of the runner's (its journal and lock, its results) stays open
	 * in the cell and in what the cell forks. */
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0U, 0);
	struct cell_outcome out;
	cell_measure(c, o, &out);
	json_t *r = cell_outcome_encode(&out);
	int rc = json_dumpfd(r, fd, JSON_COMPACT) == 0 ? 0 : 3;
	_exit(rc);
}

void cell_reap_orphans(void)
{
	/* Whatever a cell left is SIGKILLed already (its group); wait briefly for
	 * it to die, then reap it, so no zombie outlives the cell. */
	for (int tries = 0; tries < 200; tries++) {
		pid_t p;
		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (p < 0) /* ECHILD: nothing left */
			return;
		struct timespec ts = {0, 5000000};
		nanosleep(&ts, NULL);
	}
}

static void kill_cell(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* The report of one cell process as it arrives through its pipe. */
struct report_buf {
	char *buf;
	size_t len, cap;
};

/* Read what is there; 1 at end of file, 0 if more may come, -1 on error. */
static int report_read(struct report_buf *r, int fd)
{
	for (;;) {
		if (r->cap - r->len < 65536) {
			r->cap = r->cap ? 2 * r->cap : 1 << 17;
			r->buf = realloc(r->buf, r->cap);
			if (!r->buf)
				abort();
		}
		ssize_t n = read(fd, r->buf + r->len, r->cap - r->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		if (n == 0)
			return 1;
		r->len += (size_t)n;
	}
}

/* How long one wait for the cell lasts at most: the cell's death is noticed
 * within it, and a runner that was stopped (SIGSTOP, a suspended laptop)
 * sees the gap as more than a slice. */
#define SLICE_MS 200
#define EXIT_SLICE_MS 2 /* between looks for the exit of a cell that has reported */
#define STOPPED_GAP_NS (SLICE_MS * 1000000LL + 2000000000LL)

/* Wait for the cell's report. 0 when the cell process ended (status set), 1 if
 * its time ran out, -1 if the user interrupted the run. The time the runner
 * itself was stopped is not the cell's: a cell that finished meanwhile is
 * not timed out. */
static int wait_cell(pid_t pid, int fd, double timeout_s, struct report_buf *r, int *status,
		     double *ran_s)
{
	int64_t now = clock_now_ns(), last = now, charged = 0, limit = (int64_t)(timeout_s * 1e9);
	int eof = 0;
	for (;;) {
		if (interrupted_by)
			return -1;
		now = clock_now_ns();
		int64_t step = now - last;
		last = now;
		charged += step > STOPPED_GAP_NS ? 0 : step; /* we were stopped: not the cell's time */
		*ran_s = (double)charged / 1e9;
		/* Has the cell process ended? Its workers may still hold the pipe. */
		pid_t w = waitpid(pid, status, WNOHANG);
		if (w == pid) {
			kill(-pid, SIGKILL); /* whatever it left in its group */
			if (!eof)
				report_read(r, fd); /* non-blocking: what it wrote is there */
			return 0;
		}
		if (charged >= limit)
			return 1;
		int64_t left_ms = (limit - charged) / 1000000 + 1;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		/* After the report's end of file the cell is exiting: look again soon
		 * (a full slice here cost every cell up to 200 ms). */
		int64_t slice = eof ? EXIT_SLICE_MS : SLICE_MS;
		int n = poll(&pfd, eof ? 0 : 1, (int)(left_ms < slice ? left_ms : slice));
		if (n > 0 && !eof) {
			int rr = report_read(r, fd);
			if (rr != 0) /* end of file or error: the report is complete or lost */
				eof = 1;
		}
	}
}

int cell_run_isolated(const struct cell *c, const struct run_opts *o, struct cell_outcome *out)
{
	memset(out, 0, sizeof *out);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		cell_outcome_set_error(out, "cannot create a pipe: %s", strerror(errno));
		return 0;
	}
	fflush(NULL);
	pid_t runner = getpid(), pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		cell_outcome_set_error(out, "cannot fork the cell process: %s", strerror(errno));
		return 0;
	}
	if (pid == 0) {
		close(p[0]);
		child(c, o, p[1], runner);
	}
	setpgid(pid, pid); /* also in the parent: no race with kill(-pid) */
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	struct report_buf rb = {0};
	int status = 0;
	double ran_s = 0;
	int w = wait_cell(pid, p[0], o->timeout_s, &rb, &status, &ran_s);
	close(p[0]);
	if (w != 0) {
		kill_cell(pid);
		free(rb.buf);
		if (w < 0)
			return -1;
		cell_outcome_set_error(out, "timed out after %.0f s (--timeout)", o->timeout_s);
		out->timed_out = 1;
		out->ran_s = ran_s;
		return 0;
	}
	json_t *r = NULL;
	if (rb.buf) {
		rb.buf[rb.len] = 0;
		r = json_loads(rb.buf, 0, NULL);
	}
	free(rb.buf);
	struct err e = {{0}};
	int decoded = r && cell_outcome_decode(r, out, &e) == 0;
	json_decref(r);
	/* A partial report (samples before a crash) is kept with the error. */
	if (WIFSIGNALED(status))
		cell_outcome_set_error(out, "cell process killed by signal %s (%s)",
				       sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?",
				       strsignal(WTERMSIG(status)));
	else if (!decoded)
		cell_outcome_set_error(out, "cell process exited with status %d without a report%s%s",
				       WIFEXITED(status) ? WEXITSTATUS(status) : -1, e.msg[0] ? ": " : "",
				       e.msg);
	return 0;
}
