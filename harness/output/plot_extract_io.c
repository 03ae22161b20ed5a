/* plot_extract_io.c — I/O workloads (those whose workload_stats carry a rate):
 * throughput and p99 latency vs concurrency, and memory per task.
 * Workloads name their figures; these charts take the first rate
 * (keys ending _per_s, _per_second or /s, or holding "throughput") and the
 * first key holding "p99" as latency, whose unit is a token of the key
 * (_ns, _us, _ms, _s). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "plot_extract.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static int is_rate(const char *key)
{
	return ends_with(key, "_per_s") || ends_with(key, "_per_sec") ||
	       ends_with(key, "_per_second") || ends_with(key, "/s") || strstr(key, "throughput");
}

static int is_p99(const char *key)
{
	return strstr(key, "p99") != NULL;
}

static int rate_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	(void)lo;
	(void)hi;
	const char *key = entry_find_key(c->entry, "workload_stats", is_rate);
	*v = key ? entry_stat(c->entry, "workload_stats", key) : NAN;
	return key != NULL;
}

static int p99_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	(void)lo;
	(void)hi;
	const char *key = entry_find_key(c->entry, "workload_stats", is_p99);
	*v = key ? entry_stat(c->entry, "workload_stats", key) : NAN;
	return key != NULL;
}

static int rss_per_task(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	(void)lo;
	(void)hi;
	*v = c->extra_rss_kb / (c->tasks > 0 ? c->tasks : 1);
	return isfinite(c->extra_rss_kb);
}

/* The key that `match` finds first among the chart's cells, or NULL. */
static const char *chart_key(const struct chart *ch, const struct plot_cells *cs,
			     int (*match)(const char *key))
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		const char *key = c->entry && !strcmp(c->workload, ch->workload)
					  ? entry_find_key(c->entry, "workload_stats", match)
					  : NULL;
		if (key)
			return key;
	}
	return NULL;
}

/* "round_trips_per_s" reads "round trips per second". */
static void rate_label(const char *key, char *out, size_t len)
{
	static const char *const suffixes[] = {"_per_second", "_per_sec", "_per_s", "/s"};
	size_t n = strlen(key);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (ends_with(key, suffixes[i])) {
			n -= strlen(suffixes[i]);
			break;
		}
	snprintf(out, len, "%.*s per second", (int)n, key);
	for (char *p = out; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
}

/* The unit is a token of the key: latency_p99_us or latency_us_p99. */
static void latency_label(const char *key, char *out, size_t len)
{
	static const char *const units[][2] = {{"ns", "ns"}, {"us", "µs"}, {"ms", "ms"}, {"s", "s"}};
	char padded[128];
	snprintf(padded, sizeof padded, "_%s_", key);
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		char token[8];
		snprintf(token, sizeof token, "_%s_", units[i][0]);
		if (strstr(padded, token)) {
			snprintf(out, len, "99th percentile latency (%s)", units[i][1]);
			return;
		}
	}
	snprintf(out, len, "99th percentile latency (%s)", key);
}

void extract_io_throughput(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	const char *key = chart_key(ch, cs, is_rate);
	if (!key)
		return;
	char label[128];
	rate_label(key, label, sizeof label);
	chart_write_lines(ch, cs, rate_of);
	chart_set_workers_axis(ch);
	chart_set_text(ch, "rate_label", label);
}

void extract_io_latency(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	const char *key = chart_key(ch, cs, is_p99);
	if (!key || !chart_key(ch, cs, is_rate))
		return;
	char label[128];
	latency_label(key, label, sizeof label);
	chart_write_lines(ch, cs, p99_of);
	chart_set_workers_axis(ch);
	chart_set_text(ch, "latency_label", label);
}

void extract_memory(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	if (!chart_key(ch, cs, is_rate))
		return; /* memory per task tells most where tasks wait on I/O */
	chart_write_lines(ch, cs, rss_per_task);
	chart_set_workers_axis(ch);
}
