/* plot.c — the chart table and the loop that extracts and draws each chart. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gnuplot.h"
#include "plot.h"
#include "safe_file.h"
#include "plot_extract.h"
#include "results_context.h"

/* The order is the reading order: the overview answers "which model wins
 * where", speedup "does it scale", then the why (time, efficiency, GIL,
 * I/O, kernel counters). */
const struct chart_kind chart_kinds[] = {
	{"overview", "overview.gp", extract_overview, "Speedup at the most workers, fixed-work workloads", 0,
	 "Each group is a workload whose total work is fixed (split among the workers; workloads "
	 "where each worker adds work have no speedup); each bar a model's speedup over sequential at the largest "
	 "worker count measured (whiskers: its confidence interval, level in the tables). Above the dashed 1x line the model beats "
	 "running everything on one thread."},
	{"speedup", "speedup.gp", extract_speedup, "Speedup vs workers", 1,
	 "One line per model (error bars: confidence interval of the speedup); the dashed "
	 "diagonal is perfect linear scaling, the dotted vertical line the machine's core count, "
	 "past which CPU-bound work cannot speed up further."},
	{"time", "time.gp", extract_time, "Time per cell", 1,
	 "Median wall time of one repetition for each model and worker count; the axis label "
	 "says what the whiskers are."},
	{"efficiency", "efficiency.gp", extract_efficiency, "Parallel efficiency", 1,
	 "Speedup divided by workers: 100% means every worker pulls its full weight."},
	{"gil_switches", "gil_switches.gp", extract_gil_switches, "GIL switches per second", 1,
	 "How often the emulated GIL passed to another thread, per second (log scale). Legacy "
	 "drops and retakes it every check interval, often getting it straight back; modern "
	 "hands it over once a waiter has waited a switch interval."},
	{"gil_wait", "gil_wait.gp", extract_gil_wait, "Time waiting for the GIL", 1,
	 "Share of the workers' time spent waiting for the lock."},
	{"io_throughput", "io_throughput.gp", extract_io_throughput, "I/O throughput vs concurrency", 1,
	 "Requests served per second as concurrency grows (log x)."},
	{"io_latency", "io_latency.gp", extract_io_latency, "I/O tail latency vs concurrency", 1,
	 "99th-percentile latency of one request as concurrency grows (log x)."},
	{"memory", "memory.gp", extract_memory, "Memory per task", 1,
	 "What each concurrent task costs to keep: the cell's peak resident memory minus that of "
	 "sequential running as many tasks on one thread, divided by the tasks. A process's RSS "
	 "counts the pages it shares with its parent again."},
	{"context_switches", "counters.gp", extract_context_switches, "Context switches per cell", 1,
	 "Context switches the kernel counted in one repetition (log y; whiskers min..max)."},
	{"futex", "counters.gp", extract_futex, "futex calls per cell", 1,
	 "futex system calls in one repetition (log y): how often threads slept or woke each "
	 "other on a lock."},
	{NULL, NULL, NULL, NULL, 0, NULL},
};

int make_dirs(const char *path, struct err *e)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, 0777) && errno != EEXIST)
				return err_set(e, "cannot create directory %s: %s", buf, strerror(errno));
			*p = c;
			if (!c)
				break;
		}
	}
	struct stat st;
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return err_set(e, "%s is not a directory", path);
	return 0;
}

