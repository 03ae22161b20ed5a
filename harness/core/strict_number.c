/* strict_number.c — plain decimal numbers only. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include "strict_number.h"

static const char *digits(const char *p)
{
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

int strict_long(const char *text, long lo, long hi, long *out)
{
	const char *p = text + (text[0] == '-' && lo < 0);
	if (!isdigit((unsigned char)*p) || *digits(p))
		return -1;
	errno = 0;
	long v = strtol(text, NULL, 10);
	if (errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int strict_decimal(const char *text, double lo, double hi, double *out)
{
	const char *p = digits(text);
	if (p == text)
		return -1;
	if (*p == '.') {
		const char *q = digits(p + 1);
		if (q == p + 1)
			return -1;
		p = q;
	}
	if (*p)
		return -1;
	errno = 0;
	double v = strtod(text, NULL);
	if (errno || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}
