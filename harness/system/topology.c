/* topology.c — loading and describing hwloc topologies. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sysinfo.h"
#include "topology.h"

static int looks_like_xml(const char *spec)
{
	size_t n = strlen(spec);
	struct stat st;
	if (n > 4 && strcasecmp(spec + n - 4, ".xml") == 0)
		return 1;
	return stat(spec, &st) == 0 && S_ISREG(st.st_mode);
}

/* PUs a synthetic description builds: the product of its levels' arities
 * ("package:2 core:8 pu:2" -> 32), capped at cap + 1. */
static long synthetic_pus(const char *spec, long cap)
{
	long pus = 1;
	for (const char *p = spec; (p = strchr(p, ':')); p++) {
		char *end;
		long n = strtol(p + 1, &end, 10);
		if (end == p + 1 || n < 1)
			continue; /* not an arity: hwloc judges the syntax */
		pus = n > cap || pus > cap / n ? cap + 1 : pus * n;
	}
	return pus;
}

hwloc_topology_t topology_load(const char *spec, struct err *e)
{
	/* hwloc builds every object of a synthetic topology: a million PUs took
	 * 30 s and 357 MB before anything was said */
	if (spec && !looks_like_xml(spec) && synthetic_pus(spec, TOPOLOGY_PUS_MAX) > TOPOLOGY_PUS_MAX) {
		err_set(e, "--topology '%s' has more than %d PUs (allowed: up to %d)", spec,
			TOPOLOGY_PUS_MAX, TOPOLOGY_PUS_MAX);
		return NULL;
	}
	hwloc_topology_t topo;
	if (hwloc_topology_init(&topo) < 0) {
		err_set(e, "hwloc: cannot initialise a topology: %s", strerror(errno));
		return NULL;
	}
	/* Instruction caches are filtered out by default; results list them. */
	hwloc_topology_set_icache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_ALL);
	if (spec && looks_like_xml(spec)) {
		if (hwloc_topology_set_xml(topo, spec) < 0) {
			err_set(e, "--topology '%s': cannot read it as an hwloc XML file: %s", spec,
				strerror(errno));
			goto fail;
		}
	} else if (spec) {
		if (hwloc_topology_set_synthetic(topo, spec) < 0) {
			err_set(e,
				"--topology '%s': neither an XML file nor an hwloc synthetic "
				"description (allowed: FILE.xml, or e.g. 'package:2 core:8 pu:2')",
				spec);
			goto fail;
		}
	}
	if (!spec)
		/* Plan within the CPUs this process may use (taskset, a container's
		 * cpuset): policies then never bind outside what the user allowed. */
		hwloc_topology_set_flags(topo, HWLOC_TOPOLOGY_FLAG_IS_THISSYSTEM |
						       HWLOC_TOPOLOGY_FLAG_RESTRICT_TO_CPUBINDING);
	if (hwloc_topology_load(topo) < 0) {
		err_set(e, "--topology '%s': hwloc cannot load it: %s", spec ? spec : "this machine",
			strerror(errno));
		goto fail;
	}
	return topo;
fail:
	hwloc_topology_destroy(topo);
	return NULL;
}

int topology_can_bind(hwloc_topology_t topo, const char **why)
{
	const struct hwloc_topology_support *s = hwloc_topology_get_support(topo);
	const char *reason = NULL;
	if (!hwloc_topology_is_thissystem(topo))
		reason = "the topology is not this machine (synthetic or XML): nothing is bound";
	else if (!s->cpubind->set_thisthread_cpubind || !s->cpubind->set_thisproc_cpubind)
		reason = "hwloc cannot bind threads or processes on this system";
	if (why)
		*why = reason;
	return reason == NULL;
}

int topology_count(hwloc_topology_t topo, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(topo, type);
	return n < 0 ? 0 : n;
}

