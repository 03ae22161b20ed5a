/* region.h — the measured region. The harness owns every clock and counter;
 * a model only says when its workers are ready to go and when the last one
 * has finished. Everything before region_start (creating threads, forking,
 * building inputs) and after region_stop (joining, merging) is excluded. */
#pragma once

struct region;

void region_start(struct region *r);
void region_stop(struct region *r);
