/* plot_extract.h — what each chart takes from the cells. An extractor writes
 * the chart's data file and variables through plot_chart.h; a chart whose
 * extractor wrote no point is not drawn ("each chart appears when its data
 * exists"). ctx is the results file's context. */
#pragma once
#include <jansson.h>
#include "plot_chart.h"

typedef void (*chart_extract_fn)(struct chart *ch, const struct plot_cells *cs, json_t *ctx);

/* plot_extract_scaling.c */
void extract_overview(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
void extract_speedup(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
void extract_efficiency(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
void extract_time(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
/* plot_extract_gil.c */
void extract_gil_switches(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
void extract_gil_wait(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
/* plot_extract_io.c */
void extract_io_throughput(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
void extract_io_latency(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
void extract_memory(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
/* plot_extract_counters.c */
void extract_context_switches(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
void extract_futex(struct chart *ch, const struct plot_cells *cs, json_t *ctx);

/* The workers axis variables (xmin, xmax, xtics_list) of a line chart. */
void chart_set_workers_axis(struct chart *ch);
