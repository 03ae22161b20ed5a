/* proc_memory.h — what a process really costs in memory. ru_maxrss counts
 * every page a process maps, shared or not, so summing it over forked
 * workers counts the parent's pages once per child; the proportional set
 * size (Pss) divides each shared page among its sharers, so Pss sums to the
 * memory actually used. */
#pragma once
#include <stdint.h>
#include <sys/types.h>

/* The Pss of process `pid` (0: this one) now, in KiB, from
 * /proc/PID/smaps_rollup; -1 if it cannot be read (gone, no /proc). */
int64_t proc_pss_kb(pid_t pid);
