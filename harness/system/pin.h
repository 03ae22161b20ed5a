/* pin.h — where each worker runs: pinning policies and binding plans.
 *
 * A policy (`--pin`) is a rule; a binding (struct binding, opaque to models)
 * is that rule worked out on one topology for N workers: one slot per
 * worker, each a cpuset and the object it stands for. Worker w runs in slot
 * w mod nslots, so workers beyond the plan's slots wrap around.
 *
 *   none     the OS decides (nothing is bound; the binding is still read back)
 *   compact  PUs in order: both PUs of core 0, then core 1, ..., package 0 first
 *   scatter  spread over packages, then cores, then PUs (hwloc_distrib), one PU each
 *   cores    one worker per core, on the core's first PU; SMT siblings stay idle
 *   single   every worker on the first PU (the cores "taken away")
 *   LOCATIONS  hwloc locations, each object one slot, by logical index:
 *            core:0-3  pu:0,pu:2  pu:0,2  package:1.core:0-1  numa:0  l3:1  core:odd
 *
 * A binding keeps what each worker actually got (read back with
 * hwloc_get_cpubind) in memory shared with forked workers, for the results. */
#pragma once
#include <hwloc.h>
#include <jansson.h>
#include "err.h"

enum pin_kind { PIN_NONE, PIN_COMPACT, PIN_SCATTER, PIN_CORES, PIN_SINGLE, PIN_LOCATIONS };

#define PIN_TEXT_MAX 256

struct pin_policy {
	enum pin_kind kind;
	char text[PIN_TEXT_MAX]; /* as given: "scatter", "core:0-3" */
};

/* Parse one policy. Locations are checked for syntax and type names here
 * and against a topology when planned. -1 with e naming the bad part. */
int pin_policy_parse(const char *text, struct pin_policy *out, struct err *e);

/* Parse a --pin value that may list several policies (a matrix dimension):
 * "none,single,scatter". Adjacent location items belong to one policy, so
 * "single,pu:0,pu:2" is two policies: single and pu:0,pu:2. Fills at most
 * max policies; returns how many, or -1 with e set. */
int pin_policy_list_parse(const char *text, struct pin_policy *out, int max, struct err *e);

/* Check a location list's syntax and type names, without a topology. */
int pin_locations_check(const char *text, struct err *e);

/* Resolve a location list on a topology into objects, in the order given
 * (a range in increasing order). Returns the number of objects stored in
 * *objs (malloc'd, caller frees), or -1 with e naming the location that
 * does not exist and what the topology has. */
int pin_locations_resolve(hwloc_topology_t topo, const char *text, hwloc_obj_t **objs,
			  struct err *e);

struct binding;

/* Work a policy out for `workers` workers on `topo` (which must outlive the
 * binding). Remembers the calling thread's current binding so that
 * binding_restore_caller() can undo a binding of the harness thread. */
struct binding *binding_plan(hwloc_topology_t topo, const struct pin_policy *policy, int workers,
			     struct err *e);
void binding_free(struct binding *b);

const struct pin_policy *binding_policy(const struct binding *b);
int binding_workers(const struct binding *b);
/* Slots in the plan (0 for none); worker w uses slot w % binding_slots. */
int binding_slots(const struct binding *b);

/* Worker w's planned cpuset as a list ("0-1,16") and its object
 * ("package:0 core:1 pu:3"; "machine" for none). */
void binding_describe(const struct binding *b, int worker, char *cpus, size_t cpus_len,
		      char *object, size_t object_len);

/* NULL when binding_apply really binds; otherwise why it is skipped (the
 * topology is synthetic or XML, or the system cannot bind). For a notice
 * printed once per run. */
const char *binding_skip_reason(const struct binding *b);

/* Bind the calling thread (as_process 0, HWLOC_CPUBIND_THREAD) or the
 * calling process (as_process 1, HWLOC_CPUBIND_PROCESS) as worker `worker`,
 * then read back what the kernel applied and record it. With `none` only
 * the read-back happens; on a topology that cannot bind nothing happens but
 * the record says so. Safe from any worker thread or forked child. 0, or
 * -1 with e set. */
int binding_apply(const struct binding *b, int worker, int as_process, struct err *e);

/* Forget what binding_apply recorded (before each repetition). */
void binding_clear_applied(struct binding *b);

/* Put the thread that called binding_plan back where it was then: models
 * that run workers on the harness thread (sequential, coroutines) bind it,
 * and a later cell's threads would inherit that. 0, or -1 with e set. */
int binding_restore_caller(const struct binding *b, struct err *e);

/* Per worker: {"worker", "planned", "object", "applied"} where applied is
 * the cpuset read back (null when the worker was never bound: a model that
 * runs every worker on one thread binds only worker 0), plus "skipped" with
 * the reason when binding was skipped, "error" when it failed. New ref. */
json_t *binding_json(const struct binding *b);
