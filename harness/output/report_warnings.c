/* report_warnings.c — what a reader must know before trusting the figures:
 * the statistics' warnings (noisy cells), cells that failed or were not
 * verified, and counters the machine could not count. */
#include <stdio.h>
#include <string.h>
#include "report.h"

enum { WARNINGS_MAX = 200 };

struct seen {
	char text[WARNINGS_MAX][320];
	size_t n;
	void (*emit)(void *arg, const char *text);
	void *arg;
};

static void add(struct seen *s, const char *text)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->text[i], text))
			return;
	if (s->n == WARNINGS_MAX)
		return;
	snprintf(s->text[s->n++], sizeof s->text[0], "%s", text);
	s->emit(s->arg, text);
}

/* `warnings`: an array of strings, or one string. */
static void add_warnings(struct seen *s, json_t *w)
{
	size_t i;
	json_t *v;
	if (json_is_string(w))
		add(s, json_string_value(w));
	json_array_foreach(w, i, v) {
		if (json_is_string(v))
			add(s, json_string_value(v));
	}
}

size_t report_warnings(json_t *results, const struct plot_cells *cs,
		       void (*emit)(void *arg, const char *text), void *arg)
{
	static struct seen s; /* large; the report is written once per process */
	memset(&s, 0, sizeof s);
	s.emit = emit;
	s.arg = arg;
	char line[320];
	add_warnings(&s, json_object_get(results, "warnings"));
	add_warnings(&s, json_object_get(json_object_get(results, "context"), "warnings"));
	size_t i;
	json_t *b;
	/* A cell's warnings are repeated on each of its entries and do not name
	 * the cell: name it, once. */
	json_array_foreach(json_object_get(results, "benchmarks"), i, b) {
		const char *rn = json_string_value(json_object_get(b, "run_name"));
		if (!rn)
			rn = json_string_value(json_object_get(b, "name"));
		size_t k;
		json_t *w, *list = json_object_get(b, "warnings");
		if (json_is_string(list)) {
			snprintf(line, sizeof line, "%s: %s", rn, json_string_value(list));
			add(&s, line);
		}
		json_array_foreach(list, k, w) {
			if (!json_is_string(w))
				continue;
			snprintf(line, sizeof line, "%s: %s", rn, json_string_value(w));
			add(&s, line);
		}
	}
	for (i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (c->error) {
			snprintf(line, sizeof line, "%s failed: %s", c->run_name, c->error);
			add(&s, line);
		} else if (c->entry && !c->verified) {
			snprintf(line, sizeof line, "%s: the answer was not verified", c->run_name);
			add(&s, line);
		}
	}
	json_array_foreach(json_object_get(results, "benchmarks"), i, b) {
		const char *counter;
		json_t *why;
		json_object_foreach(json_object_get(b, "counters_unsupported"), counter, why) {
			snprintf(line, sizeof line, "counter %s not counted: %s", counter,
				 json_is_string(why) ? json_string_value(why) : "unsupported");
			add(&s, line);
		}
	}
	return s.n;
}
