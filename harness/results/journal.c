/* journal.c — the per-cell journal, the output lock and --resume. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "journal.h"
#include "results.h"
#include "safe_file.h"

#define JOURNAL_FORMAT "cmbench-journal-1"

static int lock_in(struct journal *j, int dfd, const char *base, const char *results_path,
		   struct err *e)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		int fd = openat(dfd, j->name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		struct stat st, now;
		if (fd < 0)
			return err_set(e, "cannot write the journal %s: %s", j->path, strerror(errno));
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
			close(fd);
			return err_set(e, "the journal %s is not a regular file of ours; refused", j->path);
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int why = errno;
			close(fd);
			if (why == EWOULDBLOCK)
				return err_set(e, "another cmbench run is writing %s (its journal is locked); "
						  "wait for it or choose another -o", results_path);
			return err_set(e, "cannot lock %s: %s", j->path, strerror(why));
		}
		/* the run we waited on may have removed it meanwhile: lock the file
		 * the name names now */
		if (fstatat(dfd, j->name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_ino == st.st_ino &&
		    now.st_dev == st.st_dev) {
			j->fd = fd;
			/* temporary files of writers killed mid-write (ours, dead) */
			safe_clean_stale(dfd, base, 0);
			return 0;
		}
		close(fd);
	}
	return err_set(e, "cannot lock %s: it keeps being replaced", j->path);
}

int journal_lock(struct journal *j, const char *results_path, struct err *e)
{
	char base[NAME_MAX + 1];
	j->fd = -1;
	snprintf(j->path, sizeof j->path, "%s.journal", results_path);
	int dfd = safe_dir_open(results_path, base, sizeof base, e);
	if (dfd < 0)
		return -1;
	j->dirfd = dfd;
	snprintf(j->name, sizeof j->name, "%s.journal", base);
	if (safe_target_ok(dfd, base, results_path, e) < 0 ||
	    lock_in(j, dfd, base, results_path, e) < 0) {
		close(dfd);
		return -1;
	}
	return 0;
}

