/* floor_measure.h — inside the floors layer: one function per floor, each
 * doing `ops` operations and timing only the operations themselves (set-up
 * such as creating the threads or processes is outside the clock). */
#pragma once
#include <stdint.h>
#include <hwloc.h>
#include "err.h"

/* What a floor function returns besides 0 (measured) and -1 (failed, e set). */
#define FLOOR_UNAVAILABLE 1 /* this machine cannot measure it: e says why */

/* Where the two sides of a ping-pong run. */
enum floor_placement { PLACE_SAME_PU, PLACE_TWO_CORES, PLACE_UNPINNED };

struct floor_place {
	hwloc_topology_t topo;
	enum floor_placement where;
	hwloc_const_cpuset_t cpus[2]; /* each side's PU(s); NULL when unpinned */
};

/* Work out a placement on topo: FLOOR_UNAVAILABLE with e set when the
 * machine has no such place (one core) or cannot bind. */
int floor_place_plan(hwloc_topology_t topo, enum floor_placement where, struct floor_place *p,
		     struct err *e);
/* Bind the calling thread as side `side` (0 or 1); a no-op when unpinned. */
int floor_place_bind(const struct floor_place *p, int side, struct err *e);

typedef int (*floor_fn)(void *arg, uint64_t ops, int64_t *elapsed_ns, struct err *e);

/* Ping-pong: `ops` one-way handoffs between two threads or processes. */
int floor_futex_pingpong(void *place, uint64_t ops, int64_t *elapsed_ns, struct err *e);
int floor_condvar_pingpong(void *place, uint64_t ops, int64_t *elapsed_ns, struct err *e);
int floor_pipe_pingpong(void *place, uint64_t ops, int64_t *elapsed_ns, struct err *e);

/* `ops` one-way switches between two contexts of one thread. */
int floor_coro_switch(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e);
/* The implementation floor_coro_switch uses ("x86-64 pop+jmp", ...). */
const char *floor_coro_switch_impl(void);

int floor_tcp_round_trip(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e);
#define FLOOR_SHA512_CHUNK 65536
int floor_sha512(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e);
int floor_countdown(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e);
int floor_fork_wait(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e);
int floor_thread_create(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e);
