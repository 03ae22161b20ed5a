/* cmd_limits.c — `cmbench limits`: this machine's floors (harness/floors):
 * the cheapest coroutine switch, thread and process handoff, loopback
 * round trip, SHA-512 rate, count-down iteration and worker creation, each
 * the median of a few rounds, in a table or as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "floors.h"
#include "topology.h"

static void limits_usage(FILE *f)
{
	fprintf(f,
		"usage: cmbench limits [--json] [--rounds N] [--round-ms MS] [--only NAME[,NAME...]]\n"
		"                      [--topology FILE.xml|SYNTHETIC]\n\n"
		"Measure this machine's floors in a few seconds: a direct coroutine switch,\n"
		"futex / condvar / pipe ping-pong on one PU, across two cores and unpinned,\n"
		"a loopback TCP round trip, SHA-512 through EVP on one core, the C count-down\n"
		"per iteration, fork+wait and pthread create+join. Each figure is the median of\n"
		"N rounds with its min and max; a floor the machine cannot measure is marked\n"
		"unavailable with the reason. `cmbench run` records the same floors in its\n"
		"results (context.floors) and reports each cell's ratio to its floor.\n\n"
		"  --json           print the floors as recorded in results' context.floors\n"
		"  --rounds N       rounds per floor (3-1000; default 5)\n"
		"  --round-ms MS    target length of one round (1-10000; default 20)\n"
		"  --only NAMES     measure only these floors (the others: not measured)\n"
		"  --topology SPEC  plan placements on an hwloc XML file or a synthetic\n"
		"                   description such as 'pu:1' (pinned floors then report\n"
		"                   why they cannot be measured)\n\n"
		"Floors:\n");
	for (int i = 0; i < FLOOR_COUNT; i++)
		fprintf(f, "  %-20s %-5s %s\n", floor_infos[i].name, floor_infos[i].unit,
			floor_infos[i].what);
}

static int parse_range(const char *opt, const char *text, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end || v < lo || v > hi) {
		fprintf(stderr, "cmbench limits: %s '%s': not an integer in %ld-%ld\n", opt, text, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* Every name in the --only list must be a floor. */
static int check_only(const char *only)
{
	char copy[1024];
	snprintf(copy, sizeof copy, "%s", only);
	for (char *save = NULL, *name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save))
		if (floor_by_name(name) < 0) {
			fprintf(stderr, "cmbench limits: --only '%s': no such floor (see cmbench limits "
					"--help for the list)\n", name);
			return -1;
		}
	return *only ? 0 : (fprintf(stderr, "cmbench limits: --only needs a floor name\n"), -1);
}

int cmd_limits(int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{"rounds", required_argument, NULL, 'r'},
		{"round-ms", required_argument, NULL, 'm'},
		{"only", required_argument, NULL, 'o'},
		{"topology", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, opt;
	long rounds = 5, round_ms = 20;
	const char *only = NULL, *spec = NULL;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'r': if (parse_range("--rounds", optarg, 3, 1000, &rounds) < 0) return 2; break;
		case 'm': if (parse_range("--round-ms", optarg, 1, 10000, &round_ms) < 0) return 2; break;
		case 'o': only = optarg; if (check_only(only) < 0) return 2; break;
		case 't': spec = optarg; break;
		case 'h': limits_usage(stdout); return 0;
		default: limits_usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cmbench limits: unexpected argument '%s' (see cmbench limits --help)\n",
			argv[optind]);
		return 2;
	}
	struct err e = {{0}};
	hwloc_topology_t topo = topology_load(spec, &e);
	if (!topo) {
		fprintf(stderr, "cmbench limits: %s\n", e.msg);
		return 2;
	}
	struct floors *f = malloc(sizeof *f);
	struct floors_options o = {.rounds = (int)rounds, .round_ns = round_ms * 1000000, .only = only};
	int status = 0;
	if (!f || floors_measure(f, topo, &o, &e) != 0) {
		fprintf(stderr, "cmbench limits: %s\n", f ? e.msg : "out of memory");
		status = 1;
	} else if (json) {
		json_t *j = floors_json(f);
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(j);
	} else {
		floors_print(f, stdout);
	}
	free(f);
	hwloc_topology_destroy(topo);
	return status;
}
