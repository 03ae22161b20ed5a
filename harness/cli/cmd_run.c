/* cmd_run.c — `cmbench run`: the runner. The command line becomes a
 * matrix (run_options.c, harness/run/matrix.c); each cell is measured in
 * isolation (harness/run/cell.c), its typed outcome added to the run's
 * results (harness/results/cell_result.c), which are rendered to the results
 * file and journal after every cell and to the summary at the end. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "answer_results.h"
#include "clock.h"
#include "commands.h"
#include "floors.h"
#include "host_speed.h"
#include "journal.h"
#include "noise.h"
#include "progress.h"
#include "results.h"
#include "run_options.h"
#include "safe_file.h"
#include "summary.h"
#include "text_wrap.h"
#include "sysinfo.h"
#include "topology.h"
#include "warning_groups.h"

static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* A message on stderr after "cmbench: ", broken at spaces to TEXT_WIDTH
 * columns (lines after the first indented). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	size_t n = strlen(text);
	if (n && text[n - 1] == '\n')
		text[n - 1] = 0;
	text_wrap_print(stderr, "cmbench: ", 2, text, TEXT_WIDTH);
}

/* The cell's outcome on its progress line, in few columns: "12.6 ms  0.92x
 * vs seq", "2.2 ms  22391 round-trips/s", "5.4 ms  ns per switch 5454 ns". */
static void cell_outcome_text(const struct cell_result *c, char *buf, size_t len)
{
	const struct cell_outcome *o = &c->outcome;
	if (o->status == CELL_ERROR)
		snprintf(buf, len, "ERROR: %s", o->message);
	else if (o->status == CELL_SKIPPED)
		snprintf(buf, len, "skipped: %s", o->message);
	else if (o->n_samples >= 2) {
		snprintf(buf, len, "%7.1f ms", c->real.median / 1e6);
		if (c->id.per_worker && c->headline.numeric) {
			double v = c->headline.s.median;
			int same = !strcmp(c->id.headline.label, c->id.headline.unit);
			snprintf(buf + strlen(buf), len - strlen(buf),
				 fabs(v) >= 1000 ? "  %s%s%.0f %s" : "  %s%s%.3g %s",
				 same ? "" : c->id.headline.label, same ? "" : " ", v, c->id.headline.unit);
		}
		if (c->vs_baseline.set)
			snprintf(buf + strlen(buf), len - strlen(buf), "  %.2fx vs seq",
				 c->vs_baseline.value);
	} else
		snprintf(buf, len, "%7.1f ms (1 rep)", o->n_samples ? o->samples[0].real_ns / 1e6 : 0.0);
}

/* Write the document rendered from the typed results (to `copy` too when
 * given: rendered once for both). After a cell, `durable` 0: the journal
 * holds the cell, fsync'd; the files are fsync'd when the run ends. */
static int write_results(const char *path, const char *copy, const struct run_results *r,
			 int aggregates_only, int durable, struct err *e)
{
	json_t *doc = results_document(r, aggregates_only);
	int rc = results_write_copies(path, copy, doc, durable, e);
	json_decref(doc);
	return rc;
}

/* A resumed file's measured cells are kept (typed, as if just measured);
 * its error entries are dropped so that those cells run again. */
static void keep_resumed_cells(json_t *doc, struct run_results *r, const struct cell *cells,
			       int ncells, char *done)
{
	json_t *list = json_object_get(doc, "benchmarks"), *kept = json_array(), *x;
	size_t k;
	json_array_foreach(list, k, x)
		if (!json_is_true(json_object_get(x, "error_occurred")))
			json_array_append(kept, x);
	json_object_set_new(doc, "benchmarks", kept);
	results_decode(doc, r);
	for (int i = 0; i < ncells; i++)
		done[i] = run_results_find(r, cells[i].name) != NULL;
}

/* -o, --resume, or results/run-DATE.json; runs started in the same second
 * each get a file: -2, -3, ... (the journal's lock, taken here, claims the
 * name against a concurrent run). -1 after a one-line error. */
