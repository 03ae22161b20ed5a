/* mpi_command.c — the exact mpirun command line of a cell.
 *
 * One machine (no hostfile), as root in a VM or container included:
 *   --allow-run-as-root      when running as root (mpirun refuses root otherwise)
 *   --oversubscribe          when -n exceeds the cores (Open MPI's default slots)
 *   --mca btl self,vader     shared memory between ranks, nothing else
 *   --mca btl_vader_single_copy_mechanism none
 *                            no cross-memory attach (CMA/ptrace), often denied in containers
 *   --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo
 *                            no probing of network interfaces that may hang
 * Across machines (--param hostfile=FILE): --hostfile FILE, btl self,vader,tcp,
 * no interface restriction, no oversubscription (the hostfile's slots rule).
 * --pin maps to --map-by/--bind-to where mpirun can express it. */
#include <errno.h>
#include <stdarg.h>
#include <hwloc.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mpi_job.h"
#include "pin.h"

static void push(struct mpi_argv *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->v = realloc(a->v, (size_t)a->cap * sizeof *a->v);
		if (!a->v)
			abort();
	}
	a->v[a->n++] = strdup(s);
	a->v[a->n] = NULL;
}

static void pushf(struct mpi_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pushf(struct mpi_argv *a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	push(a, buf);
}

void mpi_argv_free(struct mpi_argv *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

void mpi_argv_print(const struct mpi_argv *a, FILE *f)
{
	for (int i = 0; i < a->n; i++) {
		const char *s = a->v[i];
		int plain = *s != 0;
		for (const char *p = s; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,+@%", *p))
				plain = 0;
		if (plain) {
			fprintf(f, "%s%s", i ? " " : "", s);
			continue;
		}
		fprintf(f, "%s'", i ? " " : "");
		for (const char *p = s; *p; p++)
			fprintf(f, *p == '\'' ? "'\\''" : "%c", *p);
		fputc('\'', f);
	}
	fputc('\n', f);
}

const char *mpi_mpirun_path(void)
{
	static char found[PATH_MAX];
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	for (const char *p = path; *p;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(found, sizeof found, "%.*s/mpirun", (int)len, len ? p : ".");
		if (access(found, X_OK) == 0)
			return found;
		p += len + (colon != NULL);
	}
	return NULL;
}

/* Open MPI gives a node one slot per core unless told otherwise. */
static int local_cores(void)
{
	static int cores;
	if (cores)
		return cores;
	hwloc_topology_t t;
	cores = 1;
	if (hwloc_topology_init(&t) == 0) {
		if (hwloc_topology_load(t) == 0) {
			int n = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
			cores = n > 0 ? n : 1;
		}
		hwloc_topology_destroy(t);
	}
	return cores;
}

/* --pin as --map-by/--bind-to. Policies mpirun cannot express are errors. */
static int push_binding(struct mpi_argv *a, const struct model_cell *mc, int oversubscribed,
			struct err *e)
{
	const struct pin_policy *p = mc->binding ? binding_policy(mc->binding) : NULL;
	const char *overload = oversubscribed ? ":overload-allowed" : "";
	switch (p ? p->kind : PIN_NONE) {
	case PIN_NONE:
		push(a, "--bind-to");
		push(a, "none");
		return 0;
	case PIN_CORES: /* one rank per core */
		push(a, "--map-by");
		push(a, "core");
		push(a, "--bind-to");
		pushf(a, "core%s", overload);
		return 0;
	case PIN_COMPACT: /* PUs in order, both PUs of a core first */
		push(a, "--map-by");
		push(a, "hwthread");
		push(a, "--bind-to");
		pushf(a, "hwthread%s", overload);
		return 0;
	case PIN_SCATTER: /* round-robin over packages, one core each */
		push(a, "--map-by");
		push(a, "socket");
		push(a, "--bind-to");
		pushf(a, "core%s", overload);
		return 0;
	default:
		return err_set(e, "mpi: --pin %s cannot be expressed with mpirun's --map-by/--bind-to "
				  "(allowed under mpi: none, compact, scatter, cores)", p->text);
	}
}

static int rank_executable(char *buf, size_t len, struct err *e)
{
	/* Tests run the model from a test program: they name the cmbench binary. */
	const char *exe = getenv("CMBENCH_MPI_RANK_EXE");
	if (exe && *exe) {
		snprintf(buf, len, "%s", exe);
		return 0;
	}
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0)
		return err_set(e, "mpi: cannot find this executable (/proc/self/exe): %s", strerror(errno));
	buf[n] = 0;
	return 0;
}

int mpi_command_build(const struct model_cell *mc, struct mpi_argv *a, struct err *e)
{
	const char *hostfile = param_str(mc->model_params, "hostfile");
	const char *mpirun = mpi_mpirun_path();
	char exe[PATH_MAX];
	memset(a, 0, sizeof *a);
	push(a, mpirun ? mpirun : "mpirun");
	if (geteuid() == 0)
		push(a, "--allow-run-as-root");
	pushf(a, "-n");
	pushf(a, "%d", mc->workers);
	int oversubscribed = 0;
	if (*hostfile) {
		push(a, "--hostfile");
		push(a, hostfile);
		push(a, "--mca");
		push(a, "btl");
		push(a, "self,vader,tcp");
	} else {
		oversubscribed = mc->workers > local_cores();
		if (oversubscribed)
			push(a, "--oversubscribe");
		const char *mca[][2] = {{"btl", "self,vader"},
					{"btl_tcp_if_include", "lo"},
					{"oob_tcp_if_include", "lo"}};
		for (size_t i = 0; i < sizeof mca / sizeof *mca; i++) {
			push(a, "--mca");
			push(a, mca[i][0]);
			push(a, mca[i][1]);
		}
	}
	/* Single copy between the ranks of a node needs cross-memory attach. */
	push(a, "--mca");
	push(a, "btl_vader_single_copy_mechanism");
	push(a, "none");
	if (push_binding(a, mc, oversubscribed, e) < 0 || rank_executable(exe, sizeof exe, e) < 0) {
		mpi_argv_free(a);
		return -1;
	}
	push(a, exe);
	push(a, "mpi-rank");
	push(a, "--workload");
	push(a, mc->bench->name);
	push(a, "--ntasks");
	pushf(a, "%d", mc->ntasks);
	if (mc->cache_dir && *mc->cache_dir) {
		push(a, "--cache-dir");
		push(a, mc->cache_dir);
	}
	/* Every value, given or default: the ranks need no profile. */
	for (int i = 0; i < mc->bench_params->n; i++) {
		const struct param_value *v = &mc->bench_params->v[i];
		push(a, "--param");
		pushf(a, "%s=%s", v->spec->name, v->text);
	}
	return 0;
}