/* Workload names go into file names: keep them to [A-Za-z0-9_-]. */
static void file_name(char *out, size_t len, const char *kind, const char *workload)
{
	snprintf(out, len, workload ? "%s-%s" : "%s", kind, workload);
	for (char *p = out; *p; p++)
		if (!(*p == '-' || *p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			*p = '_';
}

struct draw_env {
	const struct plot_options *o;
	int dirfd; /* o->outdir, opened: every file is created relative to it */
	char plots[PATH_MAX], gnuplot[PATH_MAX], subtitle[256];
};

/* Run the chart's script once per format; tell gnuplot's messages on diag. */
static int draw(const struct draw_env *env, const struct chart_kind *k, struct chart *ch,
		const char *name, const char *title, const char *datafile)
{
	const struct plot_options *o = env->o;
	char script[PATH_MAX + 64], outfile[PATH_MAX], width[16], height[16];
	char log[8192];
	snprintf(script, sizeof script, "%s/%s", env->plots, k->script);
	snprintf(width, sizeof width, "%d", o->width);
	snprintf(height, sizeof height, "%d", o->height);
	for (int f = 0; f < 2; f++) {
		if (!(f ? o->svg : o->png))
			continue;
		char base[160], tmp[200];
		snprintf(base, sizeof base, "%s.%s", name, f ? "svg" : "png");
		snprintf(outfile, sizeof outfile, "%s/%s", o->outdir, base);
		struct gp_var vars[CHART_VARS_MAX + 12] = {
			{"plots_dir", env->plots, 0},   {"datafile", datafile, 0},
			{"outfile", "", 0},             {"term", f ? "svg" : "pngcairo", 0},
			{"width", width, 1},            {"height", height, 1},
			{"chart_title", title, 0},      {"subtitle", env->subtitle, 0},
			{"series", ch->series, 0},      {"models", ch->models, 0},
			{"labels", ch->labels, 0},
		};
		size_t n = 11;
		for (int i = 0; i < ch->nvars; i++)
			vars[n++] = ch->vars[i];
		struct err e;
		int fd = safe_tmp_create(env->dirfd, base, tmp, sizeof tmp, &e);
		if (fd < 0) {
			fprintf(o->diag, "cmbench: chart %s: %s\n", name, e.msg);
			return -1;
		}
		int failed = gnuplot_run(env->gnuplot, script, vars, n, fd, log, sizeof log, &e);
		if (close(fd) < 0 && !failed)
			failed = err_set(&e, "cannot write %s: %s", outfile, strerror(errno));
		if (!failed && safe_commit(env->dirfd, tmp, base, outfile, &e) < 0) {
			fprintf(o->diag, "cmbench: chart %s: %s\n", name, e.msg);
			return -1;
		}
		if (failed) {
			unlinkat(env->dirfd, tmp, 0); /* a half-drawn image is not a chart */
			/* gnuplot's own account (the line, a caret, the message), indented. */
			fprintf(o->diag, "cmbench: chart %s: %s\n", name, e.msg);
			for (const char *l = log; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0))
				if (strcspn(l, "\n"))
					fprintf(o->diag, "    %.*s\n", (int)strcspn(l, "\n"), l);
			return -1;
		}
		if (log[0])
			fprintf(o->diag, "cmbench: chart %s: %s says: %.*s\n", name, k->script,
				(int)strcspn(log, "\n"), log);
	}
	return 0;
}

static int plot_one(const struct draw_env *env, const struct chart_kind *k, const char *workload,
		    const struct plot_cells *cs, json_t *ctx, struct plot_set *out, int *failures,
		    struct err *e)
{
	struct chart ch;
	char name[128], title[160], datafile[PATH_MAX + 140];
	memset(&ch, 0, sizeof ch);
	file_name(name, sizeof name, k->name, workload);
	snprintf(title, sizeof title, workload ? "%s: %s" : "%s", k->title, workload);
	char base[160], tmp[200];
	snprintf(base, sizeof base, "%s.dat", name);
	snprintf(datafile, sizeof datafile, "%s/%s", env->o->outdir, base);
	ch.workload = workload;
	int fd = safe_tmp_create(env->dirfd, base, tmp, sizeof tmp, e);
	if (fd < 0)
		return -1;
	ch.data = fdopen(fd, "w");
	if (!ch.data) {
		close(fd);
		unlinkat(env->dirfd, tmp, 0);
		return err_set(e, "cannot write %s: %s", datafile, strerror(errno));
	}
	k->extract(&ch, cs, ctx);
	if (fclose(ch.data)) {
		unlinkat(env->dirfd, tmp, 0);
		return err_set(e, "cannot write %s: %s", datafile, strerror(errno));
	}
	if (!ch.points) {
		unlinkat(env->dirfd, tmp, 0);
		return 0;
	}
	if (safe_commit(env->dirfd, tmp, base, datafile, e) < 0)
		return -1;
	if (draw(env, k, &ch, name, title, datafile)) {
		(*failures)++;
		return 0;
	}
	struct plot_made *m = &out->v[out->n++];
	snprintf(m->name, sizeof m->name, "%s", name);
	snprintf(m->title, sizeof m->title, "%s", title);
	m->kind = k->name;
	m->workload = workload;
	return 0;
}

int plot_results(json_t *results, const struct plot_cells *cs, const struct plot_options *o,
		 struct plot_set *out, struct err *e)
{
	struct draw_env env = {.o = o, .dirfd = -1};
	memset(out, 0, sizeof *out);
	if (plots_dir_find(env.plots, sizeof env.plots, e) ||
	    gnuplot_find(env.gnuplot, sizeof env.gnuplot, e) || make_dirs(o->outdir, e))
		return -1;
	env.dirfd = open(o->outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (env.dirfd < 0)
		return err_set(e, "cannot open %s: %s", o->outdir, strerror(errno));
	safe_clean_stale(env.dirfd, NULL, 0); /* charts of killed runs */
	json_t *ctx = json_object_get(results, "context");
	context_subtitle(ctx, env.subtitle, sizeof env.subtitle);
	size_t nkinds = 0;
	while (chart_kinds[nkinds].name)
		nkinds++;
	out->v = calloc(nkinds * (cs->nworkloads + 1), sizeof *out->v);
	if (!out->v)
		return err_set(e, "out of memory");
	int failures = 0, rc = 0;
	for (const struct chart_kind *k = chart_kinds; k->name && !rc; k++) {
		if (!k->per_workload)
			rc = plot_one(&env, k, NULL, cs, ctx, out, &failures, e);
		for (size_t w = 0; k->per_workload && w < cs->nworkloads && !rc; w++)
			rc = plot_one(&env, k, cs->workloads[w], cs, ctx, out, &failures, e);
	}
	if (!rc && failures)
		rc = err_set(e, "%d chart%s failed to draw (gnuplot's messages above)", failures,
			     failures == 1 ? "" : "s");
	if (rc)
		plot_set_free(out);
	close(env.dirfd);
	return rc;
}

void plot_set_free(struct plot_set *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}