int journal_start(struct journal *j, json_t *context, struct err *e)
{
	json_t *head = json_pack("{s:s, s:O}", "journal", JOURNAL_FORMAT, "context", context);
	char *text = json_dumps(head, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(head);
	size_t len = strlen(text);
	text[len] = '\n';
	int rc = ftruncate(j->fd, 0) == 0 && lseek(j->fd, 0, SEEK_SET) == 0 &&
			 safe_write_all(j->fd, text, len + 1) == 0 && fsync(j->fd) == 0 ? 0 : -1;
	int why = errno;
	free(text);
	return rc ? err_set(e, "cannot write the journal %s: %s", j->path, strerror(why)) : 0;
}

int journal_append(struct journal *j, const char *cell, json_t *entries, struct err *e)
{
	json_t *line = json_pack("{s:s, s:O}", "cell", cell, "entries", entries);
	char *text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(line);
	size_t len = strlen(text);
	text[len] = '\n'; /* replaces the terminator: written with its length */
	off_t at = lseek(j->fd, 0, SEEK_END);
	int rc = at >= 0 && safe_write_all(j->fd, text, len + 1) == 0 && fsync(j->fd) == 0 ? 0 : -1;
	int why = errno;
	free(text);
	if (rc < 0 && at >= 0 && ftruncate(j->fd, at) == 0)
		fsync(j->fd); /* no torn line for the next append to run into */
	return rc ? err_set(e, "cannot append to %s: %s", j->path, strerror(why)) : 0;
}

void journal_close(struct journal *j, int remove_it)
{
	if (j->fd >= 0) {
		if (remove_it)
			unlinkat(j->dirfd, j->name, 0); /* still locked: no one else writes it */
		close(j->fd);
		close(j->dirfd);
	}
	j->fd = -1;
}

/* Rebuild a results document from a journal: its header says which run and
 * options it belongs to; every complete line counts; a torn last line (the
 * run died while writing it) is dropped with a notice. */
static json_t *from_journal(const char *jpath, struct err *e)
{
	int fd = open(jpath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
	if (!f) {
		if (fd >= 0)
			close(fd);
		err_set(e, "cannot read %s: %s", jpath, strerror(errno));
		return NULL;
	}
	char *line = NULL;
	size_t cap = 0;
	json_t *head = getline(&line, &cap, f) > 0 ? json_loads(line, 0, NULL) : NULL;
	const char *format = json_string_value(json_object_get(head, "journal"));
	json_t *context = json_object_get(head, "context");
	if (!format || strcmp(format, JOURNAL_FORMAT) || !json_is_object(context)) {
		json_decref(head);
		free(line);
		fclose(f);
		err_set(e, "%s does not start with a cmbench run header (not a journal of this "
			   "version); refused", jpath);
		return NULL;
	}
	json_t *doc = results_new(json_incref(context));
	json_decref(head);
	json_t *list = json_object_get(doc, "benchmarks");
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
	return doc;
}

json_t *journal_load_for_resume(const char *results_path, struct err *e)
{
	json_t *doc = results_load(results_path, e);
	if (doc)
		return doc;
	char jpath[4200];
	snprintf(jpath, sizeof jpath, "%s.journal", results_path);
	struct stat st;
	if (stat(jpath, &st) != 0 || st.st_size == 0)
		return NULL; /* e already says why the results file is unusable */
	fprintf(stderr, "cmbench: %s\n", e->msg);
	return from_journal(jpath, e);
}

/* One line naming a value of a context, for messages. */
static void shown(json_t *v, char *buf, size_t len)
{
	char *t = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	snprintf(buf, len, "%.120s", t ? t : "(none)");
	free(t);
}

int journal_options_match(json_t *old_ctx, json_t *new_ctx, struct err *e)
{
	/* everything that defines what was measured, and where: the options
	 * first (reps, warm-ups, tasks, then the matrix, limits, counters),
	 * then the machine */
	static const char *const keys[] = {"reps", "warmup", "tasks_per_worker", "workloads", "models",
					   "workers", "pin", "topology", "params", "timeout_s",
					   "min_time_s", "counters", NULL};
	static const char *const machine[] = {"host_name", "num_cpus", NULL};
	char a_text[130], b_text[130];
	const char *op = json_string_value(json_object_get(old_ctx, "profile"));
	const char *np = json_string_value(json_object_get(new_ctx, "profile"));
	if (!op || !np || strcmp(op, np))
		return err_set(e, "--resume: the file was measured with --profile %s, this run asks for %s",
			       op ? op : "?", np ? np : "?");
	json_t *oo = json_object_get(old_ctx, "options"), *no = json_object_get(new_ctx, "options");
	for (int i = 0; keys[i]; i++) {
		json_t *a = json_object_get(oo, keys[i]), *b = json_object_get(no, keys[i]);
		if (json_equal(a, b) || (!a && !b))
			continue;
		shown(a, a_text, sizeof a_text);
		shown(b, b_text, sizeof b_text);
		return err_set(e, "--resume: the file was measured with %s=%s, this run asks for %s",
			       keys[i], a_text, b_text);
	}
	for (int i = 0; machine[i]; i++) {
		json_t *a = json_object_get(old_ctx, machine[i]), *b = json_object_get(new_ctx, machine[i]);
		if (json_equal(a, b))
			continue;
		shown(a, a_text, sizeof a_text);
		shown(b, b_text, sizeof b_text);
		return err_set(e, "--resume: the file was measured on another machine (%s %s, this one "
				  "%s)", machine[i], a_text, b_text);
	}
	return 0;
}

int journal_check_entries(json_t *doc, const char *path, struct err *e)
{
	json_t *list = json_object_get(doc, "benchmarks"), *x;
	size_t i;
	if (!json_is_array(list))
		return err_set(e, "%s has no benchmarks list; refused", path);
	json_array_foreach(list, i, x) {
		const char *run = json_string_value(json_object_get(x, "run_name"));
		if (!run || !json_string_value(json_object_get(x, "name")))
			return err_set(e, "%s: entry %zu has no name or run_name (not written by cmbench "
					  "run); refused", path, i);
		/* failed and skipped cells carry no time (Google Benchmark writes 0) */
		if (json_is_true(json_object_get(x, "error_occurred")) ||
		    json_is_true(json_object_get(x, "skipped")))
			continue;
		json_t *t = json_object_get(x, "real_time");
		if (!json_is_number(t) || !(json_number_value(t) > 0)) {
			char got[130];
			shown(t, got, sizeof got);
			return err_set(e, "%s: %s has real_time %s (allowed: a number > 0); refused", path,
				       run, got);
		}
	}
	return 0;
}
