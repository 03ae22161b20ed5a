/* coro_ctx.c — create and release contexts for whichever switch a run uses
 * (the switching itself is inline in coro_switch.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "coro_switch.h"

int coro_switch_kind_parse(const char *text)
{
#if CORO_HAVE_ASM
	if (!strcmp(text, "full"))
		return CORO_SWITCH_FULL;
	if (!strcmp(text, "minimal"))
		return CORO_SWITCH_MINIMAL;
#endif
	if (!strcmp(text, "ucontext"))
		return CORO_SWITCH_UCONTEXT;
	return -1;
}

int coro_ctx_make(struct coro_ctx *ctx, enum coro_switch_kind kind, void *lo, size_t size,
		  coro_entry_fn entry, void *arg)
{
	memset(ctx, 0, sizeof *ctx);
#if CORO_HAVE_ASM
	if (kind == CORO_SWITCH_FULL || kind == CORO_SWITCH_MINIMAL) {
		void *top = (char *)lo + size;
		ctx->sp = kind == CORO_SWITCH_FULL ? coro_make_full(top, entry, arg)
						   : coro_make_minimal(top, entry, arg);
		return 0;
	}
#endif
	(void)kind;
	return coro_ucontext_make(ctx, lo, size, entry, arg);
}

int coro_ctx_init_current(struct coro_ctx *ctx, enum coro_switch_kind kind)
{
	memset(ctx, 0, sizeof *ctx);
	if (kind == CORO_SWITCH_UCONTEXT)
		return coro_ucontext_init_current(ctx);
	return 0; /* the assembly saves into ctx->sp on the first switch away */
}

void coro_ctx_release(struct coro_ctx *ctx)
{
	free(ctx->uc);
	ctx->uc = NULL;
}
