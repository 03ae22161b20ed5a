/* corpus.h — the deterministic file corpus that sha512 digests.
 *
 * Generated once from a seed under the cache directory (built in a private
 * temporary directory, then renamed into place) and reused while its
 * manifest matches. The manifest SHA512SUMS is in sha512sum(1) format and
 * holds the reference digests of a sequential pass. */
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
 * else $HOME/.cache/cmbench, else /tmp/cmbench-UID. */
void corpus_default_cache_dir(char *buf, size_t len);
