/* test_gil_tick_spin.c — the gil tick's loop is one chain of dependent adds,
 * with or without a working set: the set's words never feed the chain (a
 * chain through memory, each load waiting on the last store, did not slow
 * on a vCPU whose core the host shares, where CPython's interpreter and the
 * add chain slowed 1.5-1.8x, docs/GIL.md "Round twenty-two"), yet the spin
 * reads and writes one word of the set per eight turns and, over many
 * spins, every cache line of it. No timing: what each spin computes. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "gil.h"

enum { SET_BYTES = 8192, WORDS = SET_BYTES / 8, LINES = SET_BYTES / 64 };

int main(void)
{
	uint64_t *ws = aligned_alloc(64, SET_BYTES);
	CHECK(ws != NULL, "out of memory");
	static const uint64_t lengths[] = {0, 1, 7, 8, 9, 15, 16, 100, 1000, 123457};

	/* The chain ends where the registers-only chain ends, whatever the
	 * set holds: nothing read from it flows into the chain. */
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		uint64_t n = lengths[i];
		memset(ws, 0x5a, SET_BYTES);
		CHECK(gil_tick_spin(n, 1000, NULL, 0) == 1000 + n, "registers only, %llu turns",
		      (unsigned long long)n);
		uint64_t end = gil_tick_spin(n, 1000, ws, WORDS - 1);
		CHECK(end == 1000 + n, "over a set, %llu turns: the chain ended at %llu, not %llu",
		      (unsigned long long)n, (unsigned long long)end, (unsigned long long)(1000 + n));
	}

	/* One word per eight turns: from an empty set, the words sum to what
	 * the spin added (turns / 8 of them), and 4,096 of them reach every
	 * line of the set. */
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		uint64_t n = lengths[i], start = 77, want = 0, sum = 0;
		memset(ws, 0, SET_BYTES);
		(void)gil_tick_spin(n, start, ws, WORDS - 1);
		for (uint64_t k = 0; k < n / 8; k++)
			want += start + k;
		for (int w = 0; w < WORDS; w++)
			sum += ws[w];
		CHECK(sum == want, "%llu turns: the set gained %llu, not %llu (one word per eight turns)",
		      (unsigned long long)n, (unsigned long long)sum, (unsigned long long)want);
	}
	memset(ws, 0, SET_BYTES);
	uint64_t chain = 1;
	for (int spin = 0; spin < 64; spin++)
		chain = gil_tick_spin(8 * 64, chain, ws, WORDS - 1);
	int touched = 0;
	for (int line = 0; line < LINES; line++) {
		int any = 0;
		for (int w = 0; w < 8; w++)
			any |= ws[line * 8 + w] != 0;
		touched += any;
	}
	CHECK_INT(touched, LINES);
	free(ws);
	return check_report("gil_tick_spin");
}
