/* floor_cache.c — a measurement of the floors kept between runs. Floors
 * belong to a machine and a build (another compiler or flags change the
 * count-down and the switch), so the cache is keyed by both and a run on
 * anything else measures afresh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cpuinfo.h"
#include "floors.h"
#include "topology.h"
#include "version.h"

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void floors_machine_key(hwloc_topology_t topo, char *buf, size_t len)
{
	char host[128] = "unknown";
	gethostname(host, sizeof host - 1);
	struct cpu_info ci;
	cpu_info_read(&ci);
	const char *why;
	snprintf(buf, len, "%s, %s, %d PUs %d cores%s, cmbench %s %s%s %s flags#%08x", host,
		 ci.model[0] ? ci.model : "unknown CPU", topology_count(topo, HWLOC_OBJ_PU),
		 topology_count(topo, HWLOC_OBJ_CORE),
		 topology_can_bind(topo, &why) ? "" : " (cannot bind)", cmbench_version(),
		 cmbench_git_rev(), cmbench_git_dirty() ? "-dirty" : "", CMBENCH_BUILD_TYPE,
		 fnv1a(CMBENCH_C_FLAGS));
}

void floors_cache_path(char *buf, size_t len)
{
	const char *env = getenv("CMBENCH_FLOORS_CACHE"), *xdg = getenv("XDG_CACHE_HOME"),
		   *home = getenv("HOME");
	if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (xdg && *xdg)
		snprintf(buf, len, "%s/cmbench/floors.json", xdg);
	else
		snprintf(buf, len, "%s/.cache/cmbench/floors.json", home && *home ? home : "/tmp");
}

int floors_cache_load(hwloc_topology_t topo, int64_t max_age_s, struct floors *out)
{
	char path[1024], key[sizeof out->machine];
	floors_cache_path(path, sizeof path);
	floors_machine_key(topo, key, sizeof key);
	json_t *j = json_load_file(path, 0, NULL);
	if (!j)
		return -1;
	struct err e;
	json_t *at = json_object_get(j, "measured_at");
	int64_t age = (int64_t)time(NULL) - (int64_t)json_integer_value(at);
	int ok = json_is_integer(at) && age >= 0 && age <= max_age_s &&
		 floors_from_json(j, out, &e) == 0 && strcmp(out->machine, key) == 0;
	out->measured_at = (int64_t)json_integer_value(at);
	json_decref(j);
	return ok ? 0 : -1;
}

/* mkdir -p of the directory part of path. */
static void make_parent(const char *path)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(dir, 0755) != 0 && errno != EEXIST)
				return;
			*p = '/';
		}
}

int floors_cache_store(const struct floors *f)
{
	char path[1024], tmp[1100];
	floors_cache_path(path, sizeof path);
	make_parent(path);
	snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
	json_t *j = floors_json(f);
	json_object_set_new(j, "measured_at", json_integer((json_int_t)time(NULL)));
	int rc = json_dump_file(j, tmp, JSON_INDENT(1)) == 0 && rename(tmp, path) == 0 ? 0 : -1;
	if (rc != 0)
		unlink(tmp);
	json_decref(j);
	return rc;
}

json_t *floors_for_run(int fresh, struct err *e)
{
	hwloc_topology_t topo = topology_load(NULL, e); /* this machine, whatever --topology says */
	if (!topo)
		return NULL;
	struct floors *f = malloc(sizeof *f);
	if (!f) {
		hwloc_topology_destroy(topo);
		err_set(e, "floors: out of memory");
		return NULL;
	}
	int cached = !fresh && floors_cache_load(topo, 3600, f) == 0;
	json_t *j = NULL;
	if (cached || floors_measure(f, topo, NULL, e) == 0) {
		if (!cached)
			floors_cache_store(f); /* a cache that cannot be written costs a re-measure only */
		j = floors_json(f);
		json_object_set_new(j, "measured_at",
				    json_integer((json_int_t)(cached ? f->measured_at : time(NULL))));
		json_object_set_new(j, "cached", json_boolean(cached));
	}
	free(f);
	hwloc_topology_destroy(topo);
	return j;
}
