/* report.c — what the report says, in reading order: where and how the run
 * happened, what to distrust, the overview, then each workload's speedup,
 * table and remaining charts, then the full machine description. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer_cells.h"
#include "report.h"
#include "results_context.h"

static int object_of_lists(json_t *v)
{
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x) {
		if (!json_is_array(x) && !json_is_string(x))
			return 0;
	}
	return 1;
}

/* hwloc's topology in one line: "1 package, 2 cores, 2 PUs, 1 NUMA node;
 * L3 32 MiB shared by 2 PUs". */
static void topology_text(json_t *topo, char *buf, size_t len)
{
	static const char *const parts[][3] = {{"packages", "package", "packages"},
					       {"cores", "core", "cores"},
					       {"pus", "PU", "PUs"},
					       {"numa_nodes", "NUMA node", "NUMA nodes"}};
	size_t at = 0, i;
	buf[0] = '\0';
	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		json_t *n = json_object_get(topo, parts[i][0]);
		if (json_is_integer(n) && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%lld %s", at ? ", " : "",
					       (long long)json_integer_value(n),
					       json_integer_value(n) == 1 ? parts[i][1] : parts[i][2]);
	}
	json_t *cache;
	json_array_foreach(json_object_get(topo, "caches"), i, cache) {
		json_t *level = json_object_get(cache, "level"), *size = json_object_get(cache, "size");
		json_t *type = json_object_get(cache, "type"), *sharing = json_object_get(cache, "pus_sharing");
		if (!json_is_integer(level) || !json_is_integer(size) || at >= len)
			continue;
		double kib = (double)json_integer_value(size) / 1024;
		at += (size_t)snprintf(buf + at, len - at, "%sL%lld%s %g %s", i ? ", " : "; ",
				       (long long)json_integer_value(level),
				       json_is_string(type) && !strcmp(json_string_value(type), "instruction") ? "i"
				       : json_is_string(type) && !strcmp(json_string_value(type), "data") ? "d" : "",
				       kib >= 1024 ? kib / 1024 : kib, kib >= 1024 ? "MiB" : "KiB");
		if (json_is_integer(sharing) && json_integer_value(sharing) > 1 && at < len)
			at += (size_t)snprintf(buf + at, len - at, " (shared by %lld PUs)",
					       (long long)json_integer_value(sharing));
	}
	json_t *note = json_object_get(topo, "binding_note");
	if (json_is_string(note) && at < len)
		snprintf(buf + at, len - at, "; %s", json_string_value(note));
}

/* A context value as text: strings as they are, numbers and booleans
 * printed, arrays joined with ", ", objects as compact JSON. */
static void value_text(json_t *v, char *buf, size_t len)
{
	buf[0] = '\0';
	if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(buf, len, "%g", json_real_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(buf, len, "%s", json_is_true(v) ? "yes" : "no");
	} else if (json_is_array(v) && !json_is_object(json_array_get(v, 0))) {
		size_t i, at = 0;
		json_t *x;
		json_array_foreach(v, i, x) {
			char item[128];
			value_text(x, item, sizeof item);
			at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s", i ? ", " : "",
					       item);
			if (at >= len)
				break;
		}
	} else if (json_is_object(v) && object_of_lists(v)) {
		/* run options' params: {"gil": ["legacy", "modern"]} reads gil=legacy,modern */
		const char *key;
		json_t *x;
		size_t at = 0;
		json_object_foreach(v, key, x) {
			char list[256];
			value_text(x, list, sizeof list);
			for (char *p = list; (p = strstr(p, ", ")); memmove(p + 1, p + 2, strlen(p + 2) + 1))
				;
			at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s=%s",
					       at ? "; " : "", key, list);
			if (at >= len)
				break;
		}
	} else if (v) {
		char *dump = json_dumps(v, JSON_COMPACT);
		snprintf(buf, len, "%s", dump ? dump : "");
		free(dump);
	}
}

static void row2(struct doc *d, const char *what, const char *text)
{
	const char *row[2] = {what, text};
	if (text && *text)
		d->ops->table_row(d, row);
}

