/* warning_groups.h — a run's cell warnings grouped by kind for the end of
 * the run: one line per kind naming the cells it affects, instead of one
 * line per warning per cell (a noisy machine made 80-100 such lines, most
 * the same advice). The full texts stay in the results (`warnings` on each
 * entry) and in the report.
 *
 *   warning: noisy (CV above 5%) in 3 of 126 cells: countdown/threads/workers:2,
 *            echo/gil/workers:4/gil=legacy, yield/processes/workers:2
 *
 * (one line each, cut to WARNING_GROUPS_WIDTH columns with ", (+N more)"). */
#pragma once
#include <stddef.h>
#include <stdio.h>

#define WARNING_GROUPS_WIDTH 100

struct warning_groups;

struct warning_groups *warning_groups_new(void);
/* One warning of one cell (a cell is counted once per kind). */
void warning_groups_add(struct warning_groups *g, const char *cell, const char *warning);
/* The kind a warning text belongs to: "noisy (CV above 5%)", ... */
const char *warning_kind(const char *warning, char *buf, size_t len);
/* One line per kind, in the order the kinds first appeared; `cells`: how
 * many cells the run had. Nothing when there are no warnings. */
void warning_groups_print(FILE *f, const struct warning_groups *g, int cells);
size_t warning_groups_count(const struct warning_groups *g); /* kinds */
void warning_groups_free(struct warning_groups *g);
