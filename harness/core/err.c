/* err.c — one-line error messages. */
#include <stdarg.h>
#include <stdio.h>
#include "err.h"

int err_set(struct err *e, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}
