/* proc_memory.c — Pss of the calling process. */
#include "proc_memory.h"
#include <stdio.h>

int64_t proc_pss_kb(pid_t pid)
{
	char path[64];
	if (pid)
		snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	else
		snprintf(path, sizeof path, "/proc/self/smaps_rollup");
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[256];
	long long kb = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Pss: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}
