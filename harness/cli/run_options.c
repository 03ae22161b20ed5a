/* run_options.c — `cmbench run`'s command line (run_options.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus.h"
#include "counters.h"
#include "profiles.h"
#include "run_options.h"
#include "safe_file.h"
#include "strict_number.h"
#include "sysinfo.h"
#include "worker_limits.h"

void run_options_usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench run [options]\n\n"
		"Runs every workload x model x workers cell, verifies every answer, prints a\n"
		"summary and writes a results file (Google Benchmark JSON shape).\n\n"
		"  -w, --workload LIST     workloads, comma-separated (default: all; see cmbench list)\n"
		"  -m, --model LIST        models, comma-separated (default: all)\n"
		"  -n, --workers LIST      worker counts, e.g. 1,2,4 (default: 1,2,4,... up to 2x PUs)\n"
		"      --pin LIST          where workers run: none (default), compact, scatter, cores,\n"
		"                          single, or hwloc locations (core:0-3, pu:0,pu:2); a list\n"
		"                          adds a matrix dimension (see cmbench topo)\n"
		"      --topology SPEC     plan --pin on FILE.xml or a synthetic topology such as\n"
		"                          'package:2 core:8 pu:2' (nothing is then bound)\n"
		"      --tasks-per-worker K  split the work into K tasks per worker (default 1)\n"
		"      --param KEY=VALUE   a workload or model parameter; VALUE may be a comma list,\n"
		"                          which adds a matrix dimension (repeatable)\n"
		"      --profile P         quick | default | full | ci: sizes, repetitions, warm-ups\n"
		"      --reps N            measured repetitions per cell (default: by profile)\n"
		"      --warmup N          unmeasured warm-up repetitions per cell (default: by profile)\n"
		"      --timeout SECONDS   give up on a cell after this long (default: by profile)\n"
		"      --min-time SECONDS  add repetitions to a cell until this much time was\n"
		"                          measured (default 0: just --reps)\n"
		"      --counters LIST     perf events per repetition: all (default), none, or\n"
		"                          task-clock,context-switches,cpu-migrations,page-faults,\n"
		"                          futex,cycles,instructions; one that cannot be opened is\n"
		"                          recorded as unsupported with the reason\n"
		"  -o, --output FILE.json  results file (default: results/run-DATE.json, copied to\n"
		"                          results/latest.json)\n"
		"      --csv FILE          also write one CSV row per repetition\n"
		"      --aggregates-json FILE  also write the results with aggregates only (no\n"
		"                          per-repetition entries where there are aggregates), as\n"
		"                          --benchmark_report_aggregates_only does, for dashboards\n"
		"      --cache-dir DIR     where generated inputs are kept (default: ~/.cache/cmbench)\n"
		"      --resume FILE.json  keep the cells FILE already holds (same profile, reps,\n"
		"                          warm-ups), measure the rest, write back to FILE\n"
		"      --no-floors         do not record this machine's floors (see cmbench limits)\n"
		"      --fresh-floors      measure the floors even if a measurement of this machine\n"
		"                          and build from the last hour is cached\n"
		"      --dry-run           print the cells that would run, and stop\n"
		"  -h, --help              this text\n\n"
		"exit status:\n"
		"  0        every cell measured and verified\n"
		"  1        a cell failed: wrong answer, crash or timeout (recorded in the results\n"
		"           with error_occurred; the other cells are measured)\n"
		"  2        bad command line or input, or the results file cannot be written;\n"
		"           nothing is measured\n"
		"  128+N    interrupted by signal N (SIGINT: 130); the cells measured so far are\n"
		"           kept in the results file (continue with --resume)\n");
}

static int parse_int(const char *what, const char *text, long lo, long hi, long *out)
{
	if (strict_long(text, lo, hi, out) < 0) {
		fprintf(stderr, "cmbench run: %s '%s' is not allowed (allowed: an integer from %ld to %ld, "
				"decimal digits only)\n", what, text, lo, hi);
		return -1;
	}
	return 0;
}

static int bad(const char *msg)
{
	fprintf(stderr, "cmbench run: %s\n", msg);
	return -1;
}

/* A matrix list's item: a bad one stops now; a duplicate is kept in `dup`
 * and said after every option was read (a list over its bound first). */
static int list_added(int rc, const struct err *e, struct err *dup)
{
	if (rc == MATRIX_DUPLICATE) {
		if (!dup->msg[0])
			*dup = *e;
		return 0;
	}
	return rc < 0 ? bad(e->msg) : 0;
}

