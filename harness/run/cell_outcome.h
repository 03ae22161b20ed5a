/* cell_outcome.h — what measuring one cell produced, typed: every
 * repetition's times, memory, context switches, counters, model and workload
 * statistics, and how the cell ended (ok, error with a message, skipped with
 * a reason).
 *
 * The cell is measured in a forked child (cell.c); the child sends its
 * outcome to the parent over a pipe in one serialization (JSON, written by
 * cell_outcome_encode, read once by cell_outcome_decode). From then on the
 * parent holds only these structs: nothing looks a value up by key again. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"
#include "noise.h"

/* A named figure a model or workload reports (or a counter): a number, a
 * text (e.g. yield's "handoff" medium, a counter's reason for being
 * unsupported), nothing (unknown), or a value kept as it was reported (a
 * true/false, or a table such as pingpong's OSU rows). Integers stay
 * integers in the files. */
enum value_kind { VALUE_NONE, VALUE_INT, VALUE_REAL, VALUE_TEXT, VALUE_JSON };

struct named_value {
	char *name;
	enum value_kind kind;
	double num;   /* VALUE_INT, VALUE_REAL */
	char *text;   /* VALUE_TEXT */
	json_t *json; /* VALUE_JSON: a boolean, an array or an object (owned) */
};

struct named_values {
	struct named_value *v;
	size_t n;
};

/* From a JSON object (booleans, arrays and objects kept whole as VALUE_JSON); and back. */
void named_values_from_json(struct named_values *out, json_t *obj);
json_t *named_values_json(const struct named_values *nv);
void named_values_copy(struct named_values *out, const struct named_values *in);
void named_values_add_text(struct named_values *nv, const char *name, const char *text);
void named_values_add_json(struct named_values *nv, const char *name, json_t *value);
/* The value as JSON (new reference). */
json_t *named_value_json(const struct named_value *x);
void named_values_add_number(struct named_values *nv, const char *name, enum value_kind kind,
			     double num);
const struct named_value *named_values_find(const struct named_values *nv, const char *name);
void named_values_free(struct named_values *nv);

/* One measured repetition. */
struct rep_sample {
	double real_ns, cpu_ns, user_ns, sys_ns;
	long long max_rss_kb, vol_cs, invol_cs;
	struct named_values counters;             /* event name -> count */
	struct named_values counters_unsupported; /* event name -> why not */
	struct named_values model_stats, workload_stats;
	json_t *binding; /* where each worker ran (harness/system/pin.h), or NULL */
};

enum cell_status { CELL_OK, CELL_ERROR, CELL_SKIPPED };

struct cell_outcome {
	enum cell_status status;
	char message[600];  /* CELL_ERROR: what went wrong; CELL_SKIPPED: why not run */
	int timed_out;      /* CELL_ERROR by --timeout */
	double ran_s;       /* ... after this long */
	int64_t setup_ns;
	struct rep_sample *samples; /* the measured repetitions (warm-ups excluded) */
	size_t n_samples;
	int has_load;
	struct load_report load;    /* other processes' load over the cell */
};

/* Append a zeroed sample and return it. */
struct rep_sample *cell_outcome_add_sample(struct cell_outcome *o);
void cell_outcome_set_error(struct cell_outcome *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cell_outcome_free(struct cell_outcome *o);
/* Deep copy (the copy owns its own samples). */
void cell_outcome_copy(struct cell_outcome *out, const struct cell_outcome *in);

/* The pipe serialization: {"status": "ok"|"error"|"skipped", "message",
 * "timed_out", "ran_s", "setup_ns", "load": {...}, "samples": [{"real_ns",
 * "cpu_ns", "user_ns", "sys_ns", "max_rss_kb", "vol_cs", "invol_cs",
 * "counters", "counters_unsupported", "model_stats", "workload_stats",
 * "binding"}]}. decode: 0, or -1 with e set (the parent then records an
 * error cell). */
json_t *cell_outcome_encode(const struct cell_outcome *o);
int cell_outcome_decode(json_t *in, struct cell_outcome *o, struct err *e);

/* The samples' real times in the unit given by `scale` (1e-6: ms), for
 * statistics; caller frees. */
double *cell_outcome_real_times(const struct cell_outcome *o, double scale);
