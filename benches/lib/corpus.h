/* corpus.h — the deterministic file corpus that sha512 digests.
 *
 * Generated from a seed under the cache directory (private: ours, writable
 * by no one else) and reused. A missing or damaged file (wrong size, not a
 * regular file of ours) is rewritten in place; nothing is ever copied. The
 * reference digests are computed from the seed at every open, never read
 * from disk: a corpus rewritten together with its SHA512SUMS (kept only for
 * sha512sum(1)) is a wrong answer. */
#pragma once
#include <stdint.h>
#include "err.h"

#define CORPUS_DIGEST_LEN 64

struct corpus {
	char dir[4400];
	int files;
	uint64_t file_size;
	unsigned char (*digests)[CORPUS_DIGEST_LEN]; /* reference digest per file */
};

/* Open the corpus for (seed, files, size) under cache_dir, creating it if
 * needed. 0, or -1 with e set. */
int corpus_open(struct corpus *c, const char *cache_dir, uint64_t seed, int files,
		uint64_t file_size, struct err *e);
void corpus_close(struct corpus *c);

/* Path of file i of the corpus into buf. */
void corpus_path(const struct corpus *c, int i, char *buf, size_t len);

/* SHA-512 of a whole file with libcrypto, read in chunks. 0 or -1 with e set. */
int corpus_digest_file(const char *path, unsigned char out[CORPUS_DIGEST_LEN], struct err *e);

/* The default cache directory: $CMBENCH_CACHE, else $XDG_CACHE_HOME/cmbench,
 * else $HOME/.cache/cmbench, else ${TMPDIR:-/tmp}/cmbench-UID (which must
 * then be ours and private: one made by someone else is refused). */
void corpus_default_cache_dir(char *buf, size_t len);