static int results_path(const struct run_cli *c, char *path, size_t len, char *latest, size_t llen,
			struct journal *journal)
{
	latest[0] = 0;
	if (c->resume || c->output) {
		snprintf(path, len, "%s", c->resume ? c->resume : c->output);
		return 0;
	}
	char stamp[32];
	time_t now = time(NULL);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
	mkdir("results", 0755);
	snprintf(latest, llen, "results/latest.json");
	struct err e;
	for (int k = 1;; k++) {
		if (k == 1)
			snprintf(path, len, "results/run-%s.json", stamp);
		else
			snprintf(path, len, "results/run-%s-%d.json", stamp, k);
		struct stat st;
		if (stat(path, &st) == 0)
			continue;
		if (journal_lock(journal, path, &e) == 0)
			return 0;
		if (k == 1000) {
			fprintf(stderr, "cmbench run: %s\n", e.msg);
			return -1;
		}
	}
}

/* context.floors, measured once at the start (or cached for this machine
 * and build); a resumed file keeps the floors it was measured against. */
static void record_floors(const struct run_cli *c, json_t *context)
{
	if (c->no_floors || json_object_get(context, "floors"))
		return;
	struct err e = {{0}};
	int64_t start = clock_now_ns();
	json_t *floors = floors_for_run(c->fresh_floors, &e);
	if (!floors) {
		say("warning: floors not recorded: %s\n", e.msg);
		return;
	}
	if (json_is_true(json_object_get(floors, "cached")))
		say("floors of this machine and build from the cache (cmbench "
				"limits measures them afresh)\n");
	else
		say("floors measured in %.1f s\n",
			(double)(clock_now_ns() - start) / 1e9);
	json_object_set_new(context, "floors", floors);
}

static void print_start(const struct run_cli *c, int ncells, const char *path, json_t *context)
{
	const struct rep_policy *p = &c->opts.policy;
	if (p->min < p->max)
		say("%d cells, profile %s, %d-%d reps (adaptive) + %d warm-up each, "
				"results in %s\n", ncells, profile_name(c->opts.profile), p->min, p->max,
			c->opts.warmup, path);
	else
		say("%d cells, profile %s, %d reps + %d warm-up each, results in %s\n",
			ncells, profile_name(c->opts.profile), c->opts.reps, c->opts.warmup, path);
	double load_before = load_average_1min();
	if (load_before >= NOISE_LOADAVG_BEFORE_MAX) {
		/* a run-level warning: kept in the results (context.warnings) and the report too */
		char w[300];
		snprintf(w, sizeof w, "the machine is busy before the run (load average %.2f on %d "
				      "CPUs): stop other jobs for times you can trust",
			 load_before, sysinfo_num_cpus());
		say("warning: %s\n", w);
		json_t *list = json_object_get(context, "warnings");
		if (!json_is_array(list))
			json_object_set_new(context, "warnings", list = json_array());
		json_array_append_new(list, json_string(w));
	}
	record_floors(c, context);
	if (p->max < 6)
		say("note: with %d repetitions the median's interval is [min, max] "
				"at %.1f%% confidence; --reps 6 or more gives 95%%\n",
			p->max, 100 * (1 - 2 * ldexp(1, -p->max)));
}

