/* reduce.c — folding result slots field by field. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "reduce.h"

void reduce_identity(const struct reduce_field *f, void *acc)
{
	for (; f->op; f++) {
		char *p = (char *)acc + f->offset;
		if (f->type == REDUCE_DOUBLE) {
			double v = f->op == REDUCE_SUM ? 0.0 : f->op == REDUCE_MIN ? INFINITY : -INFINITY;
			memcpy(p, &v, sizeof v);
		} else if (f->type == REDUCE_I64) {
			int64_t v = f->op == REDUCE_SUM ? 0 : f->op == REDUCE_MIN ? INT64_MAX : INT64_MIN;
			memcpy(p, &v, sizeof v);
		} else {
			uint64_t v = f->op == REDUCE_MIN ? UINT64_MAX : 0;
			memcpy(p, &v, sizeof v);
		}
	}
}

#define COMBINE(T, op, a, b) \
	((op) == REDUCE_SUM ? (T)((a) + (b)) : (op) == REDUCE_MIN ? ((b) < (a) ? (b) : (a)) : ((b) > (a) ? (b) : (a)))

void reduce_fold(const struct reduce_field *f, void *acc, const void *slot)
{
	for (; f->op; f++) {
		char *p = (char *)acc + f->offset;
		const char *q = (const char *)slot + f->offset;
		if (f->type == REDUCE_DOUBLE) {
			double a, b;
			memcpy(&a, p, sizeof a);
			memcpy(&b, q, sizeof b);
			a = COMBINE(double, f->op, a, b);
			memcpy(p, &a, sizeof a);
		} else if (f->type == REDUCE_I64) {
			int64_t a, b;
			memcpy(&a, p, sizeof a);
			memcpy(&b, q, sizeof b);
			/* Sums wrap as unsigned: no undefined overflow. */
			a = f->op == REDUCE_SUM ? (int64_t)((uint64_t)a + (uint64_t)b) : COMBINE(int64_t, f->op, a, b);
			memcpy(p, &a, sizeof a);
		} else {
			uint64_t a, b;
			memcpy(&a, p, sizeof a);
			memcpy(&b, q, sizeof b);
			a = COMBINE(uint64_t, f->op, a, b);
			memcpy(p, &a, sizeof a);
		}
	}
}

int reduce_compare(const struct reduce_field *f, const void *got, const void *ctx,
		   const void *(*slot)(const void *ctx, int i), int n, size_t size, struct err *e)
{
	unsigned char *want = malloc(size ? size : 1);
	if (!want)
		return err_set(e, "reduction: out of memory");
	memcpy(want, got, size);
	int rc = 0;
	reduce_identity(f, want);
	for (int i = 0; i < n; i++)
		reduce_fold(f, want, slot(ctx, i));
	for (int k = 0; f[k].op; k++) {
		const char *a = (const char *)got + f[k].offset, *b = (const char *)want + f[k].offset;
		if (f[k].type == REDUCE_DOUBLE) {
			double x, y;
			memcpy(&x, a, sizeof x);
			memcpy(&y, b, sizeof y);
			double scale = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
			if (x == y || fabs(x - y) <= 1e-9 * scale)
				continue;
			rc = err_set(e, "reduction: field %d (offset %zu) is %.17g, the tasks' results fold to %.17g",
				       k, f[k].offset, x, y);
			break;
		}
		if (memcmp(a, b, 8) != 0) {
			uint64_t x, y;
			memcpy(&x, a, sizeof x);
			memcpy(&y, b, sizeof y);
			rc = err_set(e, "reduction: field %d (offset %zu) is %llu, the tasks' results fold to %llu",
				     k, f[k].offset, (unsigned long long)x, (unsigned long long)y);
			break;
		}
	}
	free(want);
	return rc;
}
