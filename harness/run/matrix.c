/* matrix.c — the cells of a run from the command line's lists (matrix.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "matrix.h"
#include "strict_number.h"

static void *grow(void *p, size_t n, size_t size)
{
	void *q = realloc(p, (n ? n : 1) * size);
	if (!q)
		abort();
	return q;
}

static char *dup_text(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

/* Split a comma list into a new array of new strings; an empty list or item,
 * or more than MATRIX_LIST_MAX items, is an error. */
static int split_list(const char *what, const char *text, char ***out, struct err *e)
{
	char *copy = dup_text(text), **items = NULL;
	int n = 0;
	const char *p = copy;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0) {
			err_set(e, "%s '%s' has an empty item (allowed: a comma list of values)", what, text);
			goto fail;
		}
		if (n == MATRIX_LIST_MAX) {
			err_set(e, "%s has more than %d items in all (allowed: 1 to %d)", what,
				MATRIX_LIST_MAX, MATRIX_LIST_MAX);
			goto fail;
		}
		items = grow(items, (size_t)n + 1, sizeof *items);
		items[n] = strndup(p, len);
		if (!items[n++])
			abort();
		if (!end)
			break;
		p = end + 1;
	}
	free(copy);
	*out = items;
	return n;
fail:
	for (int i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(copy);
	return -1;
}

