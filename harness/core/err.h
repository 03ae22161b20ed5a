/* err.h — one-line error messages carried up to whoever can report them. */
#pragma once
#include <stddef.h>

struct err {
	char msg[512];
};

/* Format a one-line message into e (printf-style); returns -1 so callers can
 * write `return err_set(e, ...)`. A NULL e is allowed and ignored. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
