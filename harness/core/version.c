/* version.c — the only file that sees the generated revision header, so a
 * new commit recompiles one file. */
#include <stdio.h>
#include "cmbench_git.h" /* generated in the build tree: CMBENCH_GIT_REV, CMBENCH_GIT_DIRTY */
#include "version.h"

const char *cmbench_version(void) { return CMBENCH_VERSION; }
const char *cmbench_git_rev(void) { return CMBENCH_GIT_REV; }
int cmbench_git_dirty(void) { return CMBENCH_GIT_DIRTY; }

const char *cmbench_version_line(void)
{
	static char line[128];
	snprintf(line, sizeof line, "cmbench %s (git %s%s)", CMBENCH_VERSION, CMBENCH_GIT_REV,
		 CMBENCH_GIT_DIRTY ? "-dirty" : "");
	return line;
}
