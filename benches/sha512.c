/* sha512.c — SHA-512 digests of every file of a generated corpus.
 *
 * Each task digests a contiguous range of files, one chunk per unit, with
 * libcrypto's EVP interface. Like CPython, the read runs outside the GIL
 * (FileIO releases it around read(2)) and so does an update of at least
 * HASHLIB_GIL_MINSIZE bytes; smaller updates hold it. A task's result is a
 * SHA-512 over its files' digests in order, compared in verify() with the
 * same fold of the reference digests (a sequential pass, kept in the corpus
 * manifest); on a mismatch the task's files are hashed again to name the
 * one that differs. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"
#include "corpus.h"
#include "tasks.h"

#define HASHLIB_GIL_MINSIZE 2048 /* CPython Modules/hashlib.h */

struct sha512_result {
	uint64_t files;
	unsigned char fold[CORPUS_DIGEST_LEN];
};

struct sha512_task {
	int next, end; /* files still to do: [next, end) */
	int fd;        /* open file, or -1 */
	EVP_MD_CTX *file_ctx, *fold_ctx;
	unsigned char *buf;
	struct sha512_result result;
};

struct sha512 {
	struct corpus corpus;
	size_t chunk;
	int ntasks;
	struct sha512_task *tasks;
};

static const struct param_spec sha512_params[] = {
	{.name = "files", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "16", [PROFILE_DEFAULT] = "32", [PROFILE_FULL] = "256",
		      [PROFILE_CI] = "32"},
	 .min = 1, .max = 99999, .help = "files in the corpus"},
	{.name = "size", .type = PARAM_SIZE,
	 .defaults = {[PROFILE_QUICK] = "256K", [PROFILE_DEFAULT] = "1M", [PROFILE_FULL] = "4M",
		      [PROFILE_CI] = "1M"},
	 .min = 1, .max = 1LL << 32, .help = "bytes per file"},
	{.name = "chunk", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "64K"},
	 .min = 1, .max = 64 << 20, .help = "bytes read and hashed per unit"},
	{.name = "seed", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1"},
	 .min = 0, .max = 1000000000, .help = "seed of the generated corpus"},
	{0},
};

static void sha512_teardown(void *state);

static void *sha512_setup(const struct bench_setup *s, struct err *e)
{
	struct sha512 *h = calloc(1, sizeof *h);
	if (!h) {
		err_set(e, "sha512: out of memory");
		return NULL;
	}
	h->chunk = (size_t)param_int(s->params, "chunk");
	h->ntasks = s->ntasks;
	if (corpus_open(&h->corpus, s->cache_dir, (uint64_t)param_int(s->params, "seed"),
			(int)param_int(s->params, "files"), (uint64_t)param_int(s->params, "size"),
			e) < 0) {
		free(h);
		return NULL;
	}
	if (!TASKS_NEW(h->tasks, s->ntasks, "sha512", e)) {
		sha512_teardown(h);
		return NULL;
	}
	for (int t = 0; t < s->ntasks; t++) {
		struct sha512_task *k = &h->tasks[t];
		k->fd = -1;
		k->file_ctx = EVP_MD_CTX_new();
		k->fold_ctx = EVP_MD_CTX_new();
		k->buf = malloc(h->chunk);
		if (!k->file_ctx || !k->fold_ctx || !k->buf) {
			err_set(e, "sha512: out of memory for %d tasks", s->ntasks);
			sha512_teardown(h);
			return NULL;
		}
	}
	return h;
}

static void sha512_reset(void *state)
{
	struct sha512 *h = state;
	for (int t = 0; t < h->ntasks; t++) {
		struct sha512_task *k = &h->tasks[t];
		if (k->fd >= 0)
			close(k->fd);
		k->fd = -1;
		struct share sh = split_share((uint64_t)h->corpus.files, h->ntasks, t);
		k->next = (int)sh.begin;
		k->end = (int)sh.end;
		memset(&k->result, 0, sizeof k->result);
		EVP_DigestInit_ex(k->fold_ctx, EVP_sha512(), NULL);
	}
}

/* Finish the file in hand: fold its digest into the task's. */
static void finish_file(struct sha512_task *k)
{
	unsigned char d[CORPUS_DIGEST_LEN];
	EVP_DigestFinal_ex(k->file_ctx, d, NULL);
	EVP_DigestUpdate(k->fold_ctx, d, sizeof d);
	close(k->fd);
	k->fd = -1;
	k->next++;
	k->result.files++;
}

