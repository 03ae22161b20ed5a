/* cmd_run.c — `cmbench run`: build the matrix from the command line,
 * measure each cell in isolation, write results after every cell. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cell.h"
#include "commands.h"
#include "corpus.h"
#include "journal.h"
#include "clock.h"
#include "counters.h"
#include "noise.h"
#include "worker_limits.h"
#include "floors.h"
#include "pin.h"
#include "progress.h"
#include "results.h"
#include "safe_file.h"
#include "strict_number.h"
#include "summary.h"
#include "sysinfo.h"
#include "topology.h"

#define LIST_MAX 256
#define TASKS_MAX 100000000 /* per cell: each task has a result slot */

struct swept_param {
	const char *scope; /* NULL: every cell; else only cells of this model or workload */
	const char *key;
	char *values[LIST_MAX];
	int n;
};

struct run_cli {
	const struct bench *benches[LIST_MAX];
	int nbenches;
	const struct model *models[LIST_MAX];
	int nmodels;
	int workers[LIST_MAX];
	int nworkers;
	struct pin_policy pins[LIST_MAX];
	int npins;
	const char *topology;        /* --topology; NULL: this machine */
	struct binding **bindings;   /* [pin * nworkers + worker]: one plan per pair */
	struct swept_param params[PARAMS_MAX];
	int nparams;
	int tasks_per_worker;
	const char *output, *csv, *resume;
	int dry_run;
	int no_floors, fresh_floors; /* --no-floors, --fresh-floors */
	struct run_opts opts;
	int reps_given, warmup_given, timeout_given;
	char *owned[1024]; /* copies of arguments (own()) */
	int nowned;
	unsigned char seen[128]; /* options that take one value: given once */
};

static void usage(FILE *f)
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
		"                          results/latest.json); -: to standard output when the\n"
		"                          run ends (progress and summary stay on stderr)\n"
		"      --csv FILE          also write one CSV row per repetition (-: to standard\n"
		"                          output)\n"
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

/* A copy of an argument that may be cut up: argv itself is never written
 * (ps shows the command as it was typed). Freed with the run_cli. */
static char *own(struct run_cli *c, const char *text)
{
	if (c->nowned == (int)(sizeof c->owned / sizeof c->owned[0]))
		return NULL;
	return c->owned[c->nowned++] = strdup(text);
}

/* Split a copy of a comma list; an empty item ("1,,2", "1,") and more than
 * `max` items in all (`have` already taken) are errors. */
static int split_list(struct run_cli *c, const char *what, const char *arg, char **items, int have,
		      int max)
{
	char *text = own(c, arg);
	if (!text) {
		fprintf(stderr, "cmbench run: too many options\n");
		return -1;
	}
	int n = 0;
	for (char *p = text;; p++) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		if (!*p) {
			fprintf(stderr, "cmbench run: %s '%s' has an empty item (allowed: a comma list "
					"of values)\n", what, arg);
			return -1;
		}
		if (have + n == max) {
			fprintf(stderr, "cmbench run: %s: more than %d items in all\n", what, max);
			return -1;
		}
		items[n++] = p;
		if (!comma)
			break;
		p = comma;
	}
	return n;
}

static void names_of_benches(char *buf, size_t len)
{
	buf[0] = 0;
	for (int i = 0; bench_registry[i]; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", bench_registry[i]->name);
}

static void names_of_models(char *buf, size_t len)
{
	buf[0] = 0;
	for (int i = 0; model_registry[i]; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", model_registry[i]->name);
}

static int add_param(struct run_cli *c, const char *given)
{
	char *arg = own(c, given);
	if (!arg) {
		fprintf(stderr, "cmbench run: too many options\n");
		return -1;
	}
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		fprintf(stderr, "cmbench run: --param '%s' is not KEY=VALUE\n", arg);
		return -1;
	}
	*eq = 0;
	const char *scope = NULL, *key = arg;
	char *colon = strchr(arg, ':');
	if (colon) { /* SCOPE:KEY=VALUE */
		*colon = 0;
		scope = arg;
		key = colon + 1;
		if (!bench_find(scope) && !model_find(scope)) {
			fprintf(stderr, "cmbench run: --param %s:%s: '%s' is not a workload or model "
					"(allowed: SCOPE:KEY=VALUE with SCOPE a name from cmbench list)\n",
				scope, key, scope);
			return -1;
		}
		/* a scope that does not have the key: it would apply to nothing */
		const struct bench *sb = bench_find(scope);
		const struct model *sm = model_find(scope);
		if (!(sb && param_spec_find(sb->params, key)) && !(sm && param_spec_find(sm->params, key))) {
			char known[512] = "";
			for (const struct param_spec *s = sb ? sb->params : sm->params; s && s->name; s++)
				snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
					 known[0] ? ", " : "", s->name);
			fprintf(stderr, "cmbench run: --param %s:%s: %s has no parameter '%s' (allowed: %s)\n",
				scope, key, scope, key, known[0] ? known : "none");
			return -1;
		}
	}
	for (int i = 0; i < c->nparams; i++)
		if (!strcmp(c->params[i].key, key) &&
		    (c->params[i].scope == scope ||
		     (scope && c->params[i].scope && !strcmp(c->params[i].scope, scope)))) {
			fprintf(stderr, "cmbench run: --param %s given twice (use a comma list to sweep)\n", key);
			return -1;
		}
	if (c->nparams == PARAMS_MAX) {
		fprintf(stderr, "cmbench run: more than %d --param options\n", PARAMS_MAX);
		return -1;
	}
	struct swept_param *p = &c->params[c->nparams++];
	p->scope = scope;
	p->key = key;
	char what[100];
	snprintf(what, sizeof what, "--param %s", key);
	p->n = split_list(c, what, eq + 1, p->values, 0, LIST_MAX);
	return p->n < 0 ? -1 : 0;
}

