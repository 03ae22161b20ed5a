/* results_context.h — what charts and reports say about where a run happened,
 * read from a results file's `context`. */
#pragma once
#include <jansson.h>
#include <stddef.h>

/* The machine's physical cores, for the mark on speedup charts: the hwloc
 * topology's core count when the file has one, else num_cpus. *what says
 * which ("physical cores" or "CPUs"). 0 when the file says neither. */
int context_cores(json_t *ctx, const char **what);

/* One line for chart subtitles: "HOST · DATE TIME · profile P". */
void context_subtitle(json_t *ctx, char *buf, size_t len);