static void context_table(struct doc *d, json_t *ctx)
{
	static const char *const headers[2] = {"", ""};
	char a[512], b[512], line[1100];
	const char *what;
	int cores = context_cores(ctx, &what);
	d->ops->table_begin(d, 2, headers, "ll");
	value_text(json_object_get(ctx, "host_name"), a, sizeof a);
	value_text(json_object_get(ctx, "num_cpus"), b, sizeof b);
	snprintf(line, sizeof line, "%s: %s CPUs, %d %s", a, b, cores, what);
	if (json_is_string(json_object_get(ctx, "cpu_model")))
		snprintf(line + strlen(line), sizeof line - strlen(line), " (%s)",
			 json_string_value(json_object_get(ctx, "cpu_model")));
	row2(d, "machine", line);
	json_t *kernel = json_object_get(ctx, "kernel"), *virt = json_object_get(ctx, "virtualization");
	if (json_is_object(kernel) || json_is_object(virt)) {
		const char *hv = json_string_value(json_object_get(virt, "hypervisor"));
		const char *box = json_string_value(json_object_get(virt, "container"));
		snprintf(line, sizeof line, "%s %s %s%s%s%s%s",
			 json_string_value(json_object_get(kernel, "sysname")) ?: "",
			 json_string_value(json_object_get(kernel, "release")) ?: "",
			 json_string_value(json_object_get(kernel, "machine")) ?: "",
			 json_is_true(json_object_get(virt, "virtualised")) ? "; virtual machine" : "",
			 hv ? " (" : "", hv ? hv : "", hv ? ")" : "");
		if (box)
			snprintf(line + strlen(line), sizeof line - strlen(line), "; container %s", box);
		row2(d, "system", line);
	}
	value_text(json_object_get(ctx, "mhz_per_cpu"), a, sizeof a);
	value_text(json_object_get(ctx, "load_avg"), b, sizeof b);
	snprintf(line, sizeof line, "%s MHz; load average at start %s", a, b);
	row2(d, "clock and load", line);
	topology_text(json_object_get(ctx, "topology"), a, sizeof a);
	row2(d, "topology", a);
	value_text(json_object_get(ctx, "cmbench_version"), a, sizeof a);
	value_text(json_object_get(ctx, "git_revision"), b, sizeof b);
	snprintf(line, sizeof line, "cmbench %s (git %s)", a, b);
	row2(d, "program", line);
	value_text(json_object_get(ctx, "compiler"), a, sizeof a);
	value_text(json_object_get(ctx, "c_flags"), b, sizeof b);
	snprintf(line, sizeof line, strspn(b, " ") == strlen(b) ? "%s" : "%s, flags %s", a, b);
	row2(d, "compiler", line);
	value_text(json_object_get(ctx, "build_type"), a, sizeof a);
	row2(d, "build type", a);
	json_t *opts = json_object_get(ctx, "options");
	static const char *const opt_names[] = {"workloads", "models", "workers", "reps", "warmup",
						"params"};
	for (size_t i = 0; i < sizeof opt_names / sizeof opt_names[0]; i++) {
		value_text(json_object_get(opts, opt_names[i]), a, sizeof a);
		row2(d, opt_names[i], a);
	}
	d->ops->table_end(d);
}

/* Every context field, for the appendix. */
static void context_full(struct doc *d, json_t *ctx)
{
	static const char *const headers[2] = {"field", "value"};
	const char *key;
	json_t *v;
	char text[1024];
	d->ops->table_begin(d, 2, headers, "ll");
	json_object_foreach(ctx, key, v) {
		value_text(v, text, sizeof text);
		row2(d, key, text);
	}
	d->ops->table_end(d);
}

static const struct chart_kind *kind_of(const struct plot_made *m)
{
	for (const struct chart_kind *k = chart_kinds; k->name; k++)
		if (!strcmp(k->name, m->kind))
			return k;
	return NULL;
}

static void charts_of(struct doc *d, const struct plot_set *charts, const char *workload,
		      const char *only_kind, const char *skip_kind)
{
	for (size_t i = 0; i < charts->n; i++) {
		const struct plot_made *m = &charts->v[i];
		int same = workload ? m->workload && !strcmp(m->workload, workload) : !m->workload;
		if (!same || (only_kind && strcmp(m->kind, only_kind)) ||
		    (skip_kind && !strcmp(m->kind, skip_kind)))
			continue;
		const struct chart_kind *k = kind_of(m);
		d->ops->chart(d, m->name, m->title, k ? k->caption : "");
	}
}

/* The top of the report shows the first few warnings; all of them are listed
 * at the end, so that a noisy run does not push the charts out of sight. */
enum { WARNINGS_AT_TOP = 6 };

struct warning_list {
	struct doc *d;
	size_t shown, limit;
};

static void emit_warning(void *arg, const char *text)
{
	struct warning_list *w = arg;
	if (w->shown++ < w->limit)
		w->d->ops->list_item(w->d, text);
}

