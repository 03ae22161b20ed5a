/* processes.c — one forked child per worker. Children take tasks from a
 * counter in shared memory and copy each task's result slot into a shared
 * mapping made before the fork; the parent copies the slots into its copy
 * of the state, so verify() sees every answer. A child that dies, or exits
 * non-zero, is reported with its signal or status.
 *
 * All workers share one pipe, used only for its end: every child holds the
 * write end until its last task is done, so the parent's read returns 0
 * exactly when the last worker has finished (or died). One pipe instead of
 * one per worker matters at 10,000 workers: each child would inherit, copy
 * and close every elder sibling's pipe (n^2/2 descriptors), which here cost
 * ten times more than the forks themselves. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "dispatch.h"
#include "gate.h"
#include "model.h"
#include "proc_memory.h"
#include "rlimits.h"
#include "worker_loop.h"

enum worker_outcome { WORKER_RUNNING = 0, WORKER_DONE = 1, WORKER_FAILED = 2 };

struct worker_report {
	atomic_int outcome;   /* enum worker_outcome */
	char msg[sizeof(((struct err *)0)->msg)]; /* why it failed */
};

struct procs_shared {
	struct gate gate;      /* the start */
	struct gate exit_gate; /* workers wait here, done, until measured */
	struct dispatch *dispatch; /* its own MAP_SHARED page, mapped before the forks */
	atomic_int failed;
};

/* One MAP_SHARED mapping: the header, a report per worker, a done flag
 * and a result slot per task. */
struct procs_mapping {
	struct procs_shared *shared;
	struct worker_report *reports;
	unsigned char *task_done;
	unsigned char *results;
	size_t size;
};

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

static int mapping_create(struct procs_mapping *m, int workers, int ntasks, size_t result_size)
{
	size_t off_reports = round_up(sizeof *m->shared, 64);
	size_t off_done = round_up(off_reports + (size_t)workers * sizeof *m->reports, 64);
	size_t off_results = round_up(off_done + (size_t)ntasks, 64);
	m->size = off_results + (size_t)ntasks * result_size;
	char *base = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	m->shared = (struct procs_shared *)base;
	m->reports = (struct worker_report *)(base + off_reports);
	m->task_done = (unsigned char *)base + off_done;
	m->results = (unsigned char *)base + off_results;
	return 0;
}

/* A child runs a task, then copies its result slot where the parent reads it. */
struct child_ctx {
	const struct model_run *mr;
	struct procs_mapping *m;
};

static int child_task(void *arg, int task, struct rt *rt)
{
	struct child_ctx *c = arg;
	size_t rs = c->mr->bench->result_size;
	if (model_run_task(c->mr, task, rt) < 0)
		return -1;
	memcpy(c->m->results + (size_t)task * rs, c->mr->bench->result(c->mr->state, task), rs);
	c->m->task_done[task] = 1;
	return 0;
}

static void __attribute__((noreturn)) child_main(struct model_run *mr, struct procs_mapping *m,
						  int index, int done_fd, pid_t parent)
{
	struct procs_shared *s = m->shared;
	struct worker_report *report = &m->reports[index];
	struct err err = {{0}};
	struct rt rt = {.ops = &rt_process_ops, .worker = index, .err = &err};
	/* the cell process's death (a timeout, a kill) ends its workers too:
	 * none keeps running, or keeps the runner's report pipe open */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	struct child_ctx ctx = {.mr = mr, .m = m};
	struct worker_loop loop = {.mr = mr, .gate = &s->gate, .dispatch = s->dispatch,
				   .failed = &s->failed, .as_process = 1, .run_task = child_task};
	int rc = worker_loop_run(&loop, &rt, &ctx);
	if (rc == WORKER_LOOP_ABORTED)
		_exit(0);
	int ok = rc == WORKER_LOOP_DONE;
	if (!ok)
		memcpy(report->msg, err.msg, sizeof report->msg);
	atomic_store(&report->outcome, ok ? WORKER_DONE : WORKER_FAILED);
	/* Our end of the shared pipe closes: when the last worker's does, the
	 * measured region ends. Staying alive until the parent has read our
	 * memory keeps that reading out of the region. */
	close(done_fd);
	gate_arrive(&s->exit_gate);
	_exit(ok ? 0 : 1);
}

