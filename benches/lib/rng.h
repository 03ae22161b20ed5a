/* rng.h — counter-based random numbers for workloads whose answer must not
 * depend on how the work was split: draw i of a run is a pure function of
 * (seed, i), so any split of the draws into tasks, workers, processes or
 * ranks gives the same total, and verify() can check it exactly.
 * splitmix64 (Steele, Lea, Flood 2014): fast, and every output bit depends
 * on every input bit. */
#pragma once
#include <stdint.h>

static inline uint64_t rng_mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Draw i of stream `seed`. */
static inline uint64_t rng_at(uint64_t seed, uint64_t i) { return rng_mix(seed ^ rng_mix(i)); }

/* A number in [0, n) from 32 random bits (Lemire's multiply-shift: no
 * division; the bias, below n / 2^32, is the same on every machine). */
static inline uint32_t rng_below(uint64_t r, uint32_t n)
{
	return (uint32_t)(((r >> 32) * (uint64_t)n) >> 32);
}

/* A double in [0, 1) from the top 53 bits. */
static inline double rng_unit(uint64_t r) { return (double)(r >> 11) * 0x1.0p-53; }
