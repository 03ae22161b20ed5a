/* main.c — `cmbench COMMAND [options]`: dispatch to harness/cmd_*.c. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"
#include "commands.h"
#include "mpi_job.h"
#include "version.h"

const struct command command_table[] = {
#define COMMAND(name, summary) {#name, summary, cmd_##name},
#include "commands.def"
#undef COMMAND
	{NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: cmbench COMMAND [options]   (cmbench COMMAND --help for more)\n\n"
		   "cmbench measures concurrency models on identical workloads.\n\ncommands:\n");
	for (const struct command *c = command_table; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
}

/* A descriptor 0-2 closed by the caller (`2>&-`) would be handed to the
 * first file cmbench opens (the journal), and progress lines would land in
 * it: hold each closed one with /dev/null. */
static void hold_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
			if (got >= 0 && got != fd) {
				dup2(got, fd);
				close(got);
			}
		}
}

int main(int argc, char **argv)
{
	hold_standard_fds();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("%s\n", cmbench_version_line());
		return 0;
	}
	/* Hidden: one rank of an mpi cell, started by mpirun (models/mpi). */
	if (!strcmp(argv[1], "mpi-rank"))
		return mpi_rank_main(argc - 1, argv + 1, bench_find);
	for (const struct command *c = command_table; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "cmbench: unknown command '%s' (allowed: ", argv[1]);
	for (const struct command *c = command_table; c->name; c++)
		fprintf(stderr, "%s%s", c->name, c[1].name ? ", " : ")\n");
	return 2;
}
