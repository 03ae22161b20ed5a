/* reduce.h — a reduction a workload declares and the model runs inside the
 * measured region, as a program's own final combine is part of its time
 * (multiprocessing's parent summing what the pool returned; MPI_Reduce).
 *
 * Declared typed, field by field of the result slot, so each model can do
 * it its own way: threads, GIL threads, coroutines and the sequential model
 * fold every task's slot after the last task; processes fold in the parent
 * from the shared mapping once the children are done; MPI maps each field
 * to MPI_Reduce with the matching MPI_Datatype and MPI_Op. The folded slot
 * goes where bench->reduced() says; verify() reads it from there. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "err.h"

enum reduce_op { REDUCE_SUM = 1, REDUCE_MIN, REDUCE_MAX };
enum reduce_type { REDUCE_U64 = 1, REDUCE_I64, REDUCE_DOUBLE };

/* One field of the result slot: `type` at `offset`, combined with `op`.
 * A list of them ends with {0}. */
struct reduce_field {
	enum reduce_op op;
	enum reduce_type type;
	size_t offset;
};

/* The identity of each field (0 for sums, the largest value for MIN, the
 * smallest for MAX); other bytes of acc are left alone. */
void reduce_identity(const struct reduce_field *f, void *acc);
/* acc = acc (op) slot, field by field. */
void reduce_fold(const struct reduce_field *f, void *acc, const void *slot);

/* Whether `got` (the model's reduction, `size` bytes) agrees with a fold
 * of the n slots slot(ctx, 0..n-1): integers exactly, doubles within 1e-9 relative (a model may sum
 * in another order: MPI_Reduce does). 0, or -1 with e naming the field. */
int reduce_compare(const struct reduce_field *f, const void *got, const void *ctx,
		   const void *(*slot)(const void *ctx, int i), int n, size_t size, struct err *e);
