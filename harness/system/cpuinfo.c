/* cpuinfo.c — CPU model, cpufreq governor and boost (see cpuinfo.h). */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpuinfo.h"
#include "file_line.h"

/* The first "KEY : value" of /proc/cpuinfo among the keys, in order of preference. */
static void cpuinfo_field(const char *const *keys, char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512];
	int best = -1;
	while (fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		for (int k = 0; keys[k] && (best < 0 || k < best); k++) {
			size_t kl = strlen(keys[k]);
			if (strncmp(line, keys[k], kl) || (line[kl] != ' ' && line[kl] != '\t'))
				continue;
			char *v = colon + 1 + strspn(colon + 1, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(out, len, "%s", v);
			best = k;
		}
	}
	fclose(f);
}

static void read_governors(char *out, size_t len)
{
	glob_t g;
	out[0] = 0;
	if (glob("/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor", 0, NULL, &g))
		return;
	char list[256] = "";
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char gov[48];
		if (file_read_line(g.gl_pathv[i], gov, sizeof gov))
			continue;
		/* Distinct names only: usually one. */
		char needle[52];
		snprintf(needle, sizeof needle, "%s,", gov);
		if (strstr(list, needle))
			continue;
		if (strlen(list) + strlen(needle) < sizeof list)
			strcat(list, needle);
	}
	globfree(&g);
	size_t n = strlen(list);
	if (!n)
		return;
	list[n - 1] = 0;
	if (strchr(list, ','))
		snprintf(out, len, "mixed: %s", list);
	else
		snprintf(out, len, "%s", list);
}

static void read_boost(struct cpu_info *ci)
{
	char v[16];
	ci->boost = -1;
	if (!file_read_line("/sys/devices/system/cpu/cpufreq/boost", v, sizeof v)) {
		ci->boost = atoi(v) != 0;
		snprintf(ci->boost_from, sizeof ci->boost_from, "cpufreq/boost");
	} else if (!file_read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v, sizeof v)) {
		ci->boost = atoi(v) == 0;
		snprintf(ci->boost_from, sizeof ci->boost_from, "intel_pstate/no_turbo");
	} else if (!file_read_line("/sys/devices/system/cpu/cpufreq/policy0/boost", v, sizeof v)) {
		ci->boost = atoi(v) != 0;
		snprintf(ci->boost_from, sizeof ci->boost_from, "cpufreq/policy0/boost");
	}
}

void cpu_info_read(struct cpu_info *ci)
{
	memset(ci, 0, sizeof *ci);
	static const char *const model_keys[] = {"model name", "Model", "cpu model", "Hardware",
						  "cpu", NULL};
	cpuinfo_field(model_keys, ci->model, sizeof ci->model);
	read_governors(ci->governor, sizeof ci->governor);
	read_boost(ci);
	char v[32];
	if (!file_read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", v, sizeof v))
		ci->cur_mhz = atof(v) / 1000;
	if (!file_read_line("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", v, sizeof v))
		ci->max_mhz = atof(v) / 1000;
	if (ci->cur_mhz == 0) {
		static const char *const mhz_keys[] = {"cpu MHz", NULL};
		char mhz[32] = "";
		cpuinfo_field(mhz_keys, mhz, sizeof mhz);
		ci->cur_mhz = atof(mhz);
	}
}