void topology_type_name(hwloc_obj_t obj, char *buf, size_t len)
{
	if (obj->type == HWLOC_OBJ_NUMANODE) {
		snprintf(buf, len, "numa");
		return;
	}
	hwloc_obj_type_snprintf(buf, len, obj, 0);
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

void topology_obj_describe(hwloc_obj_t obj, char *buf, size_t len)
{
	hwloc_obj_t chain[3];
	int n = 0;
	if (!obj->parent) {
		snprintf(buf, len, "machine");
		return;
	}
	chain[n++] = obj;
	for (hwloc_obj_t a = obj->parent; a && n < 3; a = a->parent)
		if ((a->type == HWLOC_OBJ_CORE || a->type == HWLOC_OBJ_PACKAGE) && a != obj)
			chain[n++] = a;
	/* A NUMA node hangs beside its CPUs, not above them; its package is an
	 * ancestor and is found by the walk above. */
	size_t used = 0;
	buf[0] = '\0';
	for (int i = n - 1; i >= 0 && used < len; i--) {
		char type[32];
		topology_type_name(chain[i], type, sizeof type);
		used += (size_t)snprintf(buf + used, len - used, "%s%s:%u", used ? " " : "", type,
					 chain[i]->logical_index);
	}
}

static const char *cache_type_name(hwloc_obj_cache_type_t t)
{
	switch (t) {
	case HWLOC_OBJ_CACHE_DATA: return "data";
	case HWLOC_OBJ_CACHE_INSTRUCTION: return "instruction";
	default: return "unified";
	}
}

/* One group of caches: same level, type, size and sharing (hybrid CPUs have
 * several groups per level). */
struct cache_group {
	unsigned level;
	hwloc_obj_cache_type_t type;
	unsigned long long size;
	int sharing; /* PUs per cache */
	int count;
};

#define CACHE_GROUPS_MAX 32

static int cache_groups(hwloc_topology_t topo, struct cache_group *g, int max)
{
	int n = 0;
	int depths = hwloc_topology_get_depth(topo);
	/* Deepest (L1) first, as people read cache lists. */
	for (int d = depths - 1; d >= 0; d--) {
		hwloc_obj_t obj = NULL;
		while ((obj = hwloc_get_next_obj_by_depth(topo, d, obj))) {
			if (!hwloc_obj_type_is_cache(obj->type))
				break;
			struct cache_group key = {
				.level = obj->attr->cache.depth,
				.type = obj->attr->cache.type,
				.size = (unsigned long long)obj->attr->cache.size,
				.sharing = hwloc_bitmap_weight(obj->cpuset),
			};
			int i;
			for (i = 0; i < n; i++)
				if (g[i].level == key.level && g[i].type == key.type &&
				    g[i].size == key.size && g[i].sharing == key.sharing)
					break;
			if (i == n) {
				if (n == max)
					return n;
				g[n] = key;
				n++;
			}
			g[i].count++;
		}
	}
	return n;
}

static void size_text(unsigned long long bytes, char *buf, size_t len)
{
	if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
		snprintf(buf, len, "%llu GiB", bytes >> 30);
	else if (bytes >= (1ull << 30))
		snprintf(buf, len, "%.1f GiB", (double)bytes / (1ull << 30));
	else if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0)
		snprintf(buf, len, "%llu MiB", bytes >> 20);
	else if (bytes >= (1ull << 20))
		snprintf(buf, len, "%.1f MiB", (double)bytes / (1ull << 20));
	else if (bytes >= 1024)
		snprintf(buf, len, "%llu KiB", bytes >> 10);
	else
		snprintf(buf, len, "%llu B", bytes);
}

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void topology_print_summary(hwloc_topology_t topo, const char *spec, FILE *f)
{
	int packages = topology_count(topo, HWLOC_OBJ_PACKAGE);
	int cores = topology_count(topo, HWLOC_OBJ_CORE);
	int pus = topology_count(topo, HWLOC_OBJ_PU);
	int numa = topology_count(topo, HWLOC_OBJ_NUMANODE);
	char text[128];
	const char *why;

	fprintf(f, "topology: %s%s%s\n", spec ? (looks_like_xml(spec) ? "xml " : "synthetic '") : "this machine",
		spec ? spec : "", spec && !looks_like_xml(spec) ? "'" : "");
	fprintf(f, "  %d %s, %d %s, %d %s", packages, plural(packages, "package", "packages"), cores,
		plural(cores, "core", "cores"), pus, plural(pus, "PU", "PUs"));
	if (cores > 0 && pus % cores == 0)
		fprintf(f, " (%d per core)", pus / cores);
	fprintf(f, ", %d NUMA %s\n", numa, plural(numa, "node", "nodes"));
	if (!spec && pus < sysinfo_num_cpus())
		fprintf(f, "  (restricted to the %d of %d online PUs this process may use)\n", pus,
			sysinfo_num_cpus());

	for (int i = 0; i < numa; i++) {
		hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
		char cpus[256];
		hwloc_bitmap_list_snprintf(cpus, sizeof cpus, node->cpuset);
		size_text((unsigned long long)node->attr->numanode.local_memory, text, sizeof text);
		fprintf(f, "  numa:%d  %s, cpus %s\n", i, text, cpus);
	}

	struct cache_group g[CACHE_GROUPS_MAX];
	int ng = cache_groups(topo, g, CACHE_GROUPS_MAX);
	for (int i = 0; i < ng; i++) {
		size_text(g[i].size, text, sizeof text);
		fprintf(f, "  L%u %-11s %s x%d, each shared by %d %s\n", g[i].level,
			cache_type_name(g[i].type), text, g[i].count, g[i].sharing,
			plural(g[i].sharing, "PU", "PUs"));
	}

	for (int i = 0; i < packages; i++) {
		hwloc_obj_t pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, (unsigned)i);
		char cpus[256];
		hwloc_bitmap_list_snprintf(cpus, sizeof cpus, pkg->cpuset);
		int cores_in = hwloc_get_nbobjs_inside_cpuset_by_type(topo, pkg->cpuset, HWLOC_OBJ_CORE);
		fprintf(f, "  package:%d  %d %s, cpus %s\n", i, cores_in,
			plural(cores_in, "core", "cores"), cpus);
	}
	if (topology_can_bind(topo, &why))
		fprintf(f, "  binding: supported (threads and processes)\n");
	else
		fprintf(f, "  binding: skipped: %s\n", why);
}