/* Measure every cell not already in a resumed file; write results after each. */
static int run_matrix(struct run_cli *c, hwloc_topology_t topo, struct cell *cells, int ncells)
{
	char path[4096], latest[4096];
	struct journal journal = {.fd = -1};
	if (results_path(c, path, sizeof path, latest, sizeof latest, &journal) < 0)
		return 2;
	/* -o -: the results go to standard output once the run ends (no file,
	 * no journal); --csv - the CSV. Standard output then carries only that:
	 * the summary and the paths go to stderr with the progress. */
	int json_stdout = results_is_stdout(c->output);
	FILE *human = json_stdout || results_is_stdout(c->csv) ? stderr : stdout;
	struct err e;
	json_t *context = sysinfo_context(profile_name(c->opts.profile), run_options_json(c));
	json_object_set_new(context, "topology", topology_json(topo, c->topology));
	struct run_results results;
	char *done = calloc((size_t)ncells + 1, 1); /* cells a resumed file already holds */
	int failed = 0, status = 0, write_failed = 0;
	run_results_init(&results, NULL);
	struct warning_groups *warnings = warning_groups_new();
	/* the CSV must be writable and another file than the results, known now */
	if (results_is_stdout(c->csv))
		e.msg[0] = 0;
	else if (c->csv && safe_path_ok(c->csv, &e) == 0 && safe_same_file(c->csv, path))
		err_set(&e, "--csv %s is the results file %s itself (allowed: another file)", c->csv, path);
	else if (c->csv && safe_path_ok(c->csv, &e) < 0)
		;
	else
		e.msg[0] = 0;
	/* the lock first: a second run on the same file is refused before it writes */
	if (e.msg[0] || (!json_stdout && journal.fd < 0 && journal_lock(&journal, path, &e) < 0)) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		json_decref(context);
		status = 2;
		goto out;
	}
	if (c->resume) {
		json_t *doc = journal_load_for_resume(path, &e);
		if (!doc || journal_check_entries(doc, path, &e) < 0 ||
		    journal_options_match(json_object_get(doc, "context"), context, &e) < 0) {
			fprintf(stderr, "cmbench run: %s\n", e.msg);
			json_decref(doc);
			json_decref(context);
			status = 2;
			goto out;
		}
		json_decref(context);
		context = json_incref(json_object_get(doc, "context"));
		json_object_del(context, "interrupted");
		run_results_init(&results, context);
		keep_resumed_cells(doc, &results, cells, ncells, done);
		json_decref(doc);
	} else {
		run_results_init(&results, context);
	}
	/* find out now, not after an hour of measuring, that the results cannot be written */
	if (!json_stdout && (write_results(path, NULL, &results, 0, 1, &e) < 0 ||
			     journal_start(&journal, results.context, &e) < 0)) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		status = 2;
		goto out;
	}
	raise_fd_limit();
	/* Orphans of a killed cell (its workers, its servers) come back to us to be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	cell_install_signal_handlers();
	c->opts.live = isatty(STDERR_FILENO);
	progress_init(c->opts.live, ncells);
	print_start(c, ncells, json_stdout ? "standard output at the end" : path, results.context);
	/* each cell's CPU speed is compared with its CPU's now (unknown if this fails) */
	(void)host_speeds_measure(&c->opts.cpu_speeds);
	for (int i = 0; i < ncells; i++) {
		progress_cell_begin(i, cells[i].name);
		if (done[i]) {
			progress_cell_kept(cells[i].name, "kept from the resumed file");
			continue;
		}
		struct cell_outcome outcome;
		if (cell_run_isolated(&cells[i], &c->opts, &outcome) < 0) {
			progress_finish();
			int sig = cell_interrupted();
			say("interrupted by signal %d; %d of %d cells were measured and "
					"are kept in %s\n", sig, i, ncells, path);
			json_object_set_new(results.context, "interrupted", json_true());
			status = 128 + sig;
			break;
		}
		struct cell_identity id;
		cell_identity_of(&cells[i], &id);
		const struct cell_result *cr = run_results_add(&results, &id, &outcome);
		cell_identity_free(&id);
		json_t *entries = results_cell_entries(cr, 0);
		if (!json_stdout && journal_append(&journal, cells[i].name, entries, &e) < 0) {
			say("%s\n", e.msg);
			write_failed = 1;
		}
		json_decref(entries);
		const char *first = json_stdout ? (latest[0] ? latest : NULL) : path;
		const char *copy = !json_stdout && latest[0] ? latest : NULL;
		if (first && write_results(first, copy, &results, 0, 0, &e) < 0) {
			say("%s\n", e.msg);
			write_failed = 1;
		}
		if (write_failed) {
			/* nothing more can be kept: stop, and keep what the journal holds */
			progress_finish();
			say("stopped after %d of %d cells: the results cannot be "
					"written\n", i + 1, ncells);
			break;
		}
		char text[700];
		cell_outcome_text(cr, text, sizeof text);
		progress_cell_end(cells[i].name, text);
		/* noise warnings: grouped by kind at the end (the texts are in the results) */
		for (size_t k = 0; k < cr->n_warnings; k++)
			warning_groups_add(warnings, cr->id.name, cr->warnings[k]);
		failed += cr->outcome.status == CELL_ERROR;
		cell_reap_orphans();
	}
	progress_finish();
	warning_groups_print(stderr, warnings, ncells);
	cell_reap_orphans();
	json_object_set_new(results.context, "load_avg_after", json_real(load_average_1min()));
	/* again: with load_avg_after (-o -: the only time, on stdout) */
	if (write_results(path, NULL, &results, 0, 1, &e) < 0) {
		say("%s\n", e.msg);
		write_failed = 1;
	}
	/* the journal goes only once the results file is complete and written */
	journal_close(&journal, status == 0 && !write_failed);
	if (write_failed && json_stdout) {
		status = status ? status : 1; /* told above; no file, no journal */
	} else if (write_failed) {
		say("%s is incomplete; every measured cell is kept in %s "
				"(continue with --resume %s)\n", path, journal.path, path);
		status = status ? status : 1;
	}
	if (!status) {
		fprintf(human, "\n");
		summary_print(human, &results);
		/* the answer, hyperfine style: per workload the best model at each worker count */
		struct answer_rows *rows = answer_rows_from_results(&results);
		if (rows->n)
			fprintf(human, "\n");
		answer_print(human, rows->v, rows->n);
		answer_rows_free(rows);
	}
	if (latest[0] && write_results(latest, NULL, &results, 0, 1, &e) < 0)
		say("%s\n", e.msg);
	if (c->aggregates_json && write_results(c->aggregates_json, NULL, &results, 1, 1, &e) < 0) {
		say("%s\n", e.msg);
		status = status ? status : 2;
	}
	if (c->csv) {
		json_t *doc = results_document(&results, 0);
		if (results_write_csv(c->csv, doc, &e) < 0) {
			say("%s\n", e.msg);
			status = status ? status : 2;
		}
		json_decref(doc);
	}
	fprintf(human, "\nresults: %s%s%s%s\n", json_stdout ? "standard output" : path,
		latest[0] ? " (and " : "", latest, latest[0] ? ")" : "");
	if (c->aggregates_json)
		fprintf(human, "aggregates: %s\n", c->aggregates_json);
	if (c->csv)
		fprintf(human, "csv: %s\n", results_is_stdout(c->csv) ? "standard output" : c->csv);
	if (failed)
		say("%d of %d cells failed (see ERROR above); they are recorded with "
				"error_occurred in the results\n", failed, ncells);
	if (!status && failed)
		status = 1;
