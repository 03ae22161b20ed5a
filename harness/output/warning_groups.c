/* warning_groups.c — cell warnings grouped by kind (warning_groups.h). */
#include <stdlib.h>
#include <string.h>
#include "warning_groups.h"

/* The kinds harness/system/noise.c writes, by a phrase of their text. */
static const struct {
	const char *phrase, *kind;
} kinds[] = {
	{"noisy: CV", "noisy (CV above 5%)"},
	{"repetitions are outliers", "outliers (IQR rule)"},
	{"other processes kept", "other processes busy during the cell"},
	{"the hypervisor took", "hypervisor steal"},
	{"of the run's speed at this cell's", "CPU speed away from the run's"},
};

struct group {
	char kind[96];
	char **cells;
	size_t n;
};

struct warning_groups {
	struct group *v;
	size_t n;
};

static void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		abort();
	return q;
}

const char *warning_kind(const char *warning, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strstr(warning, kinds[i].phrase))
			return kinds[i].kind;
	/* another text: its words up to the first ':' or ';' */
	size_t n = strcspn(warning, ":;");
	snprintf(buf, len, "%.*s", (int)(n < 60 ? n : 60), warning);
	return buf;
}

struct warning_groups *warning_groups_new(void)
{
	struct warning_groups *g = calloc(1, sizeof *g);
	if (!g)
		abort();
	return g;
}

void warning_groups_add(struct warning_groups *g, const char *cell, const char *warning)
{
	char buf[96];
	const char *kind = warning_kind(warning, buf, sizeof buf);
	struct group *gr = NULL;
	for (size_t i = 0; i < g->n && !gr; i++)
		if (!strcmp(g->v[i].kind, kind))
			gr = &g->v[i];
	if (!gr) {
		g->v = xrealloc(g->v, (g->n + 1) * sizeof *g->v);
		gr = &g->v[g->n++];
		memset(gr, 0, sizeof *gr);
		snprintf(gr->kind, sizeof gr->kind, "%s", kind);
	}
	for (size_t i = 0; i < gr->n; i++)
		if (!strcmp(gr->cells[i], cell))
			return;
	gr->cells = xrealloc(gr->cells, (gr->n + 1) * sizeof *gr->cells);
	gr->cells[gr->n] = strdup(cell);
	if (!gr->cells[gr->n++])
		abort();
}

size_t warning_groups_count(const struct warning_groups *g) { return g->n; }

/* As many of the group's cells as fit in `room` columns, then "(+N more)";
 * the number of cells named. */
static size_t list_cells(const struct group *gr, char *out, size_t size, size_t room)
{
	size_t at = 0, shown = 0;
	out[0] = 0;
	for (; shown < gr->n; shown++) {
		/* room for this name, its comma, and ", (+N more)" after it */
		char more[48] = "";
		if (shown + 1 < gr->n)
			snprintf(more, sizeof more, ", (+%zu more)", gr->n - shown - 1);
		size_t need = strlen(gr->cells[shown]) + (shown ? 2 : 0) + strlen(more);
		if (at + need > room)
			break;
		at += (size_t)snprintf(out + at, size - at, "%s%s", shown ? ", " : "", gr->cells[shown]);
	}
	if (shown < gr->n)
		snprintf(out + at, size - at, "%s(+%zu more)", shown ? ", " : "", gr->n - shown);
	return shown;
}

void warning_groups_print(FILE *f, const struct warning_groups *g, int cells)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct group *gr = &g->v[i];
		char head[WARNING_GROUPS_WIDTH + 1], list[WARNING_GROUPS_WIDTH + 1];
		int at = snprintf(head, sizeof head, "warning: %s in %zu of %d cell%s:", gr->kind, gr->n,
				  cells, cells == 1 ? "" : "s");
		size_t room = at + 1 < WARNING_GROUPS_WIDTH ? WARNING_GROUPS_WIDTH - (size_t)at - 1 : 0;
		if (list_cells(gr, list, sizeof list, room) > 0 || gr->n == 0) {
			fprintf(f, "%s %s\n", head, list);
			continue;
		}
		/* A long kind leaves no room for a cell name: the cells go on a line
		 * of their own, so that the warning still names one. */
		if (list_cells(gr, list, sizeof list, WARNING_GROUPS_WIDTH - 2) > 0)
			fprintf(f, "%s\n  %s\n", head, list);
		else /* no name fits even there: the count alone */
			fprintf(f, "%s %s\n", head, list);
	}
}

void warning_groups_free(struct warning_groups *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		for (size_t k = 0; k < g->v[i].n; k++)
			free(g->v[i].cells[k]);
		free(g->v[i].cells);
	}
	free(g->v);
	free(g);
}