json_t *topology_json(hwloc_topology_t topo, const char *spec)
{
	json_t *j = json_object();
	const char *why;
	char source[512];
	if (!spec)
		snprintf(source, sizeof source, "this machine");
	else
		snprintf(source, sizeof source, "%s %s", looks_like_xml(spec) ? "xml" : "synthetic", spec);
	json_object_set_new(j, "source", json_string(source));
	json_object_set_new(j, "hwloc_version", json_string(HWLOC_VERSION));
	json_object_set_new(j, "packages", json_integer(topology_count(topo, HWLOC_OBJ_PACKAGE)));
	json_object_set_new(j, "cores", json_integer(topology_count(topo, HWLOC_OBJ_CORE)));
	json_object_set_new(j, "pus", json_integer(topology_count(topo, HWLOC_OBJ_PU)));
	if (!spec) /* fewer when this process was restricted (taskset, cpuset) */
		json_object_set_new(j, "online_pus", json_integer(sysinfo_num_cpus()));
	int numa = topology_count(topo, HWLOC_OBJ_NUMANODE);
	json_object_set_new(j, "numa_nodes", json_integer(numa));

	json_t *nodes = json_array();
	for (int i = 0; i < numa; i++) {
		hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
		char cpus[256];
		hwloc_bitmap_list_snprintf(cpus, sizeof cpus, node->cpuset);
		json_array_append_new(
			nodes, json_pack("{s:i, s:I, s:s}", "index", i, "memory",
					 (json_int_t)node->attr->numanode.local_memory, "cpus", cpus));
	}
	json_object_set_new(j, "numa", nodes);

	json_t *caches = json_array();
	struct cache_group g[CACHE_GROUPS_MAX];
	int ng = cache_groups(topo, g, CACHE_GROUPS_MAX);
	for (int i = 0; i < ng; i++)
		json_array_append_new(caches, json_pack("{s:i, s:s, s:I, s:i, s:i}", "level",
							(int)g[i].level, "type",
							cache_type_name(g[i].type), "size",
							(json_int_t)g[i].size, "count", g[i].count,
							"pus_sharing", g[i].sharing));
	json_object_set_new(j, "caches", caches);
	json_object_set_new(j, "can_bind", json_boolean(topology_can_bind(topo, &why)));
	if (why)
		json_object_set_new(j, "binding_note", json_string(why));
	return j;
}