static size_t count_failed(const struct plot_cells *cs)
{
	size_t n = 0;
	for (size_t i = 0; i < cs->n; i++)
		n += cs->v[i].error != NULL;
	return n;
}

/* The answer (answer.h): per workload the best model at each worker count,
 * one table per workload under its line. */
struct answer_doc {
	struct doc *d;
	int open;
};

static void answer_to_doc(void *arg, const char *workload_line, const char *workers,
			  const char *model, const char *text)
{
	struct answer_doc *a = arg;
	if (workload_line) {
		if (a->open)
			a->d->ops->table_end(a->d);
		static const char *const headers[] = {"workers", "best", "by how much"};
		a->d->ops->paragraph(a->d, workload_line);
		a->d->ops->table_begin(a->d, 3, headers, "lll");
		a->open = 1;
		return;
	}
	const char *cells[] = {workers, model, text};
	a->d->ops->table_row(a->d, cells);
}

static void report_answer(struct doc *d, const struct plot_cells *cs)
{
	struct answer_rows *rows = answer_rows_from_cells(cs);
	struct answer_doc a = {d, 0};
	if (rows->n)
		d->ops->heading(d, 1, "The answer");
	answer_each(rows->v, rows->n, answer_to_doc, &a);
	if (a.open)
		d->ops->table_end(d);
	answer_rows_free(rows);
}

void report_write(struct doc *d, const struct report_input *in)
{
	json_t *ctx = json_object_get(in->results, "context");
	const struct plot_cells *cs = in->cells;
	char title[256], sub[512], host[128];
	value_text(json_object_get(ctx, "host_name"), host, sizeof host);
	snprintf(title, sizeof title, "cmbench report: %s", host[0] ? host : "unknown host");
	context_subtitle(ctx, sub, sizeof sub);
	size_t failed = count_failed(cs);
	size_t len = strlen(sub);
	snprintf(sub + len, sizeof sub - len, " · %zu cells%s · from %s", cs->n,
		 failed ? " (some failed)" : "", in->results_path);
	d->ops->begin(d, title, sub);

	d->ops->heading(d, 1, "Context");
	context_table(d, ctx);

	d->ops->heading(d, 1, "Warnings");
	struct warning_list top = {d, 0, WARNINGS_AT_TOP};
	size_t nwarnings = report_warnings(in->results, cs, emit_warning, &top);
	if (!nwarnings)
		d->ops->paragraph(d, "None recorded in the results file: every cell ran and was verified.");
	if (nwarnings > WARNINGS_AT_TOP) {
		char more[160];
		snprintf(more, sizeof more, "… and %zu more: all %zu are listed under \"All warnings\" "
			 "at the end.", nwarnings - WARNINGS_AT_TOP, nwarnings);
		d->ops->paragraph(d, more);
	}

	report_answer(d, cs);

	d->ops->heading(d, 1, "At a glance");
	d->ops->paragraph(d, "Speedup over running every task on one thread, for each model at the "
			     "largest number of workers measured, for the workloads whose total work "
			     "is fixed (it is split among the workers). Workloads where each worker "
			     "adds its own work (I/O, sleeps, switches) have no speedup: their "
			     "sections show throughput and latency. Each workload's section below "
			     "shows how it got there.");
	charts_of(d, in->charts, NULL, NULL, NULL);

	for (size_t w = 0; w < cs->nworkloads; w++) {
		const char *wl = cs->workloads[w];
		char heading[160];
		snprintf(heading, sizeof heading, "Workload %s", wl);
		d->ops->heading(d, 1, heading);
		charts_of(d, in->charts, wl, "speedup", NULL);
		report_summary_table(d, cs, wl);
		charts_of(d, in->charts, wl, NULL, "speedup");
		report_object_table(d, cs, wl, "model_stats", "Model statistics (median repetition)");
		report_object_table(d, cs, wl, "workload_stats", "Workload figures (median repetition)");
		report_object_table(d, cs, wl, "counters", "Kernel counters (median repetition)");
	}
	report_gil_policies(d, cs);
	report_floors(d, ctx, cs);
	if (nwarnings > WARNINGS_AT_TOP) {
		struct warning_list all = {d, 0, (size_t)-1};
		d->ops->heading(d, 1, "All warnings");
		report_warnings(in->results, cs, emit_warning, &all);
	}
	d->ops->heading(d, 1, "Machine, topology and build (every context field)");
	context_full(d, ctx);
	d->ops->end(d);
}
