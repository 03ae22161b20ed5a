/* counters.h — what the kernel did during the measured region, counted with
 * perf_event_open and getrusage.
 *
 * The events are opened on the harness thread with inherit=1 *before* the
 * model creates its workers, so every thread and forked child of the model
 * inherits them; counts of children that exit are folded into the parent's
 * event by the kernel. They are enabled at region_start and disabled at
 * region_stop (an ioctl on the parent event reaches every inherited copy).
 * An event that cannot be opened is kept with the reason, never as a 0. */
#pragma once
#include <stdint.h>
#include <jansson.h>
#include "err.h"

enum counter_id {
	COUNTER_TASK_CLOCK,       /* ns of CPU time, all threads */
	COUNTER_CONTEXT_SWITCHES,
	COUNTER_CPU_MIGRATIONS,
	COUNTER_PAGE_FAULTS,
	COUNTER_FUTEX,            /* syscalls:sys_enter_futex tracepoint */
	COUNTER_CYCLES,           /* hardware PMU, when there is one */
	COUNTER_INSTRUCTIONS,
	COUNTER_COUNT
};

#define COUNTERS_ALL ((1u << COUNTER_COUNT) - 1)

/* The perf-style name of an event ("task-clock", "syscalls:sys_enter_futex"). */
const char *counter_name(enum counter_id id);

/* Parse --counters: "all", "none", or a comma list of event names (the
 * tracepoint may also be written "futex"). 0, or -1 with e naming the bad
 * value and what is allowed. */
int counters_parse(const char *text, unsigned *mask, struct err *e);

struct counters {
	unsigned wanted;                /* mask of enum counter_id */
	int fd[COUNTER_COUNT];          /* -1 when not open */
	char name[COUNTER_COUNT][40];   /* the name counted under ("cycles:u" if user-only) */
	char unsupported[COUNTER_COUNT][200]; /* why not, "" when open */
	uint64_t value[COUNTER_COUNT];  /* valid for the events in `counted` */
	unsigned counted;               /* mask: read by counters_read (survives close) */
	int enabled;
};

/* Open the wanted events, disabled, on the calling thread with inherit=1.
 * Never fails: what cannot be opened is recorded in c->unsupported. Call
 * before the model creates workers and after set-up (corpus generation). */
void counters_open(struct counters *c, unsigned wanted);
/* region_start / region_stop. Cheap: one ioctl per event. */
void counters_enable(struct counters *c);
void counters_disable(struct counters *c);
/* After the model has joined/reaped its workers: collect the counts. */
void counters_read(struct counters *c);
void counters_close(struct counters *c);
/* The region ran where these events cannot see (another process tree, other
 * machines): close them and record every wanted event as unsupported, with why. */
void counters_set_unsupported(struct counters *c, const char *why);

/* Add this repetition's counts to `counts` (name -> integer) and the reasons
 * of the events that could not be counted to `unsupported` (name -> text).
 * (getrusage figures come from the region: harness/contract/region.c.) */
void counters_to_json(const struct counters *c, json_t *counts, json_t *unsupported);

/* Where the syscalls:sys_enter_futex tracepoint's id comes from; exposed for
 * tests. >= 0 the id, or -1 with `why` explaining what is missing. */
long counters_tracepoint_id(const char *event, char *why, size_t why_len);
