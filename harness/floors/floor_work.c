/* floor_work.c — the floors of a unit of CPU work, on the calling thread:
 * SHA-512 through libcrypto's EVP interface in 64 KiB updates (what the
 * sha512 workload does per chunk), and the count-down loop of
 * benches/countdown.c (one dependent decrement that an empty asm keeps
 * the compiler from folding). */
#include <openssl/evp.h>
#include <stdlib.h>
#include "clock.h"
#include "floor_measure.h"

int floor_sha512(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	(void)unused;
	unsigned char *buf = malloc(FLOOR_SHA512_CHUNK);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!buf || !ctx) {
		free(buf);
		EVP_MD_CTX_free(ctx);
		return err_set(e, "sha512: out of memory");
	}
	for (size_t i = 0; i < FLOOR_SHA512_CHUNK; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok = EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) == 1;
	int64_t start = clock_now_ns();
	for (uint64_t i = 0; ok && i < ops; i++)
		ok = EVP_DigestUpdate(ctx, buf, FLOOR_SHA512_CHUNK) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	*elapsed_ns = clock_now_ns() - start;
	EVP_MD_CTX_free(ctx);
	free(buf);
	if (!ok || mdlen != 64)
		return err_set(e, "sha512: EVP digest failed");
	return 0;
}

int floor_countdown(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	(void)unused;
	uint64_t n = ops;
	int64_t start = clock_now_ns();
	while (n > 0) {
		n--;
		__asm__ volatile("" : "+r"(n));
	}
	*elapsed_ns = clock_now_ns() - start;
	if (n != 0)
		return err_set(e, "countdown: ended at %llu", (unsigned long long)n);
	return 0;
}