/* Does --param number i apply to cells of this workload and model? A scoped
 * value (gil:n=...) takes precedence over an unscoped one for its cells. */
static int param_applies(const struct run_cli *c, int i, const struct bench *b, const struct model *m)
{
	const struct swept_param *p = &c->params[i];
	if (!param_spec_find(b->params, p->key) && !param_spec_find(m->params, p->key))
		return 0;
	if (p->scope)
		return !strcmp(p->scope, b->name) || !strcmp(p->scope, m->name);
	for (int k = 0; k < c->nparams; k++)
		if (k != i && c->params[k].scope && !strcmp(c->params[k].key, p->key) &&
		    (!strcmp(c->params[k].scope, b->name) || !strcmp(c->params[k].scope, m->name)))
			return 0;
	return 1;
}

/* Every --param must be declared by a selected workload or model, and each
 * value must be valid for every spec that declares it. */
static int check_params(const struct run_cli *c)
{
	for (int i = 0; i < c->nparams; i++) {
		const struct swept_param *p = &c->params[i];
		int declared = 0;
		struct err e;
		for (int k = 0; k < c->nbenches + c->nmodels; k++) {
			const struct param_spec *specs = k < c->nbenches ? c->benches[k]->params
									   : c->models[k - c->nbenches]->params;
			const char *owner = k < c->nbenches ? c->benches[k]->name
							    : c->models[k - c->nbenches]->name;
			const struct param_spec *s = param_spec_find(specs, p->key);
			/* A scoped value (race:lock=none) is checked only against its scope:
			 * the gil model's lock= does not forbid the race workload's. */
			if (!s || (p->scope && strcmp(p->scope, owner)))
				continue;
			declared = 1;
			for (int v = 0; v < p->n; v++) {
				struct param_value pv;
				if (param_parse_value(s, p->values[v], &pv, &e) < 0) {
					fprintf(stderr, "cmbench run: %s\n", e.msg);
					return -1;
				}
			}
		}
		if (!declared) {
			char known[1024] = "";
			for (int k = 0; k < c->nbenches + c->nmodels; k++) {
				const struct param_spec *s = k < c->nbenches ? c->benches[k]->params
									     : c->models[k - c->nbenches]->params;
				for (; s && s->name; s++)
					if (!strstr(known, s->name))
						snprintf(known + strlen(known), sizeof known - strlen(known),
							 "%s%s", known[0] ? ", " : "", s->name);
			}
			fprintf(stderr, "cmbench run: unknown --param '%s' for the selected workloads and "
					"models (allowed: %s)\n", p->key, known[0] ? known : "none");
			return -1;
		}
	}
	return 0;
}