/* An option of one value given twice: which one was meant? */
static int once(const struct option *opts, int ch, unsigned char *seen)
{
	if (ch <= 0 || ch >= 128 || !strchr("rWpotcCTYRKMA", ch))
		return 0;
	if (seen[ch]) {
		const char *name = "?";
		for (const struct option *o = opts; o->name; o++)
			if (o->val == ch)
				name = o->name;
		fprintf(stderr, "cmbench run: option --%s given twice (allowed: once)\n", name);
		return -1;
	}
	seen[ch] = 1;
	return 0;
}

int run_options_parse(int argc, char **argv, struct run_cli *c)
{
	static const struct option opts[] = {
		{"workload", required_argument, 0, 'w'}, {"model", required_argument, 0, 'm'},
		{"workers", required_argument, 0, 'n'}, {"reps", required_argument, 0, 'r'},
		{"warmup", required_argument, 0, 'W'}, {"profile", required_argument, 0, 'p'},
		{"output", required_argument, 0, 'o'}, {"csv", required_argument, 0, 'c'},
		{"param", required_argument, 0, 'P'}, {"timeout", required_argument, 0, 't'},
		{"cache-dir", required_argument, 0, 'C'}, {"tasks-per-worker", required_argument, 0, 'T'},
		{"pin", required_argument, 0, 'I'}, {"topology", required_argument, 0, 'Y'},
		{"resume", required_argument, 0, 'R'}, {"dry-run", no_argument, 0, 'D'},
		{"counters", required_argument, 0, 'K'}, {"min-time", required_argument, 0, 'M'},
		{"aggregates-json", required_argument, 0, 'A'},
		{"no-floors", no_argument, 0, 'F'}, {"fresh-floors", no_argument, 0, 'f'},
		{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	struct matrix_spec *m = &c->matrix;
	long v;
	int ch;
	struct err e, dup = {{0}};
	unsigned char seen[128] = {0};
	m->tasks_per_worker = 1;
	c->opts.profile = PROFILE_DEFAULT;
	c->opts.counters = COUNTERS_ALL;
	corpus_default_cache_dir(c->opts.cache_dir, sizeof c->opts.cache_dir);
	opterr = 0;
	optind = 0; /* 0, not 1: GNU getopt then also resets its internal state */
	while ((ch = getopt_long(argc, argv, ":w:m:n:o:h", opts, NULL)) != -1) {
		if (once(opts, ch, seen) < 0)
			return -1;
		switch (ch) {
		case 'w':
			if (list_added(matrix_add_workloads(m, optarg, &e), &e, &dup) < 0)
				return -1;
			break;
		case 'm':
			if (list_added(matrix_add_models(m, optarg, &e), &e, &dup) < 0)
				return -1;
			break;
		case 'n':
			if (list_added(matrix_add_workers(m, optarg, &e), &e, &dup) < 0)
				return -1;
			break;
		case 'I':
			if (list_added(matrix_add_pins(m, optarg, &e), &e, &dup) < 0)
				return -1;
			break;
		case 'P':
			if (matrix_add_param(m, optarg, &e) < 0)
				return bad(e.msg);
			break;
		case 'r':
			if (parse_int("--reps", optarg, 1, 100000, &v) < 0)
				return -1;
			c->opts.reps = (int)v;
			c->reps_given = 1;
			break;
		case 'W':
			if (parse_int("--warmup", optarg, 0, 1000, &v) < 0)
				return -1;
			c->opts.warmup = (int)v;
			c->warmup_given = 1;
			break;
		case 'T':
			if (parse_int("--tasks-per-worker", optarg, 1, 1000000, &v) < 0)
				return -1;
			m->tasks_per_worker = (int)v;
			break;
		case 't':
			if (parse_int("--timeout", optarg, 1, 7 * 24 * 3600, &v) < 0)
				return -1;
			c->opts.timeout_s = (double)v;
			c->timeout_given = 1;
			break;
		case 'p':
			if (profile_parse(optarg, &c->opts.profile, &e) < 0)
				return bad(e.msg);
			break;
		case 'Y': c->topology = optarg; break;
		case 'K':
			if (counters_parse(optarg, &c->opts.counters, &e) < 0)
				return bad(e.msg);
			break;
		case 'M': {
			double t;
			if (strict_decimal(optarg, 0, 3600, &t) < 0) {
				fprintf(stderr, "cmbench run: --min-time '%s' is not allowed (allowed: "
						"seconds from 0 to 3600, e.g. 0.5)\n", optarg);
				return -1;
			}
			c->opts.min_time_s = t;
			break;
		}
		case 'o': c->output = optarg; break;
		case 'R': c->resume = optarg; break;
		case 'D': c->dry_run = 1; break;
		case 'c': c->csv = optarg; break;
		case 'A': c->aggregates_json = optarg; break;
		case 'F': c->no_floors = 1; break;
		case 'f': c->fresh_floors = 1; break;
		case 'C':
			if (!*optarg || strlen(optarg) >= sizeof c->opts.cache_dir - 200) {
				fprintf(stderr, "cmbench run: --cache-dir '%s' is not a usable path\n", optarg);
				return -1;
			}
			snprintf(c->opts.cache_dir, sizeof c->opts.cache_dir, "%s", optarg);
			break;
		case 'h': run_options_usage(stdout); return 1;
		case ':':
			fprintf(stderr, "cmbench run: option '%s' needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "cmbench run: unknown option '%s' (see cmbench run --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (c->resume && c->output && strcmp(c->resume, c->output)) {
		fprintf(stderr, "cmbench run: --resume %s writes back to that file; drop -o %s\n", c->resume,
			c->output);
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "cmbench run: unexpected argument '%s' (see cmbench run --help)\n", argv[optind]);
		return -1;
	}
	if (dup.msg[0])
		return bad(dup.msg);
	m->profile = c->opts.profile;
	matrix_defaults(m, 2 * sysinfo_num_cpus());
	if (matrix_check_tasks(m, &e) < 0)
		return bad(e.msg);
	profile_run_defaults(&c->opts, c->reps_given, c->warmup_given, c->timeout_given);
	/* the cache must be ours and private, known before anything is measured */
	if (safe_private_dir(c->opts.cache_dir, "--cache-dir", &e) < 0)
		return bad(e.msg);
	/* a thread or a process per worker: the system must be able to make them */
	const char *which;
	long most = limits_max_workers(&which);
	for (int i = 0; i < m->nmodels; i++)
		for (int w = 0; w < m->nworkers; w++)
			if (!(m->models[i]->flags & MODEL_SINGLE_THREAD) && m->workers[w] > most) {
				fprintf(stderr, "cmbench run: -n %d is more workers than this system can create "
						"for model %s (allowed: 1 to %ld, by %s)\n",
					m->workers[w], m->models[i]->name, most, which);
				return -1;
			}
	if (matrix_check_params(m, &e) < 0)
		return bad(e.msg);
	return 0;
}

json_t *run_options_json(const struct run_cli *c)
{
	json_t *o = json_object(), *w = json_array(), *m = json_array(), *n = json_array(), *p = json_object();
	for (int i = 0; i < c->matrix.nbenches; i++)
		json_array_append_new(w, json_string(c->matrix.benches[i]->name));
	for (int i = 0; i < c->matrix.nmodels; i++)
		json_array_append_new(m, json_string(c->matrix.models[i]->name));
	for (int i = 0; i < c->matrix.nworkers; i++)
		json_array_append_new(n, json_integer(c->matrix.workers[i]));
	for (int i = 0; i < c->matrix.nparams; i++) {
		json_t *vals = json_array();
		for (int k = 0; k < c->matrix.params[i].n; k++)
			json_array_append_new(vals, json_string(c->matrix.params[i].values[k]));
		char key[160];
		snprintf(key, sizeof key, "%s%s%s", c->matrix.params[i].scope ? c->matrix.params[i].scope : "",
			 c->matrix.params[i].scope ? ":" : "", c->matrix.params[i].key);
		json_object_set_new(p, key, vals);
	}
	json_object_set_new(o, "workloads", w);
	json_object_set_new(o, "models", m);
	json_object_set_new(o, "workers", n);
	json_t *pins = json_array();
	for (int i = 0; i < c->matrix.npins; i++)
		json_array_append_new(pins, json_string(c->matrix.pins[i].text));
	json_object_set_new(o, "pin", pins);
	if (c->topology)
		json_object_set_new(o, "topology", json_string(c->topology));
	json_object_set_new(o, "params", p);
	json_object_set_new(o, "reps", json_integer(c->opts.reps));
	json_object_set_new(o, "warmup", json_integer(c->opts.warmup));
	json_object_set_new(o, "tasks_per_worker", json_integer(c->matrix.tasks_per_worker));
	json_object_set_new(o, "timeout_s", json_real(c->opts.timeout_s));
	json_object_set_new(o, "min_time_s", json_real(c->opts.min_time_s));
	json_t *counters = json_array();
	for (int i = 0; i < COUNTER_COUNT; i++)
		if (c->opts.counters & (1u << i))
			json_array_append_new(counters, json_string(counter_name((enum counter_id)i)));
	json_object_set_new(o, "counters", counters);
	return o;
}

