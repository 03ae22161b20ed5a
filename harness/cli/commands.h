/* commands.h — the subcommands of cmbench, generated from commands.def.
 * Each returns the process exit status: 0 success, 1 failure of what was
 * measured or compared, 2 usage or input error. */
#pragma once

#define COMMAND(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.def"
#undef COMMAND

struct command {
	const char *name;
	const char *summary;
	int (*fn)(int argc, char **argv);
};

extern const struct command command_table[];