static int parse_cli(int argc, char **argv, struct run_cli *c)
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
		{"no-floors", no_argument, 0, 'F'}, {"fresh-floors", no_argument, 0, 'f'},
		{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	char *items[LIST_MAX], names[1024];
	long v;
	int n, ch;
	struct err e;
	c->tasks_per_worker = 1;
	c->opts.profile = PROFILE_DEFAULT;
	c->opts.counters = COUNTERS_ALL;
	corpus_default_cache_dir(c->opts.cache_dir, sizeof c->opts.cache_dir);
	opterr = 0;
	optind = 0; /* 0, not 1: GNU getopt then also resets its internal state */
	while ((ch = getopt_long(argc, argv, ":w:m:n:o:h", opts, NULL)) != -1) {
		/* an option of one value given twice: which one was meant? */
		if (ch > 0 && ch < 128 && strchr("rWpotcCTYRKM", ch)) {
			if (c->seen[ch]) {
				const char *name = "?";
				for (const struct option *o = opts; o->name; o++)
					if (o->val == ch)
						name = o->name;
				fprintf(stderr, "cmbench run: option --%s given twice (allowed: once)\n", name);
				return -1;
			}
			c->seen[ch] = 1;
		}
		switch (ch) {
		case 'w':
			if ((n = split_list(c, "-w", optarg, items, c->nbenches, LIST_MAX)) < 0)
				return -1;
			for (int i = 0; i < n; i++) {
				if (!(c->benches[c->nbenches++] = bench_find(items[i]))) {
					names_of_benches(names, sizeof names);
					fprintf(stderr, "cmbench run: unknown workload '%s' (allowed: %s)\n", items[i], names);
					return -1;
				}
			}
			break;
		case 'm':
			if ((n = split_list(c, "-m", optarg, items, c->nmodels, LIST_MAX)) < 0)
				return -1;
			for (int i = 0; i < n; i++) {
				const struct model *m = model_find(items[i]);
				if (!(c->models[c->nmodels++] = m)) {
					names_of_models(names, sizeof names);
					fprintf(stderr, "cmbench run: unknown model '%s' (allowed: %s)\n", items[i], names);
					return -1;
				}
				const char *why = m->unavailable ? m->unavailable() : NULL;
				if (why) {
					fprintf(stderr, "cmbench run: model %s is unavailable: %s\n", m->name, why);
					return -1;
				}
			}
			break;
		case 'n':
			if ((n = split_list(c, "-n", optarg, items, c->nworkers, LIST_MAX)) < 0)
				return -1;
			for (int i = 0; i < n; i++) {
				if (parse_int("-n", items[i], 1, 100000, &v) < 0)
					return -1;
				c->workers[c->nworkers++] = (int)v;
			}
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
			c->tasks_per_worker = (int)v;
			break;
		case 't':
			if (parse_int("--timeout", optarg, 1, 7 * 24 * 3600, &v) < 0)
				return -1;
			c->opts.timeout_s = (double)v;
			c->timeout_given = 1;
			break;
		case 'p':
			if (profile_parse(optarg, &c->opts.profile, &e) < 0) {
				fprintf(stderr, "cmbench run: %s\n", e.msg);
				return -1;
			}
			break;
		case 'I':
			if ((n = pin_policy_list_parse(optarg, c->pins + c->npins, LIST_MAX - c->npins,
						       &e)) < 0) {
				fprintf(stderr, "cmbench run: %s\n", e.msg);
				return -1;
			}
			c->npins += n;
			break;
		case 'Y': c->topology = optarg; break;
		case 'K':
			if (counters_parse(optarg, &c->opts.counters, &e) < 0) {
				fprintf(stderr, "cmbench run: %s\n", e.msg);
				return -1;
			}
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
		case 'F': c->no_floors = 1; break;
		case 'f': c->fresh_floors = 1; break;
		case 'c': c->csv = optarg; break;
		case 'C':
			if (!*optarg || strlen(optarg) >= sizeof c->opts.cache_dir - 200) {
				fprintf(stderr, "cmbench run: --cache-dir '%s' is not a usable path\n", optarg);
				return -1;
			}
			snprintf(c->opts.cache_dir, sizeof c->opts.cache_dir, "%s", optarg);
			break;
		case 'P':
			if (add_param(c, optarg) < 0)
				return -1;
			break;
		case 'h': usage(stdout); return 1;
		case ':':
			fprintf(stderr, "cmbench run: option '%s' needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "cmbench run: unknown option '%s' (see cmbench run --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (results_is_stdout(c->resume)) {
		fprintf(stderr, "cmbench run: --resume '-' is not allowed (allowed: the results file "
				"to continue)\n");
		return -1;
	}
	if (results_is_stdout(c->output) && results_is_stdout(c->csv)) {
		fprintf(stderr, "cmbench run: -o - and --csv - both write to standard output (allowed: "
				"one of them)\n");
		return -1;
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
	if (!c->nbenches) /* the default set: workloads that take any number of tasks,
			   * not marked on_request */
		for (int i = 0; bench_registry[i]; i++)
			if (!bench_registry[i]->tasks_exactly && !bench_registry[i]->on_request)
				c->benches[c->nbenches++] = bench_registry[i];
	if (!c->nmodels) /* the default set: what needs no request and can run here */
		for (int i = 0; model_registry[i]; i++)
			if (!(model_registry[i]->flags & MODEL_ON_REQUEST) &&
			    !(model_registry[i]->unavailable && model_registry[i]->unavailable()))
				c->models[c->nmodels++] = model_registry[i];
	if (!c->npins)
		pin_policy_parse("none", &c->pins[c->npins++], &e);
	if (!c->nworkers) {
		int cap = 2 * sysinfo_num_cpus();
		for (int w = 1; w <= cap && c->nworkers < LIST_MAX; w *= 2)
			c->workers[c->nworkers++] = w;
		if (c->workers[c->nworkers - 1] != cap)
			c->workers[c->nworkers++] = cap;
	}
	static const int reps[PROFILE_COUNT] = {3, 5, 10, 7}, warm[PROFILE_COUNT] = {0, 1, 2, 1};
	static const int timeout[PROFILE_COUNT] = {60, 300, 1800, 120};
	if (!c->reps_given)
		c->opts.reps = reps[c->opts.profile];
	if (!c->warmup_given)
		c->opts.warmup = warm[c->opts.profile];
	if (!c->timeout_given)
		c->opts.timeout_s = timeout[c->opts.profile];
	/* tasks = workers x tasks per worker, in checked arithmetic */
	for (int w = 0; w < c->nworkers; w++)
		if ((long long)c->workers[w] * c->tasks_per_worker > TASKS_MAX) {
			fprintf(stderr, "cmbench run: -n %d x --tasks-per-worker %d = %lld tasks (allowed: at "
					"most %d tasks per cell)\n", c->workers[w], c->tasks_per_worker,
				(long long)c->workers[w] * c->tasks_per_worker, TASKS_MAX);
			return -1;
		}
	/* the cache must be ours and private, known before anything is measured */
	if (safe_private_dir(c->opts.cache_dir, "--cache-dir", &e) < 0) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		return -1;
	}
	/* a thread or a process per worker: the system must be able to make them */
	const char *which;
	long most = limits_max_workers(&which);
	for (int m = 0; m < c->nmodels; m++)
		for (int w = 0; w < c->nworkers; w++)
			if (!(c->models[m]->flags & MODEL_SINGLE_THREAD) && c->workers[w] > most) {
				fprintf(stderr, "cmbench run: -n %d is more workers than this system can create "
						"for model %s (allowed: 1 to %ld, by %s)\n",
					c->workers[w], c->models[m]->name, most, which);
				return -1;
			}
	return check_params(c);
}

static void free_bindings(struct run_cli *c)
{
	for (int i = 0; c->bindings && i < c->npins * c->nworkers; i++)
		binding_free(c->bindings[i]);
	free(c->bindings);
	c->bindings = NULL;
}

/* Load the topology and work out every --pin policy for every worker count
 * now, so that a location the machine lacks is a usage error before any
 * measuring. Says once when nothing will really be bound. */
static hwloc_topology_t plan_bindings(struct run_cli *c)
{
	struct err e;
	hwloc_topology_t topo = topology_load(c->topology, &e);
	if (!topo) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		return NULL;
	}
	const char *skipped = NULL;
	c->bindings = calloc((size_t)(c->npins * c->nworkers), sizeof *c->bindings);
	for (int p = 0; p < c->npins; p++)
		for (int w = 0; w < c->nworkers; w++) {
			struct binding *b = binding_plan(topo, &c->pins[p], c->workers[w], &e);
			if (!b) {
				fprintf(stderr, "cmbench run: %s\n", e.msg);
				free_bindings(c);
				hwloc_topology_destroy(topo);
				return NULL;
			}
			c->bindings[p * c->nworkers + w] = b;
			if (binding_skip_reason(b))
				skipped = binding_skip_reason(b);
		}
	if (skipped)
		fprintf(stderr, "cmbench: note: --pin is planned but not applied: %s\n", skipped);
	return topo;
}

/* Set the profile's defaults, then the swept values picked by `combo`. */
static int cell_params(const struct run_cli *c, const struct bench *b, const struct model *m,
		       const struct param_spec *specs, const int *combo, struct params *out,
		       char *name, size_t name_len)
{
	struct err e;
	if (params_defaults(out, specs, c->opts.profile, &e) < 0) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		return -1;
	}
	for (int i = 0; i < c->nparams; i++) {
		if (!param_spec_find(specs, c->params[i].key) || !param_applies(c, i, b, m))
			continue;
		/* A scoped value goes only to its owner's parameters. */
		const char *owner = specs == b->params ? b->name : m->name;
		if (c->params[i].scope && strcmp(c->params[i].scope, owner))
			continue;
		const char *val = c->params[i].values[combo[i]];
		if (params_set(out, c->params[i].key, val, &e) < 0) {
			fprintf(stderr, "cmbench run: %s\n", e.msg);
			return -1;
		}
		size_t at = strlen(name);
		if (snprintf(name + at, name_len - at, "/%s=%s", c->params[i].key, val) >= (int)(name_len - at)) {
			/* cut, two cells could share a name: refused, never truncated */
			fprintf(stderr, "cmbench run: the cell name %s/%s/...%s would be longer than %zu "
					"bytes (allowed: shorter --param values)\n", b->name, m->name, name,
				name_len - 1);
			return -1;
		}
	}
	return 0;
}

/* All cells, in the order they run: workload, model, params, workers. */
static struct cell *build_matrix(const struct run_cli *c, int *ncells)
{
	size_t cap = 64, n = 0;
	struct cell *cells = malloc(cap * sizeof *cells);
	for (int b = 0; b < c->nbenches; b++)
		for (int m = 0; m < c->nmodels; m++) {
			const struct bench *bench = c->benches[b];
			const struct model *model = c->models[m];
			/* mixed-radix counter over the params this pair declares */
			int combo[PARAMS_MAX] = {0};
			for (;;) {
				for (int w = 0; w < c->nworkers; w++)
				for (int pin = 0; pin < c->npins; pin++) {
					if (n == cap)
						cells = realloc(cells, (cap *= 2) * sizeof *cells);
					struct cell *x = &cells[n];
					memset(x, 0, sizeof *x);
					x->bench = bench;
					x->model = model;
					x->workers = c->workers[w];
					x->ntasks = c->workers[w] * c->tasks_per_worker;
					char suffix[400] = "";
					if (cell_params(c, bench, model, bench->params, combo, &x->bench_params,
							suffix, sizeof suffix) < 0 ||
					    cell_params(c, bench, model, model->params, combo, &x->model_params,
							suffix, sizeof suffix) < 0) {
						free(cells);
						return NULL;
					}
					x->binding = c->bindings[pin * c->nworkers + w];
					char pin_part[PIN_TEXT_MAX + 8] = "";
					if (c->pins[pin].kind != PIN_NONE)
						snprintf(pin_part, sizeof pin_part, "/pin:%s", c->pins[pin].text);
					if (snprintf(x->name, sizeof x->name, "%s/%s/workers:%d%s%s", bench->name,
						     model->name, x->workers, pin_part, suffix) >= (int)sizeof x->name) {
						fprintf(stderr, "cmbench run: cell name too long: %s...\n", x->name);
						free(cells);
						return NULL;
					}
					n++;
				}
				int i = 0;
				for (; i < c->nparams; i++) {
					if (param_applies(c, i, bench, model) && ++combo[i] < c->params[i].n)
						break;
					combo[i] = 0;
				}
				if (i == c->nparams)
					break;
			}
		}
	*ncells = (int)n;
	return cells;
}

static struct model_cell model_cell_of(const struct run_cli *c, const struct cell *x)
{
	return (struct model_cell){.bench = x->bench, .bench_params = &x->bench_params,
				   .model_params = &x->model_params, .workers = x->workers,
				   .ntasks = x->ntasks, .binding = x->binding,
				   .cache_dir = c->opts.cache_dir};
}

/* What a model cannot do with a cell is a usage error, before anything runs. */
static int check_cells(const struct run_cli *c, const struct cell *cells, int ncells)
{
	for (int i = 0; i < ncells; i++) {
		int exactly = cells[i].bench->tasks_exactly;
		if (exactly && cells[i].ntasks != exactly) {
			fprintf(stderr, "cmbench run: %s needs exactly %d tasks, one per worker: -n %d with "
					"--tasks-per-worker 1 (got %d tasks)\n",
				cells[i].bench->name, exactly, exactly, cells[i].ntasks);
			return -1;
		}
		if (!cells[i].model->check)
			continue;
		struct model_cell mc = model_cell_of(c, &cells[i]);
		struct err e = {{0}};
		if (cells[i].model->check(&mc, &e) < 0) {
			fprintf(stderr, "cmbench run: %s\n", e.msg);
			return -1;
		}
	}
	return 0;
}

static json_t *options_json(const struct run_cli *c)
{
	json_t *o = json_object(), *w = json_array(), *m = json_array(), *n = json_array(), *p = json_object();
	for (int i = 0; i < c->nbenches; i++)
		json_array_append_new(w, json_string(c->benches[i]->name));
	for (int i = 0; i < c->nmodels; i++)
		json_array_append_new(m, json_string(c->models[i]->name));
	for (int i = 0; i < c->nworkers; i++)
		json_array_append_new(n, json_integer(c->workers[i]));
	for (int i = 0; i < c->nparams; i++) {
		json_t *vals = json_array();
		for (int k = 0; k < c->params[i].n; k++)
			json_array_append_new(vals, json_string(c->params[i].values[k]));
		char key[160];
		snprintf(key, sizeof key, "%s%s%s", c->params[i].scope ? c->params[i].scope : "",
			 c->params[i].scope ? ":" : "", c->params[i].key);
		json_object_set_new(p, key, vals);
	}
	json_object_set_new(o, "workloads", w);
	json_object_set_new(o, "models", m);
	json_object_set_new(o, "workers", n);
	json_t *pins = json_array();
	for (int i = 0; i < c->npins; i++)
		json_array_append_new(pins, json_string(c->pins[i].text));
	json_object_set_new(o, "pin", pins);
	if (c->topology)
		json_object_set_new(o, "topology", json_string(c->topology));
	json_object_set_new(o, "params", p);
	json_object_set_new(o, "reps", json_integer(c->opts.reps));
	json_object_set_new(o, "warmup", json_integer(c->opts.warmup));
	json_object_set_new(o, "tasks_per_worker", json_integer(c->tasks_per_worker));
	json_object_set_new(o, "timeout_s", json_real(c->opts.timeout_s));
	json_object_set_new(o, "min_time_s", json_real(c->opts.min_time_s));
	json_t *counters = json_array();
	for (int i = 0; i < COUNTER_COUNT; i++)
		if (c->opts.counters & (1u << i))
			json_array_append_new(counters, json_string(counter_name((enum counter_id)i)));
	json_object_set_new(o, "counters", counters);
	return o;
}

static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Noise warnings of the cell just measured, where the user looks: under its line. */
static void print_cell_warnings(json_t *doc, const char *run_name)
{
	json_t *list = json_object_get(doc, "benchmarks"), *e, *w;
	size_t i, k;
	json_array_foreach(list, i, e) {
		const char *name = json_string_value(json_object_get(e, "run_name"));
		if (!name || strcmp(name, run_name))
			continue;
		json_array_foreach(json_object_get(e, "warnings"), k, w)
			fprintf(stderr, "        warning: %s\n", json_string_value(w));
		return;
	}
}

static void cell_outcome(json_t *doc, const char *run_name, json_t *outcome, char *buf, size_t len)
{
	json_t *err = json_object_get(outcome, "error");
	if (err) {
		snprintf(buf, len, "ERROR: %s", json_string_value(err));
		return;
	}
	json_t *skipped = json_object_get(outcome, "skipped");
	if (skipped) {
		snprintf(buf, len, "skipped: %s", json_string_value(skipped));
		return;
	}
	json_t *list = json_object_get(doc, "benchmarks"), *e;
	size_t i;
	json_array_foreach(list, i, e) {
		const char *a = json_string_value(json_object_get(e, "aggregate_name"));
		if (a && !strcmp(a, "median") && !strcmp(json_string_value(json_object_get(e, "run_name")), run_name)) {
			json_t *s = json_object_get(e, "speedup_vs_sequential");
			snprintf(buf, len, "%9.1f ms%s", json_number_value(json_object_get(e, "real_time")), "");
			if (s)
				snprintf(buf + strlen(buf), len - strlen(buf), "  %.2fx vs sequential",
					 json_number_value(s));
			return;
		}
	}
	json_t *s0 = json_array_get(json_object_get(outcome, "samples"), 0);
	snprintf(buf, len, "%9.1f ms (1 rep)", json_number_value(json_object_get(s0, "real_ns")) / 1e6);
}

/* A resumed file keeps its measured cells; its error entries are dropped so
 * that those cells run again. */
static void mark_done_cells(json_t *doc, const struct cell *cells, int ncells, char *done)
{
	json_t *list = json_object_get(doc, "benchmarks"), *kept = json_array(), *x;
	size_t k;
	json_array_foreach(list, k, x) {
		if (json_is_true(json_object_get(x, "error_occurred")))
			continue;
		json_array_append(kept, x);
		const char *run = json_string_value(json_object_get(x, "run_name"));
		for (int i = 0; run && i < ncells; i++)
			if (!strcmp(cells[i].name, run))
				done[i] = 1;
	}
	json_object_set_new(doc, "benchmarks", kept);
	json_object_del(json_object_get(doc, "context"), "interrupted");
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
		fprintf(stderr, "cmbench: warning: floors not recorded: %s\n", e.msg);
		return;
	}
	if (json_is_true(json_object_get(floors, "cached")))
		fprintf(stderr, "cmbench: floors of this machine and build from the cache (cmbench "
				"limits measures them afresh)\n");
	else
		fprintf(stderr, "cmbench: floors measured in %.1f s\n",
			(double)(clock_now_ns() - start) / 1e9);
	json_object_set_new(context, "floors", floors);
}

/* Measure every cell not already in a resumed file; write results after each. */
static int run_matrix(struct run_cli *c, hwloc_topology_t topo, struct cell *cells, int ncells)
{
	char path[4096], latest[4096] = "";
	struct err e;
	char *done = calloc((size_t)ncells, 1); /* cells a resumed file already holds */
	struct journal journal = {.fd = -1};
	/* -o -: the results go to standard output once the run ends (no file,
	 * no journal); --csv - the CSV. Standard output then carries only that:
	 * the summary and the paths go to stderr with the progress. */
	int json_stdout = results_is_stdout(c->output);
	FILE *human = json_stdout || results_is_stdout(c->csv) ? stderr : stdout;
	if (c->resume || c->output) {
		snprintf(path, sizeof path, "%s", c->resume ? c->resume : c->output);
	} else {
		char stamp[32];
		time_t now = time(NULL);
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
		mkdir("results", 0755);
		snprintf(latest, sizeof latest, "results/latest.json");
		/* runs started in the same second each get a file: -2, -3, ... (the
		 * journal's lock claims the name against a concurrent run) */
		for (int k = 1;; k++) {
			if (k == 1)
				snprintf(path, sizeof path, "results/run-%s.json", stamp);
			else
				snprintf(path, sizeof path, "results/run-%s-%d.json", stamp, k);
			struct stat st;
			if (stat(path, &st) == 0)
				continue;
			if (journal_lock(&journal, path, &e) == 0)
				break;
			if (k == 1000) {
				fprintf(stderr, "cmbench run: %s\n", e.msg);
				free(done);
				return 2;
			}
		}
	}
	json_t *context = sysinfo_context(profile_name(c->opts.profile), options_json(c));
	json_object_set_new(context, "topology", topology_json(topo, c->topology));
	json_t *doc;
	int failed = 0, status = 0, write_failed = 0;
	/* the CSV must be writable and another file than the results, known now */
	if (results_is_stdout(c->csv))
		e.msg[0] = 0;
	else if (c->csv && safe_path_ok(c->csv, &e) == 0 && safe_same_file(c->csv, path))
		err_set(&e, "--csv %s is the results file %s itself (allowed: another file)", c->csv, path);
	else if (c->csv && safe_path_ok(c->csv, &e) < 0)
		;
	else
		e.msg[0] = 0;
	if (e.msg[0]) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		json_decref(context);
		doc = NULL;
		status = 2;
		goto out;
	}
	/* the lock first: a second run on the same file is refused before it writes */
	if (!json_stdout && journal.fd < 0 && journal_lock(&journal, path, &e) < 0) {
		fprintf(stderr, "cmbench run: %s\n", e.msg);
		json_decref(context);
		doc = NULL;
		status = 2;
		goto out;
	}
	if (c->resume) {
		doc = journal_load_for_resume(path, &e);
		if (!doc || journal_check_entries(doc, path, &e) < 0 ||
		    journal_options_match(json_object_get(doc, "context"), context, &e) < 0) {
			fprintf(stderr, "cmbench run: %s\n", e.msg);
			json_decref(context);
			status = 2;
			goto out;
		}
		json_decref(context);
		mark_done_cells(doc, cells, ncells, done);
	} else {
		doc = results_new(context);
	}
	/* find out now, not after an hour of measuring, that the results cannot be written */
	if (!json_stdout && (results_write(path, doc, &e) < 0 ||
			     journal_start(&journal, json_object_get(doc, "context"), &e) < 0)) {
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
	fprintf(stderr, "cmbench: %d cells, profile %s, %d reps + %d warm-up each, results in %s\n",
		ncells, profile_name(c->opts.profile), c->opts.reps, c->opts.warmup,
		json_stdout ? "standard output at the end" : path);
	double load_before = load_average_1min();
	if (load_before >= NOISE_LOADAVG_BEFORE_MAX)
		fprintf(stderr, "cmbench: warning: the machine is busy before the run (load average %.2f "
				"on %d CPUs): stop other jobs for times you can trust\n",
			load_before, sysinfo_num_cpus());
	record_floors(c, json_object_get(doc, "context"));
	if (c->opts.reps < 6)
		fprintf(stderr, "cmbench: note: with %d repetitions the median's interval is [min, max] "
				"at %.1f%% confidence; --reps 6 or more gives 95%%\n",
			c->opts.reps, 100 * (1 - 2 * ldexp(1, -c->opts.reps)));
	for (int i = 0; i < ncells; i++) {
		progress_cell_begin(i, cells[i].name);
		if (done[i]) {
			progress_cell_kept(cells[i].name, "kept from the resumed file");
			continue;
		}
		json_t *outcome = cell_run_isolated(&cells[i], &c->opts);
		if (!outcome) {
			progress_finish();
			int sig = cell_interrupted();
			fprintf(stderr, "cmbench: interrupted by signal %d; %d of %d cells were measured and "
					"are kept in %s\n", sig, i, ncells, path);
			json_object_set_new(json_object_get(doc, "context"), "interrupted", json_true());
			status = 128 + sig;
			break;
		}
		json_t *list = json_object_get(doc, "benchmarks");
		size_t before = json_array_size(list);
		results_add_cell(doc, &cells[i], outcome);
		json_t *added = json_array();
		for (size_t k = before; k < json_array_size(list); k++)
			json_array_append(added, json_array_get(list, k));
		if (!json_stdout && journal_append(&journal, cells[i].name, added, &e) < 0) {
			fprintf(stderr, "cmbench: %s\n", e.msg);
			write_failed = 1;
		}
		json_decref(added);
		results_compute_speedups(doc);
		if ((!json_stdout && results_write(path, doc, &e) < 0) ||
		    (latest[0] && results_write(latest, doc, &e) < 0)) {
			fprintf(stderr, "cmbench: %s\n", e.msg);
			write_failed = 1;
		}
		char outcome_text[700];
		cell_outcome(doc, cells[i].name, outcome, outcome_text, sizeof outcome_text);
		progress_cell_end(cells[i].name, outcome_text);
		print_cell_warnings(doc, cells[i].name);
		failed += json_object_get(outcome, "error") != NULL;
		json_decref(outcome);
		cell_reap_orphans();
		if (write_failed) {
			/* nothing more can be kept: stop, and keep what the journal holds */
			progress_finish();
			fprintf(stderr, "cmbench: stopped after %d of %d cells: the results cannot be "
					"written\n", i + 1, ncells);
			break;
		}
	}
	progress_finish();
	cell_reap_orphans();
	json_object_set_new(json_object_get(doc, "context"), "load_avg_after",
			    json_real(load_average_1min()));
	/* again: with load_avg_after (-o -: the only time, on stdout) */
	if (results_write(path, doc, &e) < 0) {
		fprintf(stderr, "cmbench: %s\n", e.msg);
		write_failed = 1;
	}
	/* the journal goes only once the results file is complete and written */
	journal_close(&journal, status == 0 && !write_failed);
	if (write_failed && json_stdout) {
		status = status ? status : 1; /* told above; no file, no journal */
	} else if (write_failed) {
		fprintf(stderr, "cmbench: %s is incomplete; every measured cell is kept in %s "
				"(continue with --resume %s)\n", path, journal.path, path);
		status = status ? status : 1;
	}
	if (!status) {
		fprintf(human, "\n");
		summary_print(human, doc);
	}
	if (latest[0] && results_write(latest, doc, &e) < 0)
		fprintf(stderr, "cmbench: %s\n", e.msg);
	if (c->csv && results_write_csv(c->csv, doc, &e) < 0) {
		fprintf(stderr, "cmbench: %s\n", e.msg);
		status = status ? status : 2;
	}
	fprintf(human, "\nresults: %s%s%s%s\n", json_stdout ? "standard output" : path,
		latest[0] ? " (and " : "", latest, latest[0] ? ")" : "");
	if (c->csv)
		fprintf(human, "csv: %s\n", results_is_stdout(c->csv) ? "standard output" : c->csv);
	if (failed)
		fprintf(stderr, "cmbench: %d of %d cells failed (see ERROR above); they are recorded with "
				"error_occurred in the results\n", failed, ncells);
	if (!status && failed)
		status = 1;
out:
	journal_close(&journal, 0);
	json_decref(doc);
	free(done);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct run_cli *c = calloc(1, sizeof *c);
	hwloc_topology_t topo = NULL;
	struct cell *cells = NULL;
	int ncells = 0, status = 2;
	int parsed = parse_cli(argc, argv, c);
	if (parsed == 1) { /* --help */
		status = 0;
		goto out;
	}
	if (parsed < 0 || !(topo = plan_bindings(c)) || !(cells = build_matrix(c, &ncells)))
		goto out;
	if (check_cells(c, cells, ncells) < 0)
		goto out;
	if (c->dry_run) {
		for (int i = 0; i < ncells; i++) {
			printf("%s\n", cells[i].name);
			if (cells[i].model->dry_run) {
				struct model_cell mc = model_cell_of(c, &cells[i]);
				cells[i].model->dry_run(&mc, stdout);
			}
		}
		status = 0;
		goto out;
	}
	status = run_matrix(c, topo, cells, ncells);
out:
	free(cells);
	free_bindings(c);
	if (topo)
		hwloc_topology_destroy(topo);
	for (int i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c);
	return status;
}
