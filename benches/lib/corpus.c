/* corpus.c — generate, check and reuse the sha512 input corpus. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "corpus.h"
#include "safe_file.h"

/* splitmix64: a fixed generator, so the same seed gives the same bytes on every machine. */
static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void corpus_default_cache_dir(char *buf, size_t len)
{
	const char *v;
	if ((v = getenv("CMBENCH_CACHE")) && *v)
		snprintf(buf, len, "%s", v);
	else if ((v = getenv("XDG_CACHE_HOME")) && *v)
		snprintf(buf, len, "%s/cmbench", v);
	else if ((v = getenv("HOME")) && *v)
		snprintf(buf, len, "%s/.cache/cmbench", v);
	else if ((v = getenv("TMPDIR")) && *v)
		snprintf(buf, len, "%s/cmbench-%u", v, (unsigned)getuid());
	else
		snprintf(buf, len, "/tmp/cmbench-%u", (unsigned)getuid());
}

void corpus_path(const struct corpus *c, int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/file%05d.bin", c->dir, i);
}

int corpus_digest_file(const char *path, unsigned char out[CORPUS_DIGEST_LEN], struct err *e)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "cannot open %s: %s", path, strerror(errno));
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	static unsigned char buf[1 << 16];
	int rc = 0;
	ssize_t n;
	EVP_DigestInit_ex(ctx, EVP_sha512(), NULL);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	if (n < 0)
		rc = err_set(e, "cannot read %s: %s", path, strerror(errno));
	EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

/* The bytes of file i: a splitmix64 stream from (seed, i), in blocks. */
struct stream {
	uint64_t state;
	uint64_t left;
	uint64_t buf[8192];
};

static void stream_init(struct stream *st, uint64_t seed, int i, uint64_t size)
{
	st->state = seed * 1000003 + (uint64_t)i;
	st->left = size;
}

/* The next block; its length (0 at the end). */
static size_t stream_next(struct stream *st)
{
	size_t n = st->left < sizeof st->buf ? (size_t)st->left : sizeof st->buf;
	for (size_t k = 0; k < (n + 7) / 8; k++)
		st->buf[k] = splitmix64(&st->state);
	st->left -= n;
	return n;
}

/* The reference digests come from the seed itself: a corpus rewritten on
 * disk together with its SHA512SUMS cannot change what the answer must be. */
static void seed_digests(struct corpus *c, uint64_t seed, struct stream *st)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	for (int i = 0; i < c->files; i++) {
		EVP_DigestInit_ex(ctx, EVP_sha512(), NULL);
		stream_init(st, seed, i, c->file_size);
		for (size_t n; (n = stream_next(st)) > 0;)
			EVP_DigestUpdate(ctx, st->buf, n);
		EVP_DigestFinal_ex(ctx, c->digests[i], NULL);
	}
	EVP_MD_CTX_free(ctx);
}

/* Write file i in place: NAME.tmp.PID (O_EXCL|O_NOFOLLOW), then renamed
 * over NAME. */
static int write_file(int dfd, const char *dir, int i, uint64_t seed, uint64_t size,
		      struct stream *st, struct err *e)
{
	char name[64], tmp[96];
	snprintf(name, sizeof name, "file%05d.bin", i);
	int fd = safe_tmp_create(dfd, name, tmp, sizeof tmp, e);
	if (fd < 0)
		return -1;
	stream_init(st, seed, i, size);
	int rc = 0;
	for (size_t n; rc == 0 && (n = stream_next(st)) > 0;)
		rc = safe_write_all(fd, st->buf, n);
	int why = errno;
	if (close(fd) < 0 && rc == 0)
		rc = -1, why = errno;
	if (rc == 0 && renameat(dfd, tmp, dfd, name) < 0)
		rc = -1, why = errno;
	if (rc < 0) {
		unlinkat(dfd, tmp, 0);
		return err_set(e, "cannot write %s/%s: %s", dir, name, strerror(why));
	}
	return 0;
}

