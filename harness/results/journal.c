/* journal.c — the per-cell journal and --resume. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "journal.h"
#include "results.h"

int journal_open(struct journal *j, const char *results_path, struct err *e)
{
	snprintf(j->path, sizeof j->path, "%s.journal", results_path);
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (j->fd < 0)
		return err_set(e, "cannot write the journal %s: %s", j->path, strerror(errno));
	return 0;
}

int journal_append(struct journal *j, const char *cell, json_t *entries, struct err *e)
{
	json_t *line = json_pack("{s:s, s:O}", "cell", cell, "entries", entries);
	char *text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(line);
	size_t len = strlen(text);
	text[len] = '\n'; /* replaces the terminator: written with its length */
	int rc = write(j->fd, text, len + 1) == (ssize_t)(len + 1) && fsync(j->fd) == 0 ? 0 : -1;
	free(text);
	return rc ? err_set(e, "cannot append to %s: %s", j->path, strerror(errno)) : 0;
}

void journal_close(struct journal *j, int remove_it)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	if (remove_it)
		unlink(j->path);
}

/* Rebuild a results document from a journal: every complete line counts; a
 * torn last line (the run died while writing it) is dropped with a notice. */
static json_t *from_journal(const char *jpath, json_t *context, struct err *e)
{
	FILE *f = fopen(jpath, "re");
	if (!f)
		return NULL;
	json_t *doc = results_new(json_deep_copy(context));
	json_t *list = json_object_get(doc, "benchmarks");
	char *line = NULL;
	size_t cap = 0;
	int cells = 0, torn = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *x = json_loads(line, 0, NULL);
		json_t *entries = json_object_get(x, "entries");
		if (!json_is_array(entries)) {
			torn++;
			json_decref(x);
			continue;
		}
		json_array_extend(list, entries);
		json_decref(x);
		cells++;
	}
	free(line);
	fclose(f);
	fprintf(stderr, "cmbench: recovered %d cells from %s%s\n", cells, jpath,
		torn ? " (dropped a damaged line)" : "");
	(void)e;
	return doc;
}

json_t *journal_load_for_resume(const char *results_path, json_t *context, struct err *e)
{
	json_t *doc = results_load(results_path, e);
	if (doc)
		return doc;
	char jpath[4200];
	snprintf(jpath, sizeof jpath, "%s.journal", results_path);
	if (access(jpath, R_OK) != 0)
		return NULL; /* e already says why the results file is unusable */
	fprintf(stderr, "cmbench: %s\n", e->msg);
	return from_journal(jpath, context, e);
}

int journal_options_match(json_t *old_ctx, json_t *new_ctx, struct err *e)
{
	static const char *const keys[] = {"reps", "warmup", "tasks_per_worker", NULL};
	const char *op = json_string_value(json_object_get(old_ctx, "profile"));
	const char *np = json_string_value(json_object_get(new_ctx, "profile"));
	if (!op || !np || strcmp(op, np))
		return err_set(e, "--resume: the file was measured with --profile %s, this run asks for %s",
			       op ? op : "?", np ? np : "?");
	json_t *oo = json_object_get(old_ctx, "options"), *no = json_object_get(new_ctx, "options");
	for (int i = 0; keys[i]; i++) {
		json_t *a = json_object_get(oo, keys[i]), *b = json_object_get(no, keys[i]);
		if (!json_equal(a, b))
			return err_set(e, "--resume: the file was measured with %s=%lld, this run asks for %lld",
				       keys[i], (long long)json_integer_value(a), (long long)json_integer_value(b));
	}
	return 0;
}
