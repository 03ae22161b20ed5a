/* cmd_topo.c — `cmbench topo`: the topology summary and, with --pin and -n,
 * where each worker would run. --topology plans for a machine you do not
 * have (an hwloc XML file or a synthetic description). --speeds times each
 * CPU's speed now (host_speed.h): under a VM the host slows one vCPU at a
 * time, unseen, and scripts/gil-figures probes between runs to compare
 * CPython and the emulation in like host phases. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "host_speed.h"
#include "pin.h"
#include "topology.h"

#define TOPO_MAX_LIST 64

static void topo_usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench topo [--topology FILE.xml|SYNTHETIC] [--pin POLICY[,POLICY...] "
		"[-n N[,N...]]] [--speeds] [--json]\n\n"
		"Print the topology (packages, cores, PUs, NUMA nodes, caches) and, with --pin,\n"
		"where each of N workers would run (default N: 1 per PU).\n\n"
		"  --topology SPEC  an hwloc XML file, or a synthetic description such as\n"
		"                   'package:2 core:8 pu:2' (binding is then skipped)\n"
		"  --pin POLICY     none, compact, scatter, cores, single, or hwloc locations\n"
		"                   (core:0-3, pu:0,pu:2, pu:0,2, package:1.core:0, numa:0, core:odd)\n"
		"  -n, --workers N  workers to place (comma list allowed)\n"
		"  --speeds         also time each CPU this process may use, now: turns per ns of\n"
		"                   a reference loop, ~1.2 ms per CPU (not with --topology)\n"
		"  --json           print the topology as recorded in results' context\n"
		"                   (with --speeds, plus cpu_speeds_now)\n");
}

static int parse_workers(const char *text, int *out, int max)
{
	int n = 0;
	const char *p = text;
	while (n < max) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < 1 || v > 4096 || (*end && *end != ','))
			return -1;
		out[n++] = (int)v;
		if (!*end)
			return n;
		p = end + 1;
	}
	return -1;
}

static void print_plan(const struct binding *b, FILE *f)
{
	int workers = binding_workers(b);
	fprintf(f, "\npin %s, %d %s", binding_policy(b)->text, workers,
		workers == 1 ? "worker" : "workers");
	if (binding_slots(b) > 0 && binding_slots(b) < workers)
		fprintf(f, " (%d %s; workers beyond wrap around)", binding_slots(b),
			binding_slots(b) == 1 ? "slot" : "slots");
	fprintf(f, ":\n");
	for (int w = 0; w < workers; w++) {
		char cpus[256], object[128];
		binding_describe(b, w, cpus, sizeof cpus, object, sizeof object);
		fprintf(f, "  worker %-3d cpus %-9s %s\n", w, cpus, object);
	}
}

/* [{"cpu": N, "turns_per_ns": x}, ...] for each CPU timed; a CPU this
 * process may not use, or one the probe was moved off, is left out. */
static json_t *speeds_json(const struct host_speeds *s)
{
	json_t *a = json_array();
	for (int c = 0; c < s->n; c++)
		if (host_speeds_of(s, c) > 0)
			json_array_append_new(a, json_pack("{s:i, s:f}", "cpu", c, "turns_per_ns",
							   host_speeds_of(s, c)));
	return a;
}

static void print_speeds(const struct host_speeds *s, FILE *f)
{
	fprintf(f, "\nspeed now (turns per ns of a reference loop; a vCPU the host slowed reads lower):\n");
	for (int c = 0; c < s->n; c++)
		if (host_speeds_of(s, c) > 0)
			fprintf(f, "  cpu %-4d %.2f\n", c, host_speeds_of(s, c));
}

int cmd_topo(int argc, char **argv)
{
	static const struct option options[] = {
		{"topology", required_argument, NULL, 't'},
		{"pin", required_argument, NULL, 'p'},
		{"workers", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{"speeds", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *spec = NULL, *pin_text = NULL, *workers_text = NULL;
	int json = 0, speeds = 0, opt;
	struct err e = {{0}};

	optind = 1;
	while ((opt = getopt_long(argc, argv, "n:h", options, NULL)) != -1) {
		switch (opt) {
		case 't': spec = optarg; break;
		case 'p': pin_text = optarg; break;
		case 'n': workers_text = optarg; break;
		case 'j': json = 1; break;
		case 's': speeds = 1; break;
		case 'h': topo_usage(stdout); return 0;
		default: topo_usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cmbench topo: unexpected argument '%s' (see cmbench topo --help)\n",
			argv[optind]);
		return 2;
	}

	struct pin_policy policies[TOPO_MAX_LIST];
	int npolicies = 0, workers[TOPO_MAX_LIST], nworkers = 0;
	if (pin_text && (npolicies = pin_policy_list_parse(pin_text, policies, TOPO_MAX_LIST, &e)) < 0) {
		fprintf(stderr, "cmbench topo: %s\n", e.msg);
		return 2;
	}
	if (workers_text && (nworkers = parse_workers(workers_text, workers, TOPO_MAX_LIST)) < 0) {
		fprintf(stderr,
			"cmbench topo: -n '%s': not a comma list of worker counts (allowed: 1-4096)\n",
			workers_text);
		return 2;
	}
	if (speeds && spec) {
		fprintf(stderr, "cmbench topo: --speeds with --topology '%s': speeds are timed on this "
			"machine only (allowed: --speeds without --topology)\n", spec);
		return 2;
	}
	if (workers_text && !pin_text) {
		fprintf(stderr, "cmbench topo: -n needs --pin POLICY to say where workers go\n");
		return 2;
	}

	hwloc_topology_t topo = topology_load(spec, &e);
	if (!topo) {
		fprintf(stderr, "cmbench topo: %s\n", e.msg);
		return 2;
	}
	struct host_speeds now = {0};
	if (speeds && host_speeds_measure(&now) < 0) {
		fprintf(stderr, "cmbench topo: --speeds: cannot read or change this process's CPU "
			"affinity\n");
		hwloc_topology_destroy(topo);
		return 1;
	}
	if (json) {
		json_t *j = topology_json(topo, spec);
		if (speeds)
			json_object_set_new(j, "cpu_speeds_now", speeds_json(&now));
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(j);
	} else {
		topology_print_summary(topo, spec, stdout);
		if (speeds)
			print_speeds(&now, stdout);
	}
	host_speeds_free(&now);
	if (nworkers == 0) {
		workers[0] = topology_count(topo, HWLOC_OBJ_PU);
		nworkers = 1;
	}
	int status = 0;
	for (int p = 0; p < npolicies && status == 0; p++)
		for (int n = 0; n < nworkers; n++) {
			struct binding *b = binding_plan(topo, &policies[p], workers[n], &e);
			if (!b) {
				fprintf(stderr, "cmbench topo: %s\n", e.msg);
				status = 2;
				break;
			}
			if (!json)
				print_plan(b, stdout);
			binding_free(b);
		}
	hwloc_topology_destroy(topo);
	return status;
}
