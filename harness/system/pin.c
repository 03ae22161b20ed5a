/* pin.c — pinning policies worked out into per-worker binding plans, and
 * their application with hwloc. See pin.h for what each policy promises. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "pin.h"
#include "topology.h"

static const char *const pin_names[] = {
	[PIN_NONE] = "none",     [PIN_COMPACT] = "compact", [PIN_SCATTER] = "scatter",
	[PIN_CORES] = "cores",   [PIN_SINGLE] = "single",
};

#define CPUS_TEXT_MAX 256

/* What a worker got, in memory shared with forked workers. */
enum applied_state { APPLIED_NOTHING, APPLIED_BOUND, APPLIED_READ_ONLY, APPLIED_SKIPPED, APPLIED_FAILED };

struct applied {
	int state;
	char cpus[CPUS_TEXT_MAX]; /* read back: hwloc_get_cpubind */
	char error[160];
};

struct slot {
	hwloc_obj_t obj;
	hwloc_bitmap_t cpuset;
};

struct binding {
	hwloc_topology_t topo;
	struct pin_policy policy;
	int workers;
	int nslots; /* 0 for none */
	struct slot *slots;
	const char *skip_reason;
	hwloc_bitmap_t caller_cpuset; /* the planning thread's binding, to restore */
	struct applied *applied;      /* workers entries, MAP_SHARED */
};

static int is_policy_name(const char *s, size_t len, enum pin_kind *kind)
{
	for (size_t k = 0; k < sizeof pin_names / sizeof pin_names[0]; k++)
		if (pin_names[k] && strlen(pin_names[k]) == len && !strncmp(s, pin_names[k], len)) {
			*kind = (enum pin_kind)k;
			return 1;
		}
	return 0;
}

int pin_policy_parse(const char *text, struct pin_policy *out, struct err *e)
{
	enum pin_kind kind;
	if (strlen(text) >= sizeof out->text)
		return err_set(e, "--pin: policy longer than %d characters", PIN_TEXT_MAX - 1);
	if (is_policy_name(text, strlen(text), &kind)) {
		out->kind = kind;
	} else {
		if (pin_locations_check(text, e) < 0)
			return -1;
		out->kind = PIN_LOCATIONS;
	}
	strcpy(out->text, text);
	return 0;
}

int pin_policy_list_parse(const char *text, struct pin_policy *out, int max, struct err *e)
{
	int n = 0;
	const char *p = text;
	if (!*text)
		return err_set(e, "--pin: empty (allowed: none, compact, scatter, cores, single, "
				  "or hwloc locations such as core:0-3)");
	while (*p) {
		/* A policy is one named item, or a run of location items. */
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		enum pin_kind kind;
		char one[PIN_TEXT_MAX];
		if (!is_policy_name(p, len, &kind))
			while (end) {
				const char *next = end + 1, *next_end = strchr(next, ',');
				size_t next_len = next_end ? (size_t)(next_end - next) : strlen(next);
				if (next_len == 0 || is_policy_name(next, next_len, &kind))
					break;
				end = next_end;
				len = end ? (size_t)(end - p) : strlen(p);
			}
		if (len == 0)
			return err_set(e, "--pin '%s': empty item", text);
		if (len >= sizeof one)
			return err_set(e, "--pin: policy longer than %d characters", PIN_TEXT_MAX - 1);
		if (n == max)
			return err_set(e, "--pin '%s': more than %d policies", text, max);
		memcpy(one, p, len);
		one[len] = '\0';
		if (pin_policy_parse(one, &out[n], e) < 0)
			return -1;
		n++;
		if (!end)
			break;
		p = end + 1;
		if (!*p)
			return err_set(e, "--pin '%s': empty item", text);
	}
	return n;
}

static int add_slot(struct binding *b, hwloc_obj_t obj, hwloc_const_cpuset_t cpuset)
{
	b->slots[b->nslots].obj = obj;
	b->slots[b->nslots].cpuset = hwloc_bitmap_dup(cpuset);
	if (!b->slots[b->nslots].cpuset)
		return -1;
	b->nslots++;
	return 0;
}

/* The PU a one-bit cpuset stands for. */
static hwloc_obj_t pu_of(hwloc_topology_t topo, hwloc_const_cpuset_t set)
{
	return hwloc_get_pu_obj_by_os_index(topo, (unsigned)hwloc_bitmap_first(set));
}

