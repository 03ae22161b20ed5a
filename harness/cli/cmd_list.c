/* cmd_list.c — `cmbench list`: workloads, models and their parameters. */
#include <stdio.h>
#include <string.h>
#include "bench.h"
#include "commands.h"
#include "counters.h"
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

static void names_of_params(const char *owner, const struct param_spec *p)
{
	for (; p && p->name; p++)
		printf("param\t%s\t%s\t%s\n", owner, p->name,
		       p->type == PARAM_CHOICE ? p->choices : p->defaults[PROFILE_DEFAULT]);
}

/* --names: one tab-separated line per name, for shell completion and
 * scripts (completion/cmbench.bash reads it at completion time, so it never
 * goes stale): "command NAME", "workload NAME", "model NAME",
 * "param OWNER KEY CHOICES|DEFAULT", "profile NAME", "counter NAME". */
static void list_names(void)
{
	for (const struct command *c = command_table; c->name; c++)
		printf("command\t%s\n", c->name);
	for (int i = 0; bench_registry[i]; i++)
		printf("workload\t%s\n", bench_registry[i]->name);
	for (int i = 0; model_registry[i]; i++)
		printf("model\t%s\n", model_registry[i]->name);
	for (int i = 0; bench_registry[i]; i++)
		names_of_params(bench_registry[i]->name, bench_registry[i]->params);
	for (int i = 0; model_registry[i]; i++)
		names_of_params(model_registry[i]->name, model_registry[i]->params);
	for (int p = 0; p < PROFILE_COUNT; p++)
		printf("profile\t%s\n", profile_name((enum profile)p));
	for (int i = 0; i < COUNTER_COUNT; i++)
		/* --counters takes "futex" for the tracepoint: no ':' for the shell's word breaks */
		printf("counter\t%s\n", i == COUNTER_FUTEX ? "futex" : counter_name((enum counter_id)i));
}

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: cmbench list [--names]\n\nLists the workloads and models, with the --param "
		       "settings each accepts.\n\n"
		       "      --names   one tab-separated line per name instead (command, workload,\n"
		       "                model, param OWNER KEY CHOICES-or-DEFAULT, profile, counter),\n"
		       "                for shell completion and scripts\n");
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--names")) {
		list_names();
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "cmbench list: unexpected argument '%s' (allowed: --names)\n", argv[1]);
		return 2;
	}
	printf("workloads (-w):\n");
	for (int i = 0; bench_registry[i]; i++) {
		const struct bench *b = bench_registry[i];
		printf("  %-12s %s%s%s\n", b->name, b->summary, b->kind == BENCH_IO ? " [I/O]" : "",
		       b->on_request || b->tasks_exactly ? " [when named]" : "");
		if (b->origin)
			printf("      from: %s\n", b->origin);
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
