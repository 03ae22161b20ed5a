/* file_line.h — the first line of a small text file (sysfs, procfs). */
#pragma once
#include <stddef.h>

/* The first line of path without its newline: 0, or -1. */
int file_read_line(const char *path, char *buf, size_t len);