static int sha512_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct sha512 *h = state;
	struct sha512_task *k = &h->tasks[task];
	uint64_t units = 0;
	while (units < budget && k->next < k->end) {
		if (k->fd < 0) {
			char path[4600];
			corpus_path(&h->corpus, k->next, path, sizeof path);
			k->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (k->fd < 0) {
				*done = units;
				return err_set(rt->err, "sha512: cannot open %s: %s", path, strerror(errno));
			}
			EVP_DigestInit_ex(k->file_ctx, EVP_sha512(), NULL);
		}
		rt_native_begin(rt);
		ssize_t n = read(k->fd, k->buf, h->chunk);
		rt_native_end(rt);
		if (n < 0) {
			*done = units;
			return err_set(rt->err, "sha512: read of file %d failed: %s", k->next, strerror(errno));
		}
		if (n == 0) {
			finish_file(k);
			continue;
		}
		if (n >= HASHLIB_GIL_MINSIZE) {
			rt_native_begin(rt);
			EVP_DigestUpdate(k->file_ctx, k->buf, (size_t)n);
			rt_native_end(rt);
		} else {
			EVP_DigestUpdate(k->file_ctx, k->buf, (size_t)n);
		}
		units++;
	}
	*done = units;
	if (k->next < k->end)
		return STEP_MORE;
	EVP_DigestFinal_ex(k->fold_ctx, k->result.fold, NULL);
	return STEP_DONE;
}

static void *sha512_result(void *state, int task) { return &((struct sha512 *)state)->tasks[task].result; }

static int sha512_verify(void *state, struct err *e)
{
	struct sha512 *h = state;
	for (int t = 0; t < h->ntasks; t++) {
		int first = (int)split_begin((uint64_t)h->corpus.files, h->ntasks, t);
		int end = (int)split_begin((uint64_t)h->corpus.files, h->ntasks, t + 1);
		unsigned char want[CORPUS_DIGEST_LEN];
		EVP_MD_CTX *fold = EVP_MD_CTX_new();
		EVP_DigestInit_ex(fold, EVP_sha512(), NULL);
		for (int i = first; i < end; i++)
			EVP_DigestUpdate(fold, h->corpus.digests[i], CORPUS_DIGEST_LEN);
		EVP_DigestFinal_ex(fold, want, NULL);
		EVP_MD_CTX_free(fold);
		const struct sha512_result *r = &h->tasks[t].result;
		if (r->files != (uint64_t)(end - first))
			return err_set(e, "sha512: task %d digested %llu files, %d expected", t,
				       (unsigned long long)r->files, end - first);
		if (memcmp(r->fold, want, sizeof want) == 0)
			continue;
		for (int i = first; i < end; i++) { /* name the culprit */
			char path[4600];
			unsigned char d[CORPUS_DIGEST_LEN];
			corpus_path(&h->corpus, i, path, sizeof path);
			if (corpus_digest_file(path, d, e) < 0)
				return -1;
			if (memcmp(d, h->corpus.digests[i], sizeof d))
				return err_set(e, "sha512: %s does not match its reference digest (corpus changed?)", path);
		}
		return err_set(e, "sha512: task %d's digests of files %d-%d differ from the reference",
			       t, first, end - 1);
	}
	return 0;
}

/* Bytes hashed per second (MB = 10^6 bytes), the unit of the sha512_evp floor. */
static void sha512_report(void *state, double seconds, json_t *fields)
{
	struct sha512 *h = state;
	double bytes = (double)h->corpus.files * (double)h->corpus.file_size;
	if (seconds > 0 && bytes > 0)
		json_object_set_new(fields, "mb_per_s", json_real(bytes / seconds / 1e6));
}

static void sha512_teardown(void *state)
{
	struct sha512 *h = state;
	for (int t = 0; h->tasks && t < h->ntasks; t++) {
		if (h->tasks[t].fd >= 0)
			close(h->tasks[t].fd);
		EVP_MD_CTX_free(h->tasks[t].file_ctx);
		EVP_MD_CTX_free(h->tasks[t].fold_ctx);
		free(h->tasks[t].buf);
	}
	free(h->tasks);
	corpus_close(&h->corpus);
	free(h);
}

const struct bench bench_sha512 = {
	.name = "sha512",
	.summary = "SHA-512 of every file of a generated corpus (libcrypto EVP)",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.params = sha512_params,
	.result_size = sizeof(struct sha512_result),
	.setup = sha512_setup,
	.reset = sha512_reset,
	.step = sha512_step,
	.result = sha512_result,
	.verify = sha512_verify,
	.report = sha512_report,
	.teardown = sha512_teardown,
};
