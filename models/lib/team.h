/* team.h — the life of a team of pthread workers, shared by the models whose
 * workers are threads: create them all, wait until each is parked at the
 * start gate, start the clock and open the gate, join them, run the
 * workload's reduction (model_reduce), stop the clock. */
#pragma once
#include <pthread.h>
#include <stddef.h>
#include "gate.h"
#include "model.h"

/* Run mr->workers threads of worker_main; thread i gets the i-th element of
 * `workers` (an array of worker_size-byte structs the caller has filled in).
 * 0 when every thread was created and has finished (the region is marked);
 * -1 with mr->err naming the limits when the system refused a thread (the
 * gate is aborted and the threads already made are joined). `who` names
 * the model in messages, `hint` is added to them (may be ""). */
int team_run(struct model_run *mr, struct gate *gate, const pthread_attr_t *attr,
	     void *(*worker_main)(void *), void *workers, size_t worker_size, const char *who,
	     const char *hint);
