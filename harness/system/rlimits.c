/* rlimits.c — raise soft (and, if permitted, hard) resource limits. */
#include "rlimits.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static const char *limit_name(int resource)
{
	switch (resource) {
	case RLIMIT_NOFILE: return "RLIMIT_NOFILE (ulimit -n)";
	case RLIMIT_NPROC: return "RLIMIT_NPROC (ulimit -u)";
	case RLIMIT_STACK: return "RLIMIT_STACK (ulimit -s)";
	default: return "the resource limit";
	}
}

int rlimit_ensure(int resource, uint64_t want, const char *who, struct err *e)
{
	struct rlimit rl;
	if (getrlimit(resource, &rl) < 0)
		return err_set(e, "%s: getrlimit: %s", who, strerror(errno));
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return 0;
	struct rlimit raised = rl;
	raised.rlim_cur = want;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		raised.rlim_max = want; /* only a privileged process may do this */
	if (setrlimit(resource, &raised) == 0)
		return 0;
	if (raised.rlim_max != rl.rlim_max) { /* settle for the hard limit */
		rl.rlim_cur = rl.rlim_max;
		setrlimit(resource, &rl);
	}
	return err_set(e, "%s: needs %llu under %s, but the hard limit is %llu and cannot be "
			  "raised here (%s); raise it, or ask for fewer tasks",
		       who, (unsigned long long)want, limit_name(resource),
		       (unsigned long long)rl.rlim_max, strerror(errno));
}

int rlimit_open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return 64; /* no /proc: a generous guess */
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

int rlimit_ensure_fds(uint64_t extra, const char *who, struct err *e)
{
	return rlimit_ensure(RLIMIT_NOFILE, (uint64_t)rlimit_open_fds() + extra + 32, who, e);
}

static long read_long(const char *path, long fallback)
{
	FILE *f = fopen(path, "r");
	long v = fallback;
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = fallback;
		fclose(f);
	}
	return v;
}

/* Processes and threads on the whole system (the 4th field of /proc/loadavg). */
static long tasks_running(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	long running = 0, total = 0;
	if (f) {
		if (fscanf(f, "%*f %*f %*f %ld/%ld", &running, &total) != 2)
			total = 0;
		fclose(f);
	}
	return total;
}

int rlimit_ensure_tasks(uint64_t n, const char *who, struct err *e)
{
	long running = tasks_running();
	long pid_max = read_long("/proc/sys/kernel/pid_max", 0);
	long threads_max = read_long("/proc/sys/kernel/threads-max", 0);
	const uint64_t margin = 64; /* the harness, the shell, other users */
	if (pid_max > 0 && (uint64_t)running + n + margin > (uint64_t)pid_max)
		return err_set(e, "%s: %llu workers need as many new tasks, but kernel.pid_max is "
				  "%ld and %ld tasks are running (room for about %ld); ask for fewer "
				  "workers", who, (unsigned long long)n, pid_max, running,
			       pid_max - running - (long)margin);
	if (threads_max > 0 && (uint64_t)running + n + margin > (uint64_t)threads_max)
		return err_set(e, "%s: %llu workers need as many new tasks, but kernel.threads-max "
				  "is %ld and %ld tasks are running; ask for fewer workers",
			       who, (unsigned long long)n, threads_max, running);
	return rlimit_ensure(RLIMIT_NPROC, (uint64_t)running + n + margin, who, e);
}

void rlimit_describe_tasks(char *buf, size_t len)
{
	struct rlimit rl = {0, 0};
	getrlimit(RLIMIT_NPROC, &rl);
	char nproc[32];
	if (rl.rlim_cur == RLIM_INFINITY)
		snprintf(nproc, sizeof nproc, "unlimited");
	else
		snprintf(nproc, sizeof nproc, "%llu", (unsigned long long)rl.rlim_cur);
	snprintf(buf, len, "ulimit -u %s, kernel.pid_max %ld, kernel.threads-max %ld, %ld tasks "
			   "running", nproc, read_long("/proc/sys/kernel/pid_max", -1),
		 read_long("/proc/sys/kernel/threads-max", -1), tasks_running());
}
