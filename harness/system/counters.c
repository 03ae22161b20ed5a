/* counters.c — perf_event_open counters and getrusage around the measured
 * region. See counters.h for the life cycle. Each event is its own fd (no
 * group): the kernel refuses group reads of inherited events. */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "counters.h"

struct event_def {
	const char *name;
	uint32_t type;
	uint64_t config;
	/* Counting user mode only (exclude_kernel=1, what an unprivileged user is
	 * allowed) still gives the true count: clocks ignore the exclusion. */
	int user_only_is_exact;
	/* The event happens in kernel context, so user-only counting reads 0:
	 * report unsupported instead of a false zero. */
	int kernel_only;
};

static const struct event_def events[COUNTER_COUNT] = {
	[COUNTER_TASK_CLOCK] = {"task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 1, 0},
	[COUNTER_CONTEXT_SWITCHES] = {"context-switches", PERF_TYPE_SOFTWARE,
				      PERF_COUNT_SW_CONTEXT_SWITCHES, 0, 1},
	[COUNTER_CPU_MIGRATIONS] = {"cpu-migrations", PERF_TYPE_SOFTWARE,
				    PERF_COUNT_SW_CPU_MIGRATIONS, 0, 1},
	[COUNTER_PAGE_FAULTS] = {"page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 0, 0},
	[COUNTER_FUTEX] = {"syscalls:sys_enter_futex", PERF_TYPE_TRACEPOINT, 0, 0, 1},
	[COUNTER_CYCLES] = {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0, 0},
	[COUNTER_INSTRUCTIONS] = {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0,
				  0},
};

const char *counter_name(enum counter_id id) { return events[id].name; }

int counters_parse(const char *text, unsigned *mask, struct err *e)
{
	if (!strcmp(text, "all")) {
		*mask = COUNTERS_ALL;
		return 0;
	}
	if (!strcmp(text, "none")) {
		*mask = 0;
		return 0;
	}
	unsigned m = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int i = 0; i < COUNTER_COUNT; i++)
			if (strlen(events[i].name) == len && !strncmp(p, events[i].name, len))
				found = i;
		if (len == 5 && !strncmp(p, "futex", 5))
			found = COUNTER_FUTEX;
		if (found < 0) {
			char allowed[256] = "all, none, futex";
			for (int i = 0; i < COUNTER_COUNT; i++) {
				strcat(allowed, ", ");
				strcat(allowed, events[i].name);
			}
			return err_set(e, "--counters: unknown event '%.*s' (allowed: %s)", (int)len, p,
				       allowed);
		}
		m |= 1u << found;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!m)
		return err_set(e, "--counters: empty list '%s' (use 'none' for no counters)", text);
	*mask = m;
	return 0;
}

static int read_paranoid(void)
{
	int level = 2;
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	if (f) {
		if (fscanf(f, "%d", &level) != 1)
			level = 2;
		fclose(f);
	}
	return level;
}

static long read_id_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long id = -1;
	if (fscanf(f, "%ld", &id) != 1)
		id = -1;
	fclose(f);
	return id;
}

long counters_tracepoint_id(const char *event, char *why, size_t why_len)
{
	static const char *const roots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	char path[256];
	for (int pass = 0; pass < 2; pass++) {
		int mounted = 0;
		for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
			snprintf(path, sizeof path, "%s/events", roots[i]);
			struct stat st;
			if (stat(path, &st) != 0) {
				if (errno == EACCES) {
					snprintf(why, why_len,
						 "%s is not readable (tracepoints need root)", path);
					return -1;
				}
				continue;
			}
			mounted = 1;
			snprintf(path, sizeof path, "%s/events/%s/id", roots[i], event);
			long id = read_id_file(path);
			if (id >= 0)
				return id;
			if (errno == EACCES) {
				snprintf(why, why_len, "%s is not readable (tracepoints need root)", path);
				return -1;
			}
		}
		if (mounted) {
			snprintf(why, why_len,
				 "tracefs has no events/%s (kernel built without syscall tracepoints?)",
				 event);
			return -1;
		}
		/* tracefs exists but is not mounted (no systemd here): mount it where
		 * systemd would, as perf does. Only root may; others are told how. */
		if (pass == 0 && geteuid() == 0 &&
		    mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0) {
			fprintf(stderr, "cmbench: mounted tracefs at /sys/kernel/tracing to count %s\n",
				event);
			continue;
		}
		break;
	}
	snprintf(why, why_len,
		 "tracefs is not mounted (as root: mount -t tracefs nodev /sys/kernel/tracing)");
	return -1;
}

static int perf_open(const struct event_def *d, uint64_t config, int exclude_kernel)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.type = d->type;
	a.config = config;
	a.disabled = 1;
	a.inherit = 1;
	a.exclude_kernel = (unsigned)exclude_kernel;
	a.exclude_hv = 1;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

