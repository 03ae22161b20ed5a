/* pin_location.c — explicit hwloc locations for --pin, a subset of
 * hwloc-calc's syntax: TYPE:INDEXES steps, nested with '.', listed with ','.
 * INDEXES is N, N-M, N- (to the last), all, odd or even, by logical index
 * within the parent (the whole machine for the first step). A bare INDEXES
 * item continues the previous item's type: "pu:0,2" = "pu:0,pu:2". Type
 * names are hwloc's (hwloc_type_sscanf): package, core, pu, numa, l3, ... */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "pin.h"
#include "topology.h"

#define LOC_STEPS_MAX 8

struct index_set {
	long lo, hi; /* inclusive; hi == LONG_MAX: to the last object */
	int stride;  /* 1, or 2 for odd/even */
	int open;    /* "all", "odd", "even" or "N-": fewer objects is no error */
};

struct loc_step {
	char type[32];
	struct index_set idx;
	const char *text; /* the step as written, for messages */
};

static int parse_number(const char *s, const char **end, long *out)
{
	char *p;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtol(s, &p, 10);
	if (errno || *out > INT_MAX)
		return -1;
	*end = p;
	return 0;
}

static int parse_indexes(const char *s, struct index_set *ix)
{
	const char *end;
	*ix = (struct index_set){.stride = 1};
	if (!strcmp(s, "all") || !strcmp(s, "even") || !strcmp(s, "odd")) {
		ix->lo = !strcmp(s, "odd");
		ix->hi = LONG_MAX;
		ix->stride = !strcmp(s, "all") ? 1 : 2;
		ix->open = 1;
		return 0;
	}
	if (parse_number(s, &end, &ix->lo) < 0)
		return -1;
	if (*end == '\0') {
		ix->hi = ix->lo;
		return 0;
	}
	if (*end != '-')
		return -1;
	if (end[1] == '\0') {
		ix->hi = LONG_MAX;
		ix->open = 1;
		return 0;
	}
	if (parse_number(end + 1, &end, &ix->hi) < 0 || *end != '\0' || ix->hi < ix->lo)
		return -1;
	return 0;
}

/* Split "package:1.core:0-3" into steps (in place). */
static int parse_path(char *path, const char *item, struct loc_step *steps, struct err *e)
{
	int n = 0;
	size_t len = strlen(path);
	if (path[0] == '.' || (len && path[len - 1] == '.') || strstr(path, ".."))
		return err_set(e, "--pin '%s': empty step around '.' (e.g. package:1.core:0)", item);
	for (char *save = NULL, *s = strtok_r(path, ".", &save); s; s = strtok_r(NULL, ".", &save)) {
		char *colon = strchr(s, ':');
		hwloc_obj_type_t type;
		if (n == LOC_STEPS_MAX)
			return err_set(e, "--pin '%s': more than %d nested steps", item,
				       LOC_STEPS_MAX);
		if (!colon || colon == s || (size_t)(colon - s) >= sizeof steps[n].type)
			return err_set(e,
				       "--pin '%s': '%s' is not a location TYPE:INDEXES "
				       "(e.g. core:0-3, pu:2, package:1.core:0)",
				       item, s);
		memcpy(steps[n].type, s, (size_t)(colon - s));
		steps[n].type[colon - s] = '\0';
		if (hwloc_type_sscanf(steps[n].type, &type, NULL, 0) < 0)
			return err_set(e,
				       "--pin '%s': unknown object type '%s' (allowed: none, compact, "
				       "scatter, cores, single, or hwloc locations of package, core, "
				       "pu, numa, l1..l5, group)",
				       item, steps[n].type);
		if (hwloc_obj_type_is_io(type) || type == HWLOC_OBJ_MISC)
			return err_set(e, "--pin '%s': a %s has no CPUs to run on", item,
				       steps[n].type);
		if (parse_indexes(colon + 1, &steps[n].idx) < 0)
			return err_set(e,
				       "--pin '%s': bad index '%s' (allowed: N, N-M, N-, all, "
				       "odd, even)",
				       item, colon + 1);
		n++;
	}
	if (n == 0)
		return err_set(e, "--pin: empty location in '%s'", item);
	return n;
}

struct obj_list {
	hwloc_obj_t *v;
	int n, cap;
};