static void free_list(char **items, int n)
{
	for (int i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static int room(const char *what, int have, int more, struct err *e)
{
	if (have + more > MATRIX_LIST_MAX)
		return err_set(e, "%s has more than %d items in all (allowed: 1 to %d)", what,
			       MATRIX_LIST_MAX, MATRIX_LIST_MAX);
	return 0;
}

static void names_of(char *buf, size_t len, int benches)
{
	buf[0] = 0;
	for (int i = 0; benches ? bench_registry[i] != NULL : model_registry[i] != NULL; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
			 benches ? bench_registry[i]->name : model_registry[i]->name);
}

int matrix_add_workloads(struct matrix_spec *m, const char *list, struct err *e)
{
	char **items, names[1024];
	int n = split_list("-w", list, &items, e), rc = 0;
	if (n < 0 || room("-w", m->nbenches, n, e) < 0)
		rc = -1;
	for (int i = 0; (rc == 0 || rc == MATRIX_DUPLICATE) && i < n; i++) {
		const struct bench *b = bench_find(items[i]);
		if (!b) {
			names_of(names, sizeof names, 1);
			rc = err_set(e, "unknown workload '%s' (allowed: %s)", items[i], names);
			break;
		}
		for (int k = 0; k < m->nbenches && rc == 0; k++)
			if (m->benches[k] == b) {
				err_set(e, "-w: workload '%s' is given twice (allowed: each once)", items[i]);
				rc = MATRIX_DUPLICATE;
			}
		m->benches = grow(m->benches, (size_t)m->nbenches + 1, sizeof *m->benches);
		m->benches[m->nbenches++] = b;
	}
	if (n > 0)
		free_list(items, n);
	return rc;
}

int matrix_add_models(struct matrix_spec *m, const char *list, struct err *e)
{
	char **items, names[1024];
	int n = split_list("-m", list, &items, e), rc = 0;
	if (n < 0 || room("-m", m->nmodels, n, e) < 0)
		rc = -1;
	for (int i = 0; (rc == 0 || rc == MATRIX_DUPLICATE) && i < n; i++) {
		const struct model *x = model_find(items[i]);
		if (!x) {
			names_of(names, sizeof names, 0);
			rc = err_set(e, "unknown model '%s' (allowed: %s)", items[i], names);
			break;
		}
		const char *why = x->unavailable ? x->unavailable() : NULL;
		if (why) {
			rc = err_set(e, "model %s is unavailable: %s", x->name, why);
			break;
		}
		for (int k = 0; k < m->nmodels && rc == 0; k++)
			if (m->models[k] == x) {
				err_set(e, "-m: model '%s' is given twice (allowed: each once)", items[i]);
				rc = MATRIX_DUPLICATE;
			}
		m->models = grow(m->models, (size_t)m->nmodels + 1, sizeof *m->models);
		m->models[m->nmodels++] = x;
	}
	if (n > 0)
		free_list(items, n);
	return rc;
}

int matrix_add_workers(struct matrix_spec *m, const char *list, struct err *e)
{
	char **items;
	int n = split_list("-n", list, &items, e), rc = 0;
	if (n < 0 || room("-n", m->nworkers, n, e) < 0)
		rc = -1;
	for (int i = 0; (rc == 0 || rc == MATRIX_DUPLICATE) && i < n; i++) {
		long v;
		if (strict_long(items[i], 1, 100000, &v) < 0) {
			rc = err_set(e, "-n '%s' is not allowed (allowed: an integer from 1 to 100000, "
					"decimal digits only)", items[i]);
			break;
		}
		for (int k = 0; k < m->nworkers && rc == 0; k++)
			if (m->workers[k] == v) {
				err_set(e, "-n: %ld workers is given twice (allowed: each count once)", v);
				rc = MATRIX_DUPLICATE;
			}
		m->workers = grow(m->workers, (size_t)m->nworkers + 1, sizeof *m->workers);
		m->workers[m->nworkers++] = (int)v;
	}
	if (n > 0)
		free_list(items, n);
	return rc;
}

int matrix_add_pins(struct matrix_spec *m, const char *list, struct err *e)
{
	int left = MATRIX_LIST_MAX - m->npins;
	struct pin_policy *got = grow(NULL, (size_t)left + 1, sizeof *got);
	int n = pin_policy_list_parse(list, got, left, e), rc = n < 0 ? -1 : 0;
	for (int i = 0; (rc == 0 || rc == MATRIX_DUPLICATE) && i < n; i++) {
		for (int k = 0; k < m->npins && rc == 0; k++)
			if (!strcmp(m->pins[k].text, got[i].text)) {
				err_set(e, "--pin: '%s' is given twice (allowed: each policy once)",
					got[i].text);
				rc = MATRIX_DUPLICATE;
			}
		m->pins = grow(m->pins, (size_t)m->npins + 1, sizeof *m->pins);
		m->pins[m->npins++] = got[i];
	}
	free(got);
	return rc;
}

int matrix_add_param(struct matrix_spec *m, const char *arg, struct err *e)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return err_set(e, "--param '%s' is not KEY=VALUE", arg);
	char *name = strndup(arg, (size_t)(eq - arg)), *scope = NULL, *key = name;
	if (!name)
		abort();
	char *colon = strchr(name, ':');
	if (colon) { /* SCOPE:KEY=VALUE */
		*colon = 0;
		scope = name;
		key = colon + 1;
		if (!bench_find(scope) && !model_find(scope)) {
			err_set(e, "--param %s:%s: '%s' is not a workload or model (allowed: "
				   "SCOPE:KEY=VALUE with SCOPE a name from cmbench list)", scope, key, scope);
			free(name);
			return -1;
		}
	}
	for (int i = 0; i < m->nparams; i++)
		if (!strcmp(m->params[i].key, key) &&
		    ((!scope && !m->params[i].scope) ||
		     (scope && m->params[i].scope && !strcmp(m->params[i].scope, scope)))) {
			err_set(e, "--param %s given twice (use a comma list to sweep)", key);
			free(name);
			return -1;
		}
	if (m->nparams == PARAMS_MAX) {
		free(name);
		return err_set(e, "more than %d --param options", PARAMS_MAX);
	}
	char what[100], **values;
	snprintf(what, sizeof what, "--param %s", key);
	int n = split_list(what, eq + 1, &values, e);
	for (int i = 0; n > 0 && i < n; i++)
		for (int k = 0; k < i; k++)
			if (!strcmp(values[i], values[k])) {
				err_set(e, "--param %s: value '%s' is given twice (allowed: each once)", key,
					values[i]);
				free_list(values, n);
				n = -1;
				break;
			}
	if (n < 0) {
		free(name);
		return -1;
	}
	m->params = grow(m->params, (size_t)m->nparams + 1, sizeof *m->params);
	struct swept_param *p = &m->params[m->nparams++];
	p->scope = scope ? dup_text(scope) : NULL;
	p->key = dup_text(key);
	p->values = values;
	p->n = n;
	free(name);
	return 0;
}

void matrix_defaults(struct matrix_spec *m, int max_workers)
{
	if (!m->nbenches) /* the default set: workloads that take any number of tasks,
			   * not marked on_request */
		for (int i = 0; bench_registry[i]; i++)
			if (!bench_registry[i]->tasks_exactly && !bench_registry[i]->on_request) {
				m->benches = grow(m->benches, (size_t)m->nbenches + 1, sizeof *m->benches);
				m->benches[m->nbenches++] = bench_registry[i];
			}
	if (!m->nmodels) /* the default set: what needs no request and can run here */
		for (int i = 0; model_registry[i]; i++)
			if (!(model_registry[i]->flags & MODEL_ON_REQUEST) &&
			    !(model_registry[i]->unavailable && model_registry[i]->unavailable())) {
				m->models = grow(m->models, (size_t)m->nmodels + 1, sizeof *m->models);
				m->models[m->nmodels++] = model_registry[i];
			}
	if (!m->npins)
		matrix_add_pins(m, "none", NULL);
	if (!m->nworkers) {
		for (int w = 1; w <= max_workers; w *= 2) {
			m->workers = grow(m->workers, (size_t)m->nworkers + 1, sizeof *m->workers);
			m->workers[m->nworkers++] = w;
		}
		if (!m->nworkers || m->workers[m->nworkers - 1] != max_workers) {
			m->workers = grow(m->workers, (size_t)m->nworkers + 1, sizeof *m->workers);
			m->workers[m->nworkers++] = max_workers;
		}
	}
	if (m->tasks_per_worker < 1)
		m->tasks_per_worker = 1;
}

int matrix_check_tasks(const struct matrix_spec *m, struct err *e)
{
	for (int w = 0; w < m->nworkers; w++) /* in checked arithmetic */
		if ((long long)m->workers[w] * m->tasks_per_worker > MATRIX_TASKS_MAX)
			return err_set(e, "-n %d x --tasks-per-worker %d = %lld tasks (allowed: at most "
					  "%d tasks per cell)", m->workers[w], m->tasks_per_worker,
				       (long long)m->workers[w] * m->tasks_per_worker, MATRIX_TASKS_MAX);
	return 0;
}

/* Does --param number i apply to cells of this workload and model? A scoped
 * value (gil:n=...) takes precedence over an unscoped one for its cells. */
static int param_applies(const struct matrix_spec *m, int i, const struct bench *b,
			 const struct model *x)
{
	const struct swept_param *p = &m->params[i];
	if (!param_spec_find(b->params, p->key) && !param_spec_find(x->params, p->key))
		return 0;
	if (p->scope)
		return !strcmp(p->scope, b->name) || !strcmp(p->scope, x->name);
	for (int k = 0; k < m->nparams; k++)
		if (k != i && m->params[k].scope && !strcmp(m->params[k].key, p->key) &&
		    (!strcmp(m->params[k].scope, b->name) || !strcmp(m->params[k].scope, x->name)))
			return 0;
	return 1;
}

static const struct param_spec *specs_of(const struct matrix_spec *m, int k)
{
	return k < m->nbenches ? m->benches[k]->params : m->models[k - m->nbenches]->params;
}

static const char *owner_of(const struct matrix_spec *m, int k)
{
	return k < m->nbenches ? m->benches[k]->name : m->models[k - m->nbenches]->name;
}

/* Where a scoped value goes in the cells of its scope: to the scope's own
 * parameter when it has the key (race:lock= is race's lock, not the gil
 * model's), else to the other side's (gil:n= is the workload's n in the gil
 * cells: what `make bench` gives them). */
static int scope_has_key(const struct swept_param *p)
{
	const struct bench *sb = bench_find(p->scope);
	const struct model *sm = model_find(p->scope);
	return (sb && param_spec_find(sb->params, p->key)) || (sm && param_spec_find(sm->params, p->key));
}

/* Is the k-th selected workload or model a target of scoped value p? */
static int scoped_target(const struct matrix_spec *m, const struct swept_param *p, int k)
{
	if (scope_has_key(p))
		return !strcmp(p->scope, owner_of(m, k));
	int scope_is_bench = bench_find(p->scope) != NULL, selected = 0;
	for (int j = scope_is_bench ? 0 : m->nbenches;
	     j < (scope_is_bench ? m->nbenches : m->nbenches + m->nmodels); j++)
		selected |= !strcmp(p->scope, owner_of(m, j));
	return selected && (k < m->nbenches) != scope_is_bench;
}

static void names_of_params(const struct param_spec *specs, char *known, size_t len)
{
	for (const struct param_spec *s = specs; s && s->name; s++)
		if (!strstr(known, s->name))
			snprintf(known + strlen(known), len - strlen(known), "%s%s", known[0] ? ", " : "",
				 s->name);
}

int matrix_check_params(const struct matrix_spec *m, struct err *e)
{
	for (int i = 0; i < m->nparams; i++) {
		const struct swept_param *p = &m->params[i];
		int declared = 0;
		for (int k = 0; k < m->nbenches + m->nmodels; k++) {
			const struct param_spec *s = param_spec_find(specs_of(m, k), p->key);
			/* A scoped value is checked only against where it goes: the gil
			 * model's lock= does not forbid race:lock=none. */
			if (!s || (p->scope && !scoped_target(m, p, k)))
				continue;
			declared = 1;
			for (int v = 0; v < p->n; v++) {
				struct param_value pv;
				if (param_parse_value(s, p->values[v], &pv, e) < 0)
					return -1;
			}
		}
		char known[1024] = "";
		if (!declared && p->scope && !scope_has_key(p)) { /* it would apply to nothing */
			const struct bench *sb = bench_find(p->scope);
			names_of_params(sb ? sb->params : model_find(p->scope)->params, known, sizeof known);
			return err_set(e, "--param %s:%s: %s has no parameter '%s', nor has any selected %s "
					  "(allowed: %s)", p->scope, p->key, p->scope, p->key,
				       sb ? "model" : "workload", known[0] ? known : "none");
		}
		if (!declared) {
			for (int k = 0; k < m->nbenches + m->nmodels; k++)
				names_of_params(specs_of(m, k), known, sizeof known);
			return err_set(e, "unknown --param '%s' for the selected workloads and models "
					  "(allowed: %s)", p->key, known[0] ? known : "none");
		}
	}
	return 0;
}

int matrix_plan_bindings(struct matrix_spec *m, hwloc_topology_t topo, const char **not_applied,
			 struct err *e)
{
	*not_applied = NULL;
	m->bindings = calloc((size_t)(m->npins * m->nworkers) + 1, sizeof *m->bindings);
	if (!m->bindings)
		abort();
	for (int p = 0; p < m->npins; p++)
		for (int w = 0; w < m->nworkers; w++) {
			struct binding *b = binding_plan(topo, &m->pins[p], m->workers[w], e);
			if (!b)
				return -1;
			m->bindings[p * m->nworkers + w] = b;
			if (binding_skip_reason(b))
				*not_applied = binding_skip_reason(b);
		}
	return 0;
}

/* Set the profile's defaults, then the swept values picked by `combo`. */
static int cell_params(const struct matrix_spec *m, const struct bench *b, const struct model *x,
		       const struct param_spec *specs, const int *combo, struct params *out,
		       char *name, size_t name_len, struct err *e)
{
	if (params_defaults(out, specs, m->profile, e) < 0)
		return -1;
	for (int i = 0; i < m->nparams; i++) {
		if (!param_spec_find(specs, m->params[i].key) || !param_applies(m, i, b, x))
			continue;
		/* A scoped value goes to its scope's own parameter if it has one. */
		const char *owner = specs == b->params ? b->name : x->name;
		if (m->params[i].scope && strcmp(m->params[i].scope, owner) && scope_has_key(&m->params[i]))
			continue;
		const char *val = m->params[i].values[combo[i]];
		if (params_set(out, m->params[i].key, val, e) < 0)
			return -1;
		size_t at = strlen(name);
		if (snprintf(name + at, name_len - at, "/%s=%s", m->params[i].key, val) >= (int)(name_len - at))
			/* cut, two cells could share a name: refused, never truncated */
			return err_set(e, "the cell name %s/%s/...%s would be longer than %zu bytes "
					  "(allowed: shorter --param values)", b->name, x->name, name,
				       name_len - 1);
	}
	return 0;
}

static int fill_cell(const struct matrix_spec *m, const struct bench *bench, const struct model *model,
		     const int *combo, int w, int pin, struct cell *x, struct err *e)
{
	memset(x, 0, sizeof *x);
	x->bench = bench;
	x->model = model;
	x->workers = m->workers[w];
	x->ntasks = m->workers[w] * m->tasks_per_worker;
	char suffix[400] = "";
	if (cell_params(m, bench, model, bench->params, combo, &x->bench_params, suffix, sizeof suffix, e) < 0 ||
	    cell_params(m, bench, model, model->params, combo, &x->model_params, suffix, sizeof suffix, e) < 0 ||
	    (model->derive && model->derive(&x->model_params, e) < 0))
		return -1;
	x->binding = m->bindings ? m->bindings[pin * m->nworkers + w] : NULL;
	char pin_part[PIN_TEXT_MAX + 8] = "";
	if (m->pins[pin].kind != PIN_NONE)
		snprintf(pin_part, sizeof pin_part, "/pin:%s", m->pins[pin].text);
	if (snprintf(x->name, sizeof x->name, "%s/%s/workers:%d%s%s", bench->name, model->name,
		     x->workers, pin_part, suffix) >= (int)sizeof x->name)
		return err_set(e, "cell name too long: %.80s... (allowed: %zu characters)", x->name,
			       sizeof x->name - 1);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct cell *matrix_build(const struct matrix_spec *m, int *ncells, struct err *e)
{
	size_t cap = 64, n = 0;
	struct cell *cells = grow(NULL, cap, sizeof *cells);
	for (int b = 0; b < m->nbenches; b++)
		for (int x = 0; x < m->nmodels; x++) {
			const struct bench *bench = m->benches[b];
			const struct model *model = m->models[x];
			/* mixed-radix counter over the params this pair declares */
			int combo[PARAMS_MAX] = {0};
			for (;;) {
				for (int w = 0; w < m->nworkers; w++)
					for (int pin = 0; pin < m->npins; pin++) {
						if (n == MATRIX_CELLS_MAX) {
							err_set(e, "the matrix has more than %d cells (allowed: "
								   "up to %d; run it in parts)",
								MATRIX_CELLS_MAX, MATRIX_CELLS_MAX);
							goto fail;
						}
						if (n == cap)
							cells = grow(cells, cap *= 2, sizeof *cells);
						if (fill_cell(m, bench, model, combo, w, pin, &cells[n], e) < 0)
							goto fail;
						n++;
					}
				int i = 0;
				for (; i < m->nparams; i++) {
					if (param_applies(m, i, bench, model) && ++combo[i] < m->params[i].n)
						break;
					combo[i] = 0;
				}
				if (i == m->nparams)
					break;
			}
		}
	/* Lists hold no duplicate; a name may still repeat (e.g. a --param both
	 * scoped and unscoped that lands on the same value). */
	const char **names = grow(NULL, n, sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = cells[i].name;
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(names[i], names[i - 1])) {
			err_set(e, "cell %s would be measured twice (allowed: each cell once)", names[i]);
			free(names);
			goto fail;
		}
	free(names);
	*ncells = (int)n;
	return cells;
fail:
	free(cells);
	return NULL;
}

struct model_cell matrix_model_cell(const struct cell *x, const char *cache_dir)
{
	return (struct model_cell){.bench = x->bench, .bench_params = &x->bench_params,
				   .model_params = &x->model_params, .workers = x->workers,
				   .ntasks = x->ntasks, .binding = x->binding, .cache_dir = cache_dir};
}

int matrix_check_cells(const struct cell *cells, int ncells, const char *cache_dir, struct err *e)
{
	for (int i = 0; i < ncells; i++) {
		int exactly = cells[i].bench->tasks_exactly;
		if (exactly && cells[i].ntasks != exactly)
			return err_set(e, "%s needs exactly %d tasks, one per worker: -n %d with "
					  "--tasks-per-worker 1 (got %d tasks)", cells[i].bench->name,
				       exactly, exactly, cells[i].ntasks);
		if (!cells[i].model->check)
			continue;
		struct model_cell mc = matrix_model_cell(&cells[i], cache_dir);
		if (cells[i].model->check(&mc, e) < 0)
			return -1;
	}
	return 0;
}

void matrix_free(struct matrix_spec *m)
{
	for (int i = 0; m->bindings && i < m->npins * m->nworkers; i++)
		binding_free(m->bindings[i]);
	free(m->bindings);
	free(m->benches);
	free(m->models);
	free(m->workers);
	free(m->pins);
	for (int i = 0; i < m->nparams; i++) {
		free(m->params[i].scope);
		free(m->params[i].key);
		free_list(m->params[i].values, m->params[i].n);
	}
	free(m->params);
	memset(m, 0, sizeof *m);
}