out:
	journal_close(&journal, 0);
	run_results_free(&results);
	warning_groups_free(warnings);
	host_speeds_free(&c->opts.cpu_speeds);
	free(done);
	return status;
}

/* Load the topology and plan every --pin now: a location the machine lacks
 * is a usage error before any measuring. Says once when nothing will
 * really be bound. */
static hwloc_topology_t plan(struct run_cli *c)
{
	struct err e;
	hwloc_topology_t topo = topology_load(c->topology, &e);
	if (!topo) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		return NULL;
	}
	const char *not_applied;
	if (matrix_plan_bindings(&c->matrix, topo, &not_applied, &e) < 0) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		hwloc_topology_destroy(topo);
		return NULL;
	}
	if (not_applied)
		say("note: --pin is planned but not applied: %s\n", not_applied);
	return topo;
}

int cmd_run(int argc, char **argv)
{
	struct run_cli *c = calloc(1, sizeof *c);
	hwloc_topology_t topo = NULL;
	struct cell *cells = NULL;
	int ncells = 0, status = 2;
	struct err e;
	int parsed = run_options_parse(argc, argv, c);
	if (parsed == 1) { /* --help */
		status = 0;
		goto out;
	}
	if (parsed < 0 || !(topo = plan(c)))
		goto out;
	if (!(cells = matrix_build(&c->matrix, &ncells, &e)) ||
	    matrix_check_cells(cells, ncells, c->opts.cache_dir, &e) < 0) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		goto out;
	}
	if (c->dry_run) {
		for (int i = 0; i < ncells; i++) {
			printf("%s\n", cells[i].name);
			if (cells[i].model->dry_run) {
				struct model_cell mc = matrix_model_cell(&cells[i], c->opts.cache_dir);
				cells[i].model->dry_run(&mc, stdout);
			}
		}
		status = 0;
		goto out;
	}
	status = run_matrix(c, topo, cells, ncells);
out:
	free(cells);
	matrix_free(&c->matrix);
	if (topo)
		hwloc_topology_destroy(topo);
	free(c);
	return status;
}
