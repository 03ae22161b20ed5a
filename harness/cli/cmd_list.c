/* cmd_list.c — `cmbench list`: workloads, models and their parameters. */
#include <stdio.h>
#include <string.h>
#include "bench.h"
#include "commands.h"
#include "model.h"

static void list_params(const struct param_spec *p)
{
	for (; p && p->name; p++) {
		char allowed[160];
		param_describe_allowed(p, allowed, sizeof allowed);
		printf("      --param %s=%s  %s [default %s", p->name, p->defaults[PROFILE_DEFAULT],
		       p->help, p->defaults[PROFILE_DEFAULT]);
		if (p->defaults[PROFILE_QUICK])
			printf(", quick %s", p->defaults[PROFILE_QUICK]);
		if (p->defaults[PROFILE_FULL])
			printf(", full %s", p->defaults[PROFILE_FULL]);
		if (p->defaults[PROFILE_CI])
			printf(", ci %s", p->defaults[PROFILE_CI]);
		printf("; %s]\n", allowed);
	}
}

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: cmbench list\n\nLists the workloads and models, with the --param "
		       "settings each accepts.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "cmbench list: unexpected argument '%s' (list takes none)\n", argv[1]);
		return 2;
	}
	printf("workloads (-w):\n");
	for (int i = 0; bench_registry[i]; i++) {
		const struct bench *b = bench_registry[i];
		printf("  %-12s %s%s\n", b->name, b->summary, b->kind == BENCH_IO ? " [I/O]" : "");
		list_params(b->params);
	}
	printf("\nmodels (-m):\n");
	for (int i = 0; model_registry[i]; i++) {
		const struct model *m = model_registry[i];
		const char *why = m->unavailable ? m->unavailable() : NULL;
		printf("  %-12s %s\n", m->name, m->summary);
		if (why)
			printf("      unavailable: %s\n", why);
		list_params(m->params);
	}
	return 0;
}
