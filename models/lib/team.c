/* team.c — creating, starting and joining a team of worker threads. */
#include <stdlib.h>
#include <string.h>
#include "rlimits.h"
#include "team.h"

int team_run(struct model_run *mr, struct gate *gate, const pthread_attr_t *attr,
	     void *(*worker_main)(void *), void *workers, size_t worker_size, const char *who,
	     const char *hint)
{
	int n = mr->workers, created = 0, rc = 0;
	pthread_t *threads = calloc((size_t)n, sizeof *threads);
	if (!threads)
		return err_set(mr->err, "%s: out of memory for %d workers", who, n);
	if (rlimit_ensure_tasks((uint64_t)n, who, mr->err) < 0)
		rc = -1;
	while (rc == 0 && created < n) {
		int r = pthread_create(&threads[created], attr, worker_main,
				       (char *)workers + (size_t)created * worker_size);
		if (r) {
			char limits[200];
			rlimit_describe_tasks(limits, sizeof limits);
			rc = err_set(mr->err, "%s: cannot create thread %d of %d: %s (%s%s)", who,
				     created + 1, n, strerror(r), limits, hint);
		} else {
			created++;
		}
	}
	gate_wait_ready(gate, created);
	if (rc == 0)
		region_start(mr->region);
	gate_open(gate, rc == 0 ? 1 : -1);
	for (int i = 0; i < created; i++)
		pthread_join(threads[i], NULL);
	if (rc == 0)
		model_reduce(mr); /* by the thread that joined them, inside the region */
	if (rc == 0)
		region_stop(mr->region);
	free(threads);
	return rc;
}
