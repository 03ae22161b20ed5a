/* journal.h — durability of a run. Each finished cell's entries are
 * appended to FILE.journal (one JSON line, fsync'd) before the results file
 * is rewritten atomically; `cmbench run --resume FILE` keeps the cells
 * already measured with the same options and measures the rest. */
#pragma once
#include <jansson.h>
#include "err.h"

struct journal {
	char path[4200];
	int fd;
};

int journal_open(struct journal *j, const char *results_path, struct err *e);
/* Append one cell: {"cell": NAME, "entries": [...]}; fsync. */
int journal_append(struct journal *j, const char *cell, json_t *entries, struct err *e);
/* Close; remove the journal when the run finished (the results file is final). */
void journal_close(struct journal *j, int remove_it);

/* Load a results file to resume. If it is damaged, rebuild what the journal
 * beside it holds (printing a notice). NULL with e set if neither is usable. */
json_t *journal_load_for_resume(const char *results_path, json_t *context, struct err *e);

/* The options that must match for a cell to be reused: profile, reps,
 * warm-ups, tasks per worker. 0 if they match, -1 with e naming the first
 * difference. */
int journal_options_match(json_t *old_context, json_t *new_context, struct err *e);
