/* worker_limits.c — the system's limits on threads and processes. */
#include <stdio.h>
#include <sys/resource.h>
#include "worker_limits.h"

static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

long limits_max_workers(const char **which)
{
	long best = 1L << 30;
	*which = "no limit found";
	long tmax = read_long("/proc/sys/kernel/threads-max");
	if (tmax > 0 && tmax < best)
		best = tmax, *which = "kernel.threads-max";
	long pmax = read_long("/proc/sys/kernel/pid_max");
	if (pmax > 0 && pmax - 300 < best) /* leave room for what already runs */
		best = pmax - 300, *which = "kernel.pid_max";
	long maps = read_long("/proc/sys/vm/max_map_count");
	if (maps > 0 && maps / 2 - 100 < best) /* a thread's stack takes two mappings (stack + guard) */
		best = maps / 2 - 100, *which = "vm.max_map_count (two mappings per thread stack)";
	struct rlimit rl;
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur < best)
		best = (long)rl.rlim_cur, *which = "ulimit -u (RLIMIT_NPROC)";
	return best;
}