static int plan_scatter(struct binding *b, int npus)
{
	/* hwloc_distrib gives n sets spread over packages, then cores, then
	 * PUs; the first PU of each keeps a worker from wandering inside its
	 * share. More workers than PUs wrap around over all of them. */
	int n = b->workers < npus ? b->workers : npus;
	hwloc_obj_t root = hwloc_get_root_obj(b->topo);
	hwloc_cpuset_t *sets = calloc((size_t)n, sizeof *sets);
	int rc = 0;
	if (!sets || hwloc_distrib(b->topo, &root, 1, sets, (unsigned)n, INT_MAX, 0) < 0)
		rc = -1;
	for (int i = 0; i < n && rc == 0; i++) {
		hwloc_bitmap_singlify(sets[i]);
		rc = add_slot(b, pu_of(b->topo, sets[i]), sets[i]);
	}
	for (int i = 0; sets && i < n; i++)
		hwloc_bitmap_free(sets[i]);
	free(sets);
	return rc;
}

static int plan_locations(struct binding *b, struct err *e)
{
	hwloc_obj_t *objs;
	int n = pin_locations_resolve(b->topo, b->policy.text, &objs, e);
	if (n < 0)
		return -2;
	b->slots = calloc((size_t)n, sizeof *b->slots);
	for (int i = 0; b->slots && i < n; i++)
		if (add_slot(b, objs[i], objs[i]->cpuset) < 0)
			break;
	free(objs);
	return b->nslots == n ? 0 : -1;
}

/* 0, -1 when out of memory, -2 with e set when a location does not exist. */
static int plan_slots(struct binding *b, struct err *e)
{
	hwloc_topology_t topo = b->topo;
	int npus = topology_count(topo, HWLOC_OBJ_PU);
	if (b->policy.kind == PIN_NONE)
		return 0;
	if (b->policy.kind == PIN_LOCATIONS)
		return plan_locations(b, e);
	/* Every other policy has at most one slot per PU. */
	b->slots = calloc((size_t)npus, sizeof *b->slots);
	if (!b->slots)
		return -1;
	switch (b->policy.kind) {
	case PIN_SINGLE: {
		hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, 0);
		return add_slot(b, pu, pu->cpuset);
	}
	case PIN_COMPACT:
		/* Logical PU order is tree order: PUs of a core, cores of a package. */
		for (int i = 0; i < npus; i++) {
			hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
			if (add_slot(b, pu, pu->cpuset) < 0)
				return -1;
		}
		return 0;
	case PIN_SCATTER:
		return plan_scatter(b, npus);
	case PIN_CORES: {
		/* A topology without a core level (synthetic "pu:4") has one PU per core. */
		int ncores = topology_count(topo, HWLOC_OBJ_CORE);
		hwloc_obj_type_t type = ncores > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
		int n = ncores > 0 ? ncores : npus;
		for (int i = 0; i < n; i++) {
			hwloc_obj_t core = hwloc_get_obj_by_type(topo, type, (unsigned)i);
			hwloc_obj_t first = hwloc_get_obj_inside_cpuset_by_type(topo, core->cpuset,
										 HWLOC_OBJ_PU, 0);
			if (add_slot(b, first, first->cpuset) < 0)
				return -1;
		}
		return 0;
	}
	default:
		return -1;
	}
}

struct binding *binding_plan(hwloc_topology_t topo, const struct pin_policy *policy, int workers,
			     struct err *e)
{
	struct binding *b;
	if (workers < 1) {
		err_set(e, "binding: %d workers (need at least 1)", workers);
		return NULL;
	}
	b = calloc(1, sizeof *b);
	if (!b)
		goto oom;
	b->topo = topo;
	b->policy = *policy;
	b->workers = workers;
	b->applied = mmap(NULL, (size_t)workers * sizeof *b->applied, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b->applied == MAP_FAILED) {
		b->applied = NULL;
		goto oom;
	}
	int rc = plan_slots(b, e);
	if (rc == -2)
		goto fail;
	if (rc < 0)
		goto oom;
	topology_can_bind(topo, &b->skip_reason);
	if (b->policy.kind == PIN_NONE)
		b->skip_reason = NULL; /* nothing to bind; the read-back still happens */
	b->caller_cpuset = hwloc_bitmap_alloc();
	if (!b->caller_cpuset)
		goto oom;
	if (!b->skip_reason && hwloc_get_cpubind(topo, b->caller_cpuset, HWLOC_CPUBIND_THREAD) < 0) {
		err_set(e, "binding: cannot read the harness thread's binding: %s", strerror(errno));
		goto fail;
	}
	return b;
oom:
	err_set(e, "binding '%s' for %d workers: out of memory", policy->text, workers);
fail:
	binding_free(b);
	return NULL;
}

void binding_free(struct binding *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->nslots; i++)
		hwloc_bitmap_free(b->slots[i].cpuset);
	free(b->slots);
	hwloc_bitmap_free(b->caller_cpuset);
	if (b->applied)
		munmap(b->applied, (size_t)b->workers * sizeof *b->applied);
	free(b);
}

const struct pin_policy *binding_policy(const struct binding *b) { return &b->policy; }
int binding_workers(const struct binding *b) { return b->workers; }
int binding_slots(const struct binding *b) { return b->nslots; }
const char *binding_skip_reason(const struct binding *b) { return b->skip_reason; }

