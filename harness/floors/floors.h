/* floors.h — this machine's physical floors: the cheapest each kind of
 * handoff, round trip or unit of work can be here, measured with bare code
 * (no model, no workload around it), so that a model's cost can be read as
 * a multiple of its floor ("1.08x floor") rather than as an absolute figure
 * that changes from machine to machine.
 *
 * Each floor is measured in `rounds` rounds of a calibrated number of
 * operations (each round about `round_ns` long); the median of the rounds is
 * the figure, min and max its spread. A floor that this machine cannot
 * measure (one core: nothing to hand over across; a topology that cannot be
 * bound) is marked unavailable with the reason, never given a figure. */
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <hwloc.h>
#include <jansson.h>
#include "err.h"

/* X(id, name, unit, higher_is_better, what) */
#define FLOORS_TABLE(X)                                                                          \
	X(CORO_SWITCH, "coro_switch", "ns", 0, "direct two-context coroutine switch (one way)")   \
	X(FUTEX_SAME, "futex_same_cpu", "ns", 0, "futex ping-pong, two threads on one PU (one way)") \
	X(FUTEX_CROSS, "futex_cross_cpu", "ns", 0, "futex ping-pong, threads on two cores (one way)") \
	X(FUTEX_ANY, "futex_unpinned", "ns", 0, "futex ping-pong, threads placed by the OS (one way)") \
	X(CONDVAR_SAME, "condvar_same_cpu", "ns", 0, "condvar ping-pong, two threads on one PU (one way)") \
	X(CONDVAR_CROSS, "condvar_cross_cpu", "ns", 0, "condvar ping-pong, threads on two cores (one way)") \
	X(CONDVAR_ANY, "condvar_unpinned", "ns", 0, "condvar ping-pong, threads placed by the OS (one way)") \
	X(PIPE_SAME, "pipe_same_cpu", "ns", 0, "pipe ping-pong, two processes on one PU (one way)") \
	X(PIPE_CROSS, "pipe_cross_cpu", "ns", 0, "pipe ping-pong, processes on two cores (one way)") \
	X(PIPE_ANY, "pipe_unpinned", "ns", 0, "pipe ping-pong, processes placed by the OS (one way)") \
	X(TCP_RTT, "tcp_round_trip", "us", 0, "loopback TCP round trip, 64 bytes, blocking")       \
	X(SHA512, "sha512_evp", "MB/s", 1, "SHA-512 through EVP on one core, 64 KiB updates")     \
	X(COUNTDOWN, "countdown", "ns", 0, "C count-down, one dependent decrement (per iteration)") \
	X(FORK_WAIT, "fork_wait", "us", 0, "fork + _exit + waitpid of a small process")            \
	X(THREAD_CREATE, "thread_create_join", "us", 0, "pthread_create + pthread_join")

enum floor_id {
#define FLOOR_ENUM(id, name, unit, hib, what) FLOOR_##id,
	FLOORS_TABLE(FLOOR_ENUM)
#undef FLOOR_ENUM
	FLOOR_COUNT
};

struct floor_info {
	const char *name;
	const char *unit;
	int higher_is_better; /* a rate (MB/s), not a time */
	const char *what;
};

extern const struct floor_info floor_infos[FLOOR_COUNT];

/* Look a floor up by name; -1 if there is none. */
int floor_by_name(const char *name);

struct floor_result {
	int available;
	char why[512];     /* when not available */
	double median, min, max; /* in the floor's unit */
	int rounds;
	uint64_t ops_per_round;
};

struct floors {
	struct floor_result r[FLOOR_COUNT];
	char machine[256]; /* what the figures belong to: host, CPU model, PUs, build */
	char how[64];      /* coro_switch's implementation: "x86-64 pop+jmp", "ucontext" */
	int64_t measured_at; /* seconds since the epoch, when loaded from the cache */
};

struct floors_options {
	int rounds;       /* rounds per floor (>= 3); 0: 5 */
	int64_t round_ns; /* target length of one round; 0: 20 ms */
	const char *only; /* comma list of floor names to measure; NULL: all */
};

/* Measure on `topo` (which decides what "one PU" and "two cores" are and
 * whether they can be bound). Returns 0 (unavailable floors are not an
 * error), or -1 with e set when a floor's code failed outright. */
int floors_measure(struct floors *out, hwloc_topology_t topo, const struct floors_options *o,
		   struct err *e);

/* {"machine", "coro_switch_impl", "floors": {name: {"unit", "higher_is_better",
 * "median", "min", "max", "spread_pct", "rounds", "ops_per_round"} or
 * {"unit", "available": false, "why"}}}. New reference. */
json_t *floors_json(const struct floors *f);
/* Read floors_json's output back. 0, or -1 with e set. */
int floors_from_json(json_t *j, struct floors *out, struct err *e);

/* The table `cmbench limits` prints. */
void floors_print(const struct floors *f, FILE *out);

/* The key a measurement belongs to: host, CPU model, online PUs, the
 * binding ability, this build (version, git revision, flags). */
void floors_machine_key(hwloc_topology_t topo, char *buf, size_t len);

/* A cached measurement for this machine and build (floors_cache_path()),
 * measured at most max_age_s ago: 0 and *out filled, or -1 if there is none. */
int floors_cache_load(hwloc_topology_t topo, int64_t max_age_s, struct floors *out);
/* Keep a measurement for the next run (written atomically). 0 or -1. */
int floors_cache_store(const struct floors *f);
/* $CMBENCH_FLOORS_CACHE, else $XDG_CACHE_HOME/cmbench/floors.json, else
 * ~/.cache/cmbench/floors.json. */
void floors_cache_path(char *buf, size_t len);

/* The floors a run records (context.floors): a cached measurement of this
 * machine and build at most an hour old unless `fresh`, else measured now
 * (and cached). floors_json plus "measured_at" (seconds since the epoch)
 * and "cached" (true when reused). NULL with e set if measuring failed. */
json_t *floors_for_run(int fresh, struct err *e);