/* Block until every holder of the pipe's write end has closed it. */
static int wait_all_done(int fd)
{
	char c;
	for (;;) {
		ssize_t r = read(fd, &c, 1);
		if (r == 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

static int describe_status(int index, pid_t pid, int status, struct err *e)
{
	if (WIFSIGNALED(status))
		return err_set(e, "processes: worker %d (pid %d) killed by signal %s (%s)", index, (int)pid,
			       sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?",
			       strsignal(WTERMSIG(status)));
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return err_set(e, "processes: worker %d (pid %d) exited with status %d", index, (int)pid,
			       WEXITSTATUS(status));
	return 0;
}

/* Why worker i's run is not an answer, from its report and exit status:
 * 0 when it finished, -1 with e set otherwise. */
static int judge_worker(const struct procs_mapping *m, int i, pid_t pid, int status, struct err *e)
{
	int outcome = atomic_load(&m->reports[i].outcome);
	if (outcome == WORKER_FAILED) {
		memcpy(e->msg, m->reports[i].msg, sizeof e->msg);
		e->msg[sizeof e->msg - 1] = 0;
		return -1;
	}
	if (describe_status(i, pid, status, e) < 0)
		return -1;
	if (outcome != WORKER_DONE)
		return err_set(e, "processes: worker %d (pid %d) stopped without a complete report", i,
			       (int)pid);
	return 0;
}

static int processes_run(struct model_run *mr)
{
	int n = mr->workers, forked = 0, rc = 0;
	size_t rs = mr->bench->result_size;
	struct procs_mapping m;
	pid_t *pids = calloc((size_t)n, sizeof *pids);
	if (!pids || mapping_create(&m, n, mr->ntasks, rs) < 0) {
		free(pids);
		return err_set(mr->err, "processes: out of memory for %d workers", n);
	}
	struct procs_shared *s = m.shared;
	int p[2] = {-1, -1};
	if (gate_init(&s->gate, 1) < 0 || gate_init(&s->exit_gate, 1) < 0) {
		rc = err_set(mr->err, "processes: cannot set up the start gate");
	} else if (pipe2(p, O_CLOEXEC) < 0) {
		rc = err_set(mr->err, "processes: no pipe: %s", strerror(errno));
	} else if (rlimit_ensure_tasks((uint64_t)n, "processes", mr->err) < 0) {
		rc = -1; /* one process per worker on the system */
	}
	if (rc == 0 && !(s->dispatch = dispatch_create(mr)))
		rc = -1;
	atomic_init(&s->failed, 0);
	fflush(NULL); /* children must not flush the parent's buffers again */
	pid_t self = getpid();
	while (rc == 0 && forked < n) {
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			child_main(mr, &m, forked, p[1], self);
		}
		if (pid < 0) {
			int why = errno;
			char limits[200];
			rlimit_describe_tasks(limits, sizeof limits);
			rc = err_set(mr->err, "processes: cannot fork worker %d of %d: %s (%s)",
				     forked + 1, n, strerror(why), limits);
			break;
		}
		pids[forked++] = pid;
	}
	if (p[1] >= 0)
		close(p[1]); /* now only the workers hold the write end */
	gate_wait_ready(&s->gate, forked);
	if (rc == 0)
		region_start(mr->region);
	gate_open(&s->gate, rc == 0 ? 1 : -1);
	if (p[0] >= 0 && wait_all_done(p[0]) < 0 && rc == 0)
		rc = err_set(mr->err, "processes: lost track of the workers: %s", strerror(errno));
	if (rc == 0 && !atomic_load(&s->failed))
		model_reduce_slots(mr, m.results, rs); /* in the parent, inside the region */
	if (rc == 0)
		region_stop(mr->region);
	if (p[0] >= 0)
		close(p[0]);
	/* Every worker is done and waits at the exit gate: read what each one
	 * costs (shared pages divided among their sharers). */
	int64_t pss_total = 0; /* -1 once a worker could not be read */
	for (int i = 0; i < forked && rc == 0; i++) {
		int64_t kb = proc_pss_kb(pids[i]);
		pss_total = kb >= 0 && pss_total >= 0 ? pss_total + kb : -1;
	}
	gate_open(&s->exit_gate, 1);
	mr->children_rss_kb = 0;
	for (int i = 0; i < forked; i++) {
		int status;
		struct rusage ru;
		while (wait4(pids[i], &status, 0, &ru) < 0 && errno == EINTR)
			;
		mr->children_rss_kb += ru.ru_maxrss;
		if (rc == 0)
			rc = judge_worker(&m, i, pids[i], status, mr->err);
	}
	for (int t = 0; rc == 0 && t < mr->ntasks; t++) {
		if (!m.task_done[t])
			rc = err_set(mr->err, "processes: task %d was never run", t);
		else
			memcpy(mr->bench->result(mr->state, t), m.results + (size_t)t * rs, rs);
	}
	if (rc == 0 && pss_total >= 0)
		json_object_set_new(mr->stats, "children_pss_kb", json_integer(pss_total));
	dispatch_destroy(s->dispatch);
	gate_destroy(&s->gate);
	gate_destroy(&s->exit_gate);
	munmap(m.shared, m.size);
	free(pids);
	return rc;
}

const struct model model_processes = {
	.name = "processes",
	.summary = "one forked process per worker, results back through shared memory",
	.flags = MODEL_FORKS,
	.params = (const struct param_spec[]){DISPATCH_PARAMS, {0}},
	.rt_ops = &rt_process_ops,
	.supports = dispatch_supports,
	.run = processes_run,
};