void binding_describe(const struct binding *b, int worker, char *cpus, size_t cpus_len,
		      char *object, size_t object_len)
{
	if (b->nslots == 0) {
		hwloc_bitmap_list_snprintf(cpus, cpus_len, hwloc_get_root_obj(b->topo)->cpuset);
		snprintf(object, object_len, "machine");
		return;
	}
	const struct slot *s = &b->slots[worker % b->nslots];
	hwloc_bitmap_list_snprintf(cpus, cpus_len, s->cpuset);
	topology_obj_describe(s->obj, object, object_len);
}

int binding_apply(const struct binding *b, int worker, int as_process, struct err *e)
{
	int flags = as_process ? HWLOC_CPUBIND_PROCESS : HWLOC_CPUBIND_THREAD;
	struct applied *rec;
	hwloc_cpuset_t got;
	if (worker < 0 || worker >= b->workers)
		return err_set(e, "binding: worker %d outside the plan's %d workers", worker,
			       b->workers);
	rec = &b->applied[worker];
	if (b->skip_reason) {
		rec->state = APPLIED_SKIPPED;
		return 0;
	}
	if (b->nslots > 0) {
		const struct slot *s = &b->slots[worker % b->nslots];
		if (hwloc_set_cpubind(b->topo, s->cpuset, flags) < 0) {
			char cpus[CPUS_TEXT_MAX];
			int saved = errno;
			hwloc_bitmap_list_snprintf(cpus, sizeof cpus, s->cpuset);
			rec->state = APPLIED_FAILED;
			snprintf(rec->error, sizeof rec->error, "%s", strerror(saved));
			return err_set(e, "binding worker %d to cpus %s (--pin %s) failed: %s",
				       worker, cpus, b->policy.text, strerror(saved));
		}
	}
	got = hwloc_bitmap_alloc();
	if (!got || hwloc_get_cpubind(b->topo, got, flags) < 0) {
		int saved = got ? errno : ENOMEM;
		hwloc_bitmap_free(got);
		rec->state = APPLIED_FAILED;
		snprintf(rec->error, sizeof rec->error, "read-back failed: %s", strerror(saved));
		return err_set(e, "binding worker %d: cannot read back its binding: %s", worker,
			       strerror(saved));
	}
	hwloc_bitmap_list_snprintf(rec->cpus, sizeof rec->cpus, got);
	hwloc_bitmap_free(got);
	rec->state = b->nslots > 0 ? APPLIED_BOUND : APPLIED_READ_ONLY;
	return 0;
}

void binding_clear_applied(struct binding *b)
{
	memset(b->applied, 0, (size_t)b->workers * sizeof *b->applied);
}

int binding_restore_caller(const struct binding *b, struct err *e)
{
	if (b->skip_reason || b->nslots == 0)
		return 0;
	if (hwloc_set_cpubind(b->topo, b->caller_cpuset, HWLOC_CPUBIND_THREAD) < 0)
		return err_set(e, "binding: cannot restore the harness thread's binding: %s",
			       strerror(errno));
	return 0;
}

/* One entry per run of consecutive workers placed alike ("workers": "0-9999",
 * "count": 10000), so that 10,000 unpinned workers take one line, not 10,000. */
json_t *binding_json(const struct binding *b)
{
	json_t *list = json_array(), *run = NULL;
	int first = 0;
	for (int w = 0; w <= b->workers; w++) {
		json_t *j = NULL;
		if (w < b->workers) {
			char cpus[CPUS_TEXT_MAX], object[128];
			const struct applied *rec = &b->applied[w];
			binding_describe(b, w, cpus, sizeof cpus, object, sizeof object);
			j = json_pack("{s:s, s:s}", "planned", cpus, "object", object);
			switch (rec->state) {
			case APPLIED_BOUND:
			case APPLIED_READ_ONLY:
				json_object_set_new(j, "applied", json_string(rec->cpus));
				break;
			case APPLIED_SKIPPED:
				json_object_set_new(j, "applied", json_null());
				json_object_set_new(j, "skipped", json_string(b->skip_reason));
				break;
			case APPLIED_FAILED:
				json_object_set_new(j, "applied", json_null());
				json_object_set_new(j, "error", json_string(rec->error));
				break;
			default:
				json_object_set_new(j, "applied", json_null());
			}
		}
		if (run && j && json_equal(run, j)) {
			json_decref(j);
			continue;
		}
		if (run) { /* close the run [first, w) */
			char range[32];
			if (w - 1 > first)
				snprintf(range, sizeof range, "%d-%d", first, w - 1);
			else
				snprintf(range, sizeof range, "%d", first);
			json_t *entry = json_pack("{s:s, s:i}", "workers", range, "count", w - first);
			json_object_update(entry, run);
			json_array_append_new(list, entry);
			json_decref(run);
		}
		run = j;
		first = w;
	}
	return list;
}
