/* cpuinfo.h — what the CPU is and how its clock is managed: the model name,
 * the cpufreq governor and whether boost (turbo) is on. A governor that
 * scales the clock, or boost, makes times depend on temperature and load. */
#pragma once

struct cpu_info {
	char model[128];     /* "AMD EPYC 7B13", "" if unknown */
	char governor[96];   /* "performance", "powersave", "mixed: a, b", "" if not exposed */
	int boost;           /* 1 on, 0 off, -1 not exposed */
	char boost_from[64]; /* which file told us */
	double cur_mhz;      /* cpufreq's current clock of CPU 0, else /proc/cpuinfo's; 0 unknown */
	double max_mhz;      /* cpufreq's maximum clock of CPU 0; 0 unknown */
};

void cpu_info_read(struct cpu_info *ci);
