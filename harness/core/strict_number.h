/* strict_number.h — numbers on the command line, spelled one way only.
 * strtol/strtod accept " 1", "+2", "0x10", "1e3", "inf": a typo or a paste
 * became a value nobody meant. These accept plain decimal digits (a leading
 * '-' only where negatives are allowed, a fraction only for seconds). */
#pragma once

/* 0 and *out set when text is an integer in [lo, hi], else -1. */
int strict_long(const char *text, long lo, long hi, long *out);

/* 0 and *out set when text is DIGITS[.DIGITS] within [lo, hi], else -1. */
int strict_decimal(const char *text, double lo, double hi, double *out);