static void hex(const unsigned char *d, char *out)
{
	for (int i = 0; i < CORPUS_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* SHA512SUMS, for `sha512sum -c` by hand: written from the seed's digests,
 * never read back as a reference. */
static int write_manifest(int dfd, const struct corpus *c, struct err *e)
{
	char *text = NULL, line[200];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return err_set(e, "out of memory for the corpus manifest");
	for (int i = 0; i < c->files; i++) {
		hex(c->digests[i], line);
		fprintf(f, "%s  file%05d.bin\n", line, i);
	}
	fclose(f);
	char tmp[64];
	int fd = safe_tmp_create(dfd, "SHA512SUMS", tmp, sizeof tmp, e);
	int rc = fd < 0 ? -1 : safe_write_all(fd, text, len);
	if (fd >= 0 && (close(fd) < 0 || rc < 0 || renameat(dfd, tmp, dfd, "SHA512SUMS") < 0)) {
		unlinkat(dfd, tmp, 0);
		rc = err_set(e, "cannot write %s/SHA512SUMS: %s", c->dir, strerror(errno));
	}
	free(text);
	return rc;
}

/* Is file i there as generated (a regular file of ours, of the right
 * size)? Its content is checked by the workload against the seed's digest. */
static int file_ok(int dfd, int i, uint64_t size)
{
	char name[64];
	struct stat st;
	snprintf(name, sizeof name, "file%05d.bin", i);
	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       st.st_uid == geteuid() && (uint64_t)st.st_size == size;
}

/* Make the corpus directory and every missing or damaged file in place:
 * no second copy is ever made, and what a killed run left half-written
 * (NAME.tmp.PID of a dead pid, ours) is removed. */
static int materialise(struct corpus *c, const char *cache_dir, uint64_t seed, struct err *e)
{
	int cfd = open(cache_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0)
		return err_set(e, "cannot open the cache directory %s: %s", cache_dir, strerror(errno));
	const char *base = strrchr(c->dir, '/') + 1;
	safe_clean_stale(cfd, base, 1); /* corpus-...tmp.PID of older versions */
	if (mkdirat(cfd, base, 0700) < 0 && errno != EEXIST) {
		close(cfd);
		return err_set(e, "cannot create %s: %s", c->dir, strerror(errno));
	}
	int dfd = openat(cfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(cfd);
	struct stat st;
	if (dfd < 0 || fstat(dfd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		if (dfd >= 0)
			close(dfd);
		return err_set(e, "corpus path %s is not a private directory of ours (a symlink or a "
				  "file is refused)", c->dir);
	}
	safe_clean_stale(dfd, NULL, 0);
	struct stream *stream = malloc(sizeof *stream);
	if (!stream) {
		close(dfd);
		return err_set(e, "out of memory");
	}
	seed_digests(c, seed, stream);
	int rc = 0, wrote = faccessat(dfd, "SHA512SUMS", F_OK, AT_SYMLINK_NOFOLLOW) != 0;
	for (int i = 0; rc == 0 && i < c->files; i++)
		if (!file_ok(dfd, i, c->file_size)) {
			rc = write_file(dfd, c->dir, i, seed, c->file_size, stream, e);
			wrote = 1;
		}
	if (rc == 0 && wrote)
		rc = write_manifest(dfd, c, e);
	free(stream);
	close(dfd);
	return rc;
}

int corpus_open(struct corpus *c, const char *cache_dir, uint64_t seed, int files,
		uint64_t file_size, struct err *e)
{
	memset(c, 0, sizeof *c);
	if (safe_private_dir(cache_dir, "--cache-dir", e) < 0)
		return -1;
	snprintf(c->dir, sizeof c->dir, "%s/corpus-s%llu-%dx%llu", cache_dir,
		 (unsigned long long)seed, files, (unsigned long long)file_size);
	c->files = files;
	c->file_size = file_size;
	c->digests = calloc((size_t)files, CORPUS_DIGEST_LEN);
	if (!c->digests)
		return err_set(e, "out of memory for %d digests", files);
	if (materialise(c, cache_dir, seed, e) < 0) {
		corpus_close(c);
		return -1;
	}
	return 0;
}

void corpus_close(struct corpus *c)
{
	free(c->digests);
	c->digests = NULL;
}