static int obj_list_push(struct obj_list *l, hwloc_obj_t obj)
{
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 16;
		hwloc_obj_t *v = realloc(l->v, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = obj;
	return 0;
}

/* Resolve the steps of one item below the machine; append to out. */
static int resolve_steps(hwloc_topology_t topo, const char *item, const struct loc_step *steps,
			 int nsteps, struct obj_list *out, struct err *e)
{
	struct obj_list parents = {0}, children = {0};
	int rc = -1;
	if (obj_list_push(&parents, hwloc_get_root_obj(topo)) < 0)
		goto oom;
	for (int s = 0; s < nsteps; s++) {
		int depth;
		if (hwloc_type_sscanf_as_depth(steps[s].type, NULL, topo, &depth) < 0 ||
		    depth == HWLOC_TYPE_DEPTH_UNKNOWN) {
			err_set(e, "--pin '%s': this topology has no %s level", item,
				steps[s].type);
			goto out;
		}
		if (depth == HWLOC_TYPE_DEPTH_MULTIPLE) {
			err_set(e, "--pin '%s': '%s' names several levels here; name one (e.g. l1d, group0)",
				item, steps[s].type);
			goto out;
		}
		children.n = 0;
		for (int p = 0; p < parents.n; p++) {
			hwloc_const_cpuset_t within = parents.v[p]->cpuset;
			long count = hwloc_get_nbobjs_inside_cpuset_by_depth(topo, within, depth);
			const struct index_set *ix = &steps[s].idx;
			if ((!ix->open && ix->hi >= count) || ix->lo >= count) {
				char where[64] = "this topology";
				if (parents.v[p]->parent) {
					char type[32];
					topology_type_name(parents.v[p], type, sizeof type);
					snprintf(where, sizeof where, "%s:%u", type,
						 parents.v[p]->logical_index);
				}
				if (count == 0)
					err_set(e, "--pin '%s': %s has no %s", item, where, steps[s].type);
				else
					err_set(e, "--pin '%s': %s has no %s:%ld (it has %s:0-%ld)", item,
						where, steps[s].type, ix->open ? ix->lo : ix->hi,
						steps[s].type, count - 1);
				goto out;
			}
			long hi = ix->hi < count ? ix->hi : count - 1;
			for (long i = ix->lo; i <= hi; i += ix->stride)
				if (obj_list_push(&children, hwloc_get_obj_inside_cpuset_by_depth(
								     topo, within, depth, (unsigned)i)) < 0)
					goto oom;
		}
		struct obj_list t = parents;
		parents = children;
		children = t;
	}
	for (int i = 0; i < parents.n; i++)
		if (obj_list_push(out, parents.v[i]) < 0)
			goto oom;
	rc = 0;
	goto out;
oom:
	err_set(e, "--pin '%s': out of memory", item);
out:
	free(parents.v);
	free(children.v);
	return rc;
}

/* Walk the items of a list; with topo NULL only check the syntax. */
static int walk_locations(hwloc_topology_t topo, const char *text, struct obj_list *out,
			  struct err *e)
{
	char items[PIN_TEXT_MAX], prefix[PIN_TEXT_MAX] = "";
	if (strlen(text) >= sizeof items)
		return err_set(e, "--pin: location list longer than %d characters", PIN_TEXT_MAX - 1);
	strcpy(items, text);
	for (char *save = NULL, *item = strtok_r(items, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char path[2 * PIN_TEXT_MAX], scratch[2 * PIN_TEXT_MAX];
		struct loc_step steps[LOC_STEPS_MAX];
		if (strchr(item, ':')) {
			snprintf(path, sizeof path, "%s", item);
			/* What a bare index after this item continues: up to the last ':'. */
			size_t keep = (size_t)(strrchr(item, ':') - item) + 1;
			memcpy(prefix, item, keep);
			prefix[keep] = '\0';
		} else if (prefix[0]) {
			snprintf(path, sizeof path, "%s%s", prefix, item);
		} else {
			return err_set(e,
				       "--pin '%s': '%s' is not a policy or location (allowed: none, "
				       "compact, scatter, cores, single, or hwloc locations such as "
				       "core:0-3, pu:0,pu:2)",
				       text, item);
		}
		strcpy(scratch, path);
		int nsteps = parse_path(scratch, path, steps, e);
		if (nsteps < 0)
			return -1;
		if (topo && resolve_steps(topo, path, steps, nsteps, out, e) < 0)
			return -1;
	}
	return 0;
}

int pin_locations_check(const char *text, struct err *e)
{
	if (!text[0] || text[0] == ',' || text[strlen(text) - 1] == ',' || strstr(text, ",,"))
		return err_set(e, "--pin '%s': empty item in the location list", text);
	return walk_locations(NULL, text, NULL, e);
}

int pin_locations_resolve(hwloc_topology_t topo, const char *text, hwloc_obj_t **objs,
			  struct err *e)
{
	struct obj_list out = {0};
	if (pin_locations_check(text, e) < 0 || walk_locations(topo, text, &out, e) < 0) {
		free(out.v);
		return -1;
	}
	*objs = out.v;
	return out.n;
}
