/* journal.h — durability of a run. Each finished cell's entries are
 * appended to FILE.journal (one JSON line, fsync'd) before the results file
 * is rewritten atomically; `cmbench run --resume FILE` keeps the cells
 * already measured with the same options and measures the rest. */
#pragma once
#include <jansson.h>
#include "err.h"

struct journal {
	char path[4200]; /* as shown to the user */
	char name[300];  /* in dirfd */
	int dirfd;
	int fd;          /* flock'ed: the lock on the results file */
};

/* Open (creating) FILE.journal and take its lock: one writer per results
 * file; a second run is refused. Removes FILE.tmp.PID left by killed runs.
 * Nothing is truncated yet. 0, or -1 with e set. */
int journal_lock(struct journal *j, const char *results_path, struct err *e);
/* Start this run's journal: empty it and write the header line (the run's
 * context: identity and options). Called once the results file holds
 * whatever an older journal had. */
int journal_start(struct journal *j, json_t *context, struct err *e);
/* Append one cell: {"cell": NAME, "entries": [...]}; fsync. */
int journal_append(struct journal *j, const char *cell, json_t *entries, struct err *e);
/* Close; remove the journal when the run finished (the results file is final). */
void journal_close(struct journal *j, int remove_it);

/* Load a results file to resume. If it is damaged, rebuild what the journal
 * beside it holds, under the context of the run that wrote it (its header),
 * printing a notice. NULL with e set if neither is usable. */
json_t *journal_load_for_resume(const char *results_path, struct err *e);

/* The options that must match for a cell to be reused: profile, reps,
 * warm-ups, tasks per worker. 0 if they match, -1 with e naming the first
 * difference. */
int journal_options_match(json_t *old_context, json_t *new_context, struct err *e);
