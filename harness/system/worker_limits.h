/* worker_limits.h — how many threads or processes this system lets us create, so
 * that an impossible -n is a usage error before anything is measured. */
#pragma once

/* The most workers a model with a thread or process per worker can have
 * here, and which limit says so (e.g. "kernel.threads-max"). */
long limits_max_workers(const char **which);
