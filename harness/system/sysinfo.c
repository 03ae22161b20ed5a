/* sysinfo.c — describe the machine and the build for the results context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "cpuinfo.h"
#include "file_line.h"
#include "sysinfo.h"
#include "version.h"
#include "virt.h"

int sysinfo_num_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static double cpu_mhz(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];
	double mhz = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "cpu MHz : %lf", &mhz) == 1)
			break;
	if (f)
		fclose(f);
	return mhz;
}

/* Caches of CPU 0 from sysfs, in Google Benchmark's shape. */
static json_t *caches(void)
{
	json_t *list = json_array();
	for (int i = 0; i < 16; i++) {
		char path[128], type[32], level[16], size[32], shared[256];
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
		if (file_read_line(path, type, sizeof type) < 0)
			break;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
		file_read_line(path, level, sizeof level);
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		file_read_line(path, size, sizeof size);
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/shared_cpu_list", i);
		if (file_read_line(path, shared, sizeof shared) < 0)
			shared[0] = 0;
		long bytes = atol(size) * (strchr(size, 'M') ? 1048576 : strchr(size, 'K') ? 1024 : 1);
		/* count the CPUs in a list such as "0-3,8" */
		int sharing = 0;
		for (char *p = shared; *p;) {
			int a = (int)strtol(p, &p, 10), b = a;
			if (*p == '-')
				b = (int)strtol(p + 1, &p, 10);
			sharing += b - a + 1;
			if (*p == ',')
				p++;
			else
				break;
		}
		json_array_append_new(list, json_pack("{s:s, s:i, s:I, s:i}", "type", type, "level",
						      atoi(level), "size", (json_int_t)bytes,
						      "num_sharing", sharing ? sharing : 1));
	}
	return list;
}

static json_t *text_or_null(const char *s) { return s[0] ? json_string(s) : json_null(); }

/* What makes times on this machine differ from another's: the CPU and how its
 * clock is managed, the kernel, and whether it is a virtual machine. */
static void add_machine(json_t *ctx)
{
	struct cpu_info ci;
	cpu_info_read(&ci);
	json_object_set_new(ctx, "cpu_model", text_or_null(ci.model));
	json_object_set_new(ctx, "cpu_governor", text_or_null(ci.governor));
	json_object_set_new(ctx, "cpu_boost", ci.boost < 0 ? json_null() : json_boolean(ci.boost));
	json_object_set_new(ctx, "cpu_mhz_max", ci.max_mhz > 0 ? json_real(ci.max_mhz) : json_null());
	struct utsname u;
	if (uname(&u) == 0)
		json_object_set_new(ctx, "kernel", json_pack("{s:s, s:s, s:s, s:s}", "sysname",
							     u.sysname, "release", u.release, "version",
							     u.version, "machine", u.machine));
	struct virt_info v;
	virt_detect(&v);
	json_object_set_new(ctx, "virtualization",
			    json_pack("{s:b, s:o, s:o, s:o}", "virtualised", v.virtualised,
				      "hypervisor", text_or_null(v.hypervisor), "detected_by",
				      text_or_null(v.how), "container", text_or_null(v.container)));
}

json_t *sysinfo_context(const char *profile, json_t *options)
{
	char host[256] = "", date[64], exe[4096] = "";
	gethostname(host, sizeof host - 1);
	time_t now = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = 0;
	double load[3] = {0, 0, 0};
	getloadavg(load, 3);
	int scaling = access("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", R_OK) == 0;
	const char *bt = CMBENCH_BUILD_TYPE;
	int debug = strstr(bt, "Debug") != NULL;
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:i, s:f, s:b, s:o, s:[f,f,f], s:s, s:s, s:s, "
			 "s:s, s:s, s:s, s:s, s:o}",
			 "date", date, "host_name", host, "executable", exe, "num_cpus",
			 sysinfo_num_cpus(), "mhz_per_cpu", cpu_mhz(), "cpu_scaling_enabled", scaling,
			 "caches", caches(), "load_avg", load[0], load[1], load[2],
			 "library_build_type", debug ? "debug" : "release", "cmbench_version",
			 cmbench_version(), "git_revision",
			 cmbench_git_rev(), "compiler", CMBENCH_COMPILER, "c_flags",
			 CMBENCH_C_FLAGS, "build_type", bt, "profile", profile, "options", options);
	json_object_set_new(ctx, "git_dirty", json_boolean(cmbench_git_dirty()));
	add_machine(ctx);
	return ctx;
}
