/* floor_place.c — where the two sides of a ping-pong run: both on the first
 * PU, on the first PUs of two different cores, or wherever the OS puts
 * them. A machine with one core has no "two cores" (SMT siblings share a
 * core's caches and pipeline, so they would measure something else), and a
 * topology that cannot bind (hwloc synthetic or XML: binding "succeeds" and
 * does nothing) has no pinned placement at all: both are reported as
 * unavailable rather than measured as something they are not. */
#include <errno.h>
#include <string.h>
#include "floor_measure.h"
#include "topology.h"

int floor_place_plan(hwloc_topology_t topo, enum floor_placement where, struct floor_place *p,
		     struct err *e)
{
	memset(p, 0, sizeof *p);
	p->topo = topo;
	p->where = where;
	if (where == PLACE_UNPINNED)
		return 0;
	/* A topology without a core level (synthetic "pu:2") has one PU per core. */
	hwloc_obj_type_t core_type = topology_count(topo, HWLOC_OBJ_CORE) ? HWLOC_OBJ_CORE
									   : HWLOC_OBJ_PU;
	int cores = topology_count(topo, core_type);
	if (where == PLACE_TWO_CORES && cores < 2) {
		err_set(e, "the machine has %d core%s (%d PU%s): there is no second core to hand "
			   "over to", cores, cores == 1 ? "" : "s", topology_count(topo, HWLOC_OBJ_PU),
			topology_count(topo, HWLOC_OBJ_PU) == 1 ? "" : "s");
		return FLOOR_UNAVAILABLE;
	}
	const char *why = NULL;
	if (!topology_can_bind(topo, &why)) {
		err_set(e, "cannot pin: %s", why ? why : "binding is not supported here");
		return FLOOR_UNAVAILABLE;
	}
	hwloc_obj_t pu0 = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, 0);
	if (!pu0) {
		err_set(e, "the topology has no PU");
		return FLOOR_UNAVAILABLE;
	}
	p->cpus[0] = pu0->cpuset;
	if (where == PLACE_SAME_PU) {
		p->cpus[1] = pu0->cpuset;
		return 0;
	}
	hwloc_obj_t core1 = hwloc_get_obj_by_type(topo, core_type, 1);
	hwloc_obj_t pu1 = core1 ? hwloc_get_obj_inside_cpuset_by_type(topo, core1->cpuset,
								       HWLOC_OBJ_PU, 0) : NULL;
	if (!pu1) {
		err_set(e, "core 1 has no PU");
		return FLOOR_UNAVAILABLE;
	}
	p->cpus[1] = pu1->cpuset;
	return 0;
}

int floor_place_bind(const struct floor_place *p, int side, struct err *e)
{
	if (p->where == PLACE_UNPINNED) {
		/* Undo whatever binding the caller had: the OS decides. */
		hwloc_const_cpuset_t all = hwloc_topology_get_allowed_cpuset(p->topo);
		const char *why;
		if (topology_can_bind(p->topo, &why))
			hwloc_set_cpubind(p->topo, all, HWLOC_CPUBIND_THREAD);
		return 0;
	}
	if (hwloc_set_cpubind(p->topo, p->cpus[side], HWLOC_CPUBIND_THREAD) != 0)
		return err_set(e, "binding side %d of a ping-pong: %s", side, strerror(errno));
	return 0;
}
