/* noise.c — load of other processes and noise warnings (see noise.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "host_speed.h"
#include "noise.h"

double load_average_1min(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static int64_t tv_ns(struct timeval tv) { return (int64_t)tv.tv_sec * 1000000000 + tv.tv_usec * 1000; }

void load_sample_take(struct load_sample *s)
{
	*s = (struct load_sample){0};
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->wall_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	s->loadavg1 = load_average_1min();
	FILE *f = fopen("/proc/stat", "r");
	if (f) {
		/* cpu  user nice system idle iowait irq softirq steal guest guest_nice;
		 * guest time is already inside user, so it is not added again. */
		unsigned long long v[8] = {0};
		if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
			s->busy_ticks = v[0] + v[1] + v[2] + v[5] + v[6];
			s->steal_ticks = v[7];
			for (int i = 0; i < 8; i++)
				s->total_ticks += v[i];
		}
		fclose(f);
	}
	struct rusage self, children;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	s->own_cpu_ns = tv_ns(self.ru_utime) + tv_ns(self.ru_stime) + tv_ns(children.ru_utime) +
			tv_ns(children.ru_stime);
	s->cpu_speed = host_speed_now(&s->cpu);
}

static double share(const struct load_sample *x, const struct host_speeds *run)
{
	double ref = host_speeds_of(run, x->cpu);
	return ref > 0 && x->cpu_speed > 0 ? x->cpu_speed / ref : 0;
}

void load_compare(const struct load_sample *a, const struct load_sample *b,
		  const struct host_speeds *run, struct load_report *r)
{
	r->seconds = (double)(b->wall_ns - a->wall_ns) / 1e9;
	r->loadavg_start = a->loadavg1;
	r->loadavg_end = b->loadavg1;
	r->cpu_speed_start = share(a, run);
	r->cpu_speed_end = share(b, run);
	r->cpu_start = r->cpu_speed_start > 0 ? a->cpu : -1;
	r->cpu_end = r->cpu_speed_end > 0 ? b->cpu : -1;
	r->other_cpus = -1;
	r->steal_fraction = -1;
	if (r->seconds < NOISE_MIN_WINDOW_S || b->total_ticks <= a->total_ticks)
		return;
	double hz = (double)sysconf(_SC_CLK_TCK);
	double busy_s = (double)(b->busy_ticks - a->busy_ticks) / hz;
	double own_s = (double)(b->own_cpu_ns - a->own_cpu_ns) / 1e9;
	double other = (busy_s - own_s) / r->seconds;
	r->other_cpus = other > 0 ? other : 0;
	r->steal_fraction = (double)(b->steal_ticks - a->steal_ticks) /
			    (double)(b->total_ticks - a->total_ticks);
}

static json_t *known(double v) { return v >= 0 ? json_real(v) : json_null(); }
static json_t *positive(double v) { return v > 0 ? json_real(v) : json_null(); }

json_t *load_report_json(const struct load_report *r)
{
	return json_pack("{s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:[o, o]}", "seconds", r->seconds,
			 "other_cpus", known(r->other_cpus), "steal_fraction", known(r->steal_fraction),
			 "loadavg_start", known(r->loadavg_start), "loadavg_end",
			 known(r->loadavg_end), "cpu_speed_start", positive(r->cpu_speed_start),
			 "cpu_speed_end", positive(r->cpu_speed_end), "cpu_speed_cpus",
			 r->cpu_start >= 0 ? json_integer(r->cpu_start) : json_null(),
			 r->cpu_end >= 0 ? json_integer(r->cpu_end) : json_null());
}

static double number_or_unknown(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : -1;
}

void load_report_from_json(json_t *o, struct load_report *r)
{
	r->seconds = number_or_unknown(o, "seconds");
	r->other_cpus = number_or_unknown(o, "other_cpus");
	r->steal_fraction = number_or_unknown(o, "steal_fraction");
	r->loadavg_start = number_or_unknown(o, "loadavg_start");
	r->loadavg_end = number_or_unknown(o, "loadavg_end");
	/* speeds: 0 for unknown (a speed is never 0) */
	r->cpu_speed_start = fmax(number_or_unknown(o, "cpu_speed_start"), 0);
	r->cpu_speed_end = fmax(number_or_unknown(o, "cpu_speed_end"), 0);
	json_t *cpus = json_object_get(o, "cpu_speed_cpus");
	json_t *c0 = json_array_get(cpus, 0), *c1 = json_array_get(cpus, 1);
	r->cpu_start = json_is_integer(c0) ? (int)json_integer_value(c0) : -1;
	r->cpu_end = json_is_integer(c1) ? (int)json_integer_value(c1) : -1;
}

int noise_speed_moved(double start, double end)
{
	double lo = fmin(start, end), hi = fmax(start, end);
	return lo > 0 && (lo < NOISE_SPEED_MIN || hi > 1 / NOISE_SPEED_MIN);
}

static void add(json_t *warnings, int *count, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add(json_t *warnings, int *count, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	json_array_append_new(warnings, json_string(buf));
	(*count)++;
}

int noise_warnings(const double *times, size_t n, const struct summary *s,
		   const struct load_report *load, json_t *warnings)
{
	int count = 0;
	if (n >= 2 && s->cv > NOISE_CV_MAX)
		add(warnings, &count,
		    "noisy: CV %.1f%% > %.0f%% over %zu repetitions; close other programs, pin "
		    "workers (--pin), or add repetitions (--reps, --min-time)",
		    s->cv * 100, NOISE_CV_MAX * 100, n);
	double lo, hi;
	size_t outliers = stats_iqr_outliers(times, n, &lo, &hi);
	if (outliers)
		add(warnings, &count,
		    "%zu of %zu repetitions are outliers (outside %.4g..%.4g ms, IQR rule); the "
		    "median resists them, but something disturbed the run: check for background "
		    "jobs",
		    outliers, n, lo * 1e3, hi * 1e3); /* ms, like every time shown */
	if (load && load->other_cpus > NOISE_OTHER_CPUS_MAX)
		add(warnings, &count,
		    "other processes kept %.2f CPUs busy during this cell (/proc/stat; load average "
		    "%.2f -> %.2f); its times compete with them: rerun on a quiet machine",
		    load->other_cpus, load->loadavg_start, load->loadavg_end);
	if (load && noise_speed_moved(load->cpu_speed_start, load->cpu_speed_end))
		add(warnings, &count,
		    "the CPU ran at %.0f%% and %.0f%% of the run's speed at this cell's start and end "
		    "(CPU %d, CPU %d; a reference loop: a VM's host slows a vCPU unseen): its times are "
		    "not comparable with the other cells': rerun it",
		    load->cpu_speed_start * 100, load->cpu_speed_end * 100, load->cpu_start,
		    load->cpu_end);
	if (load && load->steal_fraction > NOISE_STEAL_MAX)
		add(warnings, &count,
		    "the hypervisor took %.1f%% of CPU time (steal) during this cell; other guests "
		    "share this host: rerun later or on dedicated CPUs",
		    load->steal_fraction * 100);
	return count;
}
