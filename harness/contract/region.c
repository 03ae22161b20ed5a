/* region.c — clocks and rusage around the measured region of one repetition. */
#include <string.h>
#include "clock.h"
#include "counters.h"
#include "measure.h"

void region_init(struct region *r) { memset(r, 0, sizeof *r); }

void region_start(struct region *r)
{
	getrusage(RUSAGE_SELF, &r->self0);
	getrusage(RUSAGE_CHILDREN, &r->kids0);
	r->started = 1;
	if (r->counters)
		counters_enable(r->counters);
	r->start_ns = clock_now_ns(); /* last: nothing of ours inside the region */
}

void region_stop(struct region *r)
{
	r->stop_ns = clock_now_ns(); /* first */
	if (r->counters)
		counters_disable(r->counters);
	getrusage(RUSAGE_SELF, &r->self1);
	r->stopped = 1;
}

void region_report_external(struct region *r, const struct rep_measure *m, const char *why)
{
	r->measured = *m;
	r->measured.cpu_ns = m->user_ns + m->sys_ns;
	r->external = r->started = r->stopped = 1;
	if (r->counters)
		counters_set_unsupported(r->counters, why);
}

static double tv_ns(struct timeval tv) { return (double)tv.tv_sec * 1e9 + (double)tv.tv_usec * 1e3; }

void region_finish(const struct region *r, long children_rss_kb, struct rep_measure *m)
{
	if (r->external) {
		*m = r->measured;
		return;
	}
	struct rusage self, kids;
	if (r->stopped)
		self = r->self1;
	else
		getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	memset(m, 0, sizeof *m);
	m->real_ns = (double)(r->stop_ns - r->start_ns);
	m->user_ns = tv_ns(self.ru_utime) - tv_ns(r->self0.ru_utime) + tv_ns(kids.ru_utime) -
		     tv_ns(r->kids0.ru_utime);
	m->sys_ns = tv_ns(self.ru_stime) - tv_ns(r->self0.ru_stime) + tv_ns(kids.ru_stime) -
		    tv_ns(r->kids0.ru_stime);
	m->cpu_ns = m->user_ns + m->sys_ns;
	m->max_rss_kb = self.ru_maxrss + children_rss_kb;
	m->vol_cs = self.ru_nvcsw - r->self0.ru_nvcsw + kids.ru_nvcsw - r->kids0.ru_nvcsw;
	m->invol_cs = self.ru_nivcsw - r->self0.ru_nivcsw + kids.ru_nivcsw - r->kids0.ru_nivcsw;
}
