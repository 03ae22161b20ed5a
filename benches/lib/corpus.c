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

/* Make a directory (and parents) private to the user; refuse a symlink. */
static int make_private_dir(const char *path, struct err *e)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return err_set(e, "cannot create %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return err_set(e, "cannot create %s: %s", tmp, strerror(errno));
	struct stat st;
	if (lstat(tmp, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(e, "cache directory %s is not a directory (a symlink is refused)", tmp);
	return 0;
}

static int write_file(const char *path, uint64_t *seed, uint64_t size, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, "cannot create %s: %s", path, strerror(errno));
	uint64_t buf[8192];
	for (uint64_t left = size; left > 0;) {
		size_t n = left < sizeof buf ? (size_t)left : sizeof buf;
		for (size_t i = 0; i < (n + 7) / 8; i++)
			buf[i] = splitmix64(seed);
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return err_set(e, "cannot write %s: %s", path, strerror(errno));
		}
		left -= n;
	}
	return close(fd) < 0 ? err_set(e, "cannot write %s: %s", path, strerror(errno)) : 0;
}

static void hex(const unsigned char *d, char *out)
{
	for (int i = 0; i < CORPUS_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static int generate(struct corpus *c, uint64_t seed, struct err *e)
{
	char tmpdir[4500], path[4600], line[200];
	snprintf(tmpdir, sizeof tmpdir, "%s.tmp.%d", c->dir, (int)getpid());
	if (mkdir(tmpdir, 0700) < 0)
		return err_set(e, "cannot create %s: %s", tmpdir, strerror(errno));
	struct corpus t = *c;
	if (snprintf(t.dir, sizeof t.dir, "%s", tmpdir) >= (int)sizeof t.dir)
		return err_set(e, "cache directory path too long: %s", tmpdir);
	snprintf(path, sizeof path, "%s/SHA512SUMS", tmpdir);
	FILE *manifest = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		manifest = fdopen(fd, "w");
	if (!manifest)
		return err_set(e, "cannot create %s: %s", path, strerror(errno));
	for (int i = 0; i < c->files; i++) {
		uint64_t s = seed * 1000003 + (uint64_t)i;
		corpus_path(&t, i, path, sizeof path);
		if (write_file(path, &s, c->file_size, e) < 0 ||
		    corpus_digest_file(path, c->digests[i], e) < 0) {
			fclose(manifest);
			return -1;
		}
		hex(c->digests[i], line);
		fprintf(manifest, "%s  file%05d.bin\n", line, i);
	}
	if (fclose(manifest) != 0)
		return err_set(e, "cannot write the corpus manifest in %s", tmpdir);
	if (rename(tmpdir, c->dir) < 0 && errno != EEXIST && errno != ENOTEMPTY)
		return err_set(e, "cannot rename %s: %s", tmpdir, strerror(errno));
	return 0; /* if another run won the race, its identical corpus stays; ours is left as .tmp */
}

/* Read the reference digests back from an existing corpus; -1 if it does not match. */
static int load(struct corpus *c)
{
	char path[4600], name[64], hexd[CORPUS_DIGEST_LEN * 2 + 1];
	snprintf(path, sizeof path, "%s/SHA512SUMS", c->dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int i = 0;
	while (i < c->files && fscanf(f, "%128s %63s", hexd, name) == 2) {
		char want[64];
		snprintf(want, sizeof want, "file%05d.bin", i);
		if (strcmp(name, want) || strlen(hexd) != 2 * CORPUS_DIGEST_LEN)
			break;
		for (int k = 0; k < CORPUS_DIGEST_LEN; k++)
			sscanf(hexd + 2 * k, "%2hhx", &c->digests[i][k]);
		struct stat st;
		corpus_path(c, i, path, sizeof path);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != c->file_size)
			break;
		i++;
	}
	fclose(f);
	return i == c->files ? 0 : -1;
}

int corpus_open(struct corpus *c, const char *cache_dir, uint64_t seed, int files,
		uint64_t file_size, struct err *e)
{
	memset(c, 0, sizeof *c);
	if (make_private_dir(cache_dir, e) < 0)
		return -1;
	snprintf(c->dir, sizeof c->dir, "%s/corpus-s%llu-%dx%llu", cache_dir,
		 (unsigned long long)seed, files, (unsigned long long)file_size);
	c->files = files;
	c->file_size = file_size;
	c->digests = calloc((size_t)files, CORPUS_DIGEST_LEN);
	if (!c->digests)
		return err_set(e, "out of memory for %d digests", files);
	struct stat st;
	if (lstat(c->dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		corpus_close(c);
		return err_set(e, "corpus path %s exists and is not a directory", c->dir);
	}
	if (load(c) == 0)
		return 0;
	if (generate(c, seed, e) < 0 || load(c) < 0) {
		if (!e || !e->msg[0])
			err_set(e, "corpus in %s is damaged; delete it to regenerate", c->dir);
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