static void explain_failure(const struct event_def *d, int err, char *why, size_t len)
{
	int paranoid = read_paranoid();
	if (err == EACCES || err == EPERM) {
		if (d->type == PERF_TYPE_TRACEPOINT)
			snprintf(why, len,
				 "tracepoints need root or CAP_PERFMON (kernel.perf_event_paranoid is %d)",
				 paranoid);
		else if (d->kernel_only)
			snprintf(why, len,
				 "counted in kernel context, which kernel.perf_event_paranoid=%d forbids "
				 "for this user (run as root or set it to 1; user-only counting would "
				 "read 0)",
				 paranoid);
		else
			snprintf(why, len, "perf_event_open: %s (kernel.perf_event_paranoid is %d)",
				 strerror(err), paranoid);
	} else if (err == ENOENT && d->type == PERF_TYPE_HARDWARE) {
		if (access("/sys/bus/event_source/devices/cpu", F_OK) != 0 &&
		    access("/sys/bus/event_source/devices/cpu_core", F_OK) != 0)
			snprintf(why, len,
				 "no hardware PMU on this machine (perf_event_open: ENOENT; usual in "
				 "VMs)");
		else
			snprintf(why, len, "the CPU's PMU does not offer this event (ENOENT)");
	} else if (err == ENOSYS) {
		snprintf(why, len, "perf_event_open is not available (ENOSYS: no CONFIG_PERF_EVENTS "
				   "or blocked by seccomp)");
	} else {
		snprintf(why, len, "perf_event_open: %s", strerror(err));
	}
}

void counters_open(struct counters *c, unsigned wanted)
{
	memset(c, 0, sizeof *c);
	c->wanted = wanted;
	for (int i = 0; i < COUNTER_COUNT; i++) {
		const struct event_def *d = &events[i];
		c->fd[i] = -1;
		snprintf(c->name[i], sizeof c->name[i], "%s", d->name);
		if (!(wanted & (1u << i)))
			continue;
		uint64_t config = d->config;
		if (d->type == PERF_TYPE_TRACEPOINT) {
			long id = counters_tracepoint_id("syscalls/sys_enter_futex", c->unsupported[i],
							 sizeof c->unsupported[i]);
			if (id < 0)
				continue;
			config = (uint64_t)id;
		}
		int fd = perf_open(d, config, 0);
		int err = fd < 0 ? errno : 0;
		if (fd < 0 && (err == EACCES || err == EPERM) && !d->kernel_only) {
			/* What an unprivileged user may count: user mode only. Say so
			 * in the name unless the event is exact either way. */
			fd = perf_open(d, config, 1);
			if (fd < 0)
				err = errno;
			else if (!d->user_only_is_exact)
				snprintf(c->name[i], sizeof c->name[i], "%s:u", d->name);
		}
		if (fd < 0) {
			explain_failure(d, err, c->unsupported[i], sizeof c->unsupported[i]);
			continue;
		}
		c->fd[i] = fd;
	}
}

void counters_enable(struct counters *c)
{
	for (int i = 0; i < COUNTER_COUNT; i++)
		if (c->fd[i] >= 0)
			ioctl(c->fd[i], PERF_EVENT_IOC_ENABLE, 0);
	c->enabled = 1;
}

void counters_disable(struct counters *c)
{
	for (int i = 0; i < COUNTER_COUNT; i++)
		if (c->fd[i] >= 0)
			ioctl(c->fd[i], PERF_EVENT_IOC_DISABLE, 0);
}

void counters_read(struct counters *c)
{
	for (int i = 0; i < COUNTER_COUNT; i++) {
		if (c->fd[i] < 0)
			continue;
		uint64_t v[3]; /* value, time enabled, time running */
		if (read(c->fd[i], v, sizeof v) != (ssize_t)sizeof v) {
			snprintf(c->unsupported[i], sizeof c->unsupported[i], "read: %s",
				 strerror(errno));
			close(c->fd[i]);
			c->fd[i] = -1;
			continue;
		}
		if (!c->enabled) {
			snprintf(c->unsupported[i], sizeof c->unsupported[i],
				 "the model never started the measured region");
		} else if (v[1] > 0 && v[2] == 0) {
			snprintf(c->unsupported[i], sizeof c->unsupported[i],
				 "never got a hardware counter (multiplexed out by other events)");
		} else if (v[2] < v[1]) {
			/* Multiplexed: scale to the whole enabled time, as perf does. */
			c->value[i] = (uint64_t)((double)v[0] * (double)v[1] / (double)v[2]);
		} else {
			c->value[i] = v[0];
		}
		if (!c->unsupported[i][0])
			c->counted |= 1u << i;
	}
}

void counters_close(struct counters *c)
{
	for (int i = 0; i < COUNTER_COUNT; i++)
		if (c->fd[i] >= 0) {
			close(c->fd[i]);
			c->fd[i] = -1;
		}
}

void counters_set_unsupported(struct counters *c, const char *why)
{
	counters_close(c);
	c->counted = 0;
	for (int i = 0; i < COUNTER_COUNT; i++)
		snprintf(c->unsupported[i], sizeof c->unsupported[i], "%s", why);
}

void counters_to_json(const struct counters *c, json_t *counts, json_t *unsupported)
{
	for (int i = 0; i < COUNTER_COUNT; i++) {
		if (!(c->wanted & (1u << i)))
			continue;
		if (c->counted & (1u << i))
			json_object_set_new(counts, c->name[i], json_integer((json_int_t)c->value[i]));
		else if (c->unsupported[i][0])
			json_object_set_new(unsupported, c->name[i], json_string(c->unsupported[i]));
	}
}
