/* version.h — what this binary is: the release, the git revision it was
 * built from and whether that tree had uncommitted changes. The revision is
 * read at build time (cmake/version.cmake), not when CMake was configured. */
#pragma once

const char *cmbench_version(void);  /* "0.2.0" */
const char *cmbench_git_rev(void);  /* 12 hex digits, or "unknown" outside git */
int cmbench_git_dirty(void);        /* 1: built from a tree with uncommitted changes */
/* "cmbench 0.2.0 (git 4422533abcde-dirty)" — what --version prints */
const char *cmbench_version_line(void);
