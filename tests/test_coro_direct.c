/* test_coro_direct.c — the direct yield (coro_sched.c: yield_direct), the
 * path a yield takes on one scheduler while nothing waits for an event:
 *  - three coroutines that only yield run in strict rotation (A B C A B C),
 *    each yield one switch, and every one finishes;
 *  - each keeps its own floating-point control state across the direct
 *    switches (full and ucontext switches): a rounding mode, and on x86-64
 *    MXCSR's and the x87 control word's own bits, set differently in each;
 *  - the direct path hands over to the general one and back: a coroutine
 *    that parks (woken by another) and one that sleeps on a timer (the
 *    event loop must be polled while the others spin-yield) both finish.
 * With every context switch this build has. */
#include <fenv.h>
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "coro_sched.h"
#include "coro_stack.h"

#define NCORO 3
#define ROUNDS 2000

static struct coro_sched sched;
static int order[NCORO * ROUNDS + NCORO];
static int norder;
static int fp_ok[NCORO];
static int done[NCORO];

#if defined(__x86_64__)
static unsigned get_mxcsr(void) { return __builtin_ia32_stmxcsr(); }
static unsigned short get_x87cw(void)
{
	unsigned short cw;
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}
static void set_x87cw(unsigned short cw) { __asm__ volatile("fldcw %0" : : "m"(cw)); }
#endif

static const int modes[NCORO] = {FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};

static void rotate_body(void *arg)
{
	int me = (int)(intptr_t)arg;
	int fp = sched.kind != CORO_SWITCH_MINIMAL;
	if (fp) {
		fesetround(modes[me]);
#if defined(__x86_64__)
		/* x87 precision control: 24, 53 or 64 bits, one per coroutine */
		static const unsigned short pc[NCORO] = {0x0000, 0x0200, 0x0300};
		set_x87cw((unsigned short)((get_x87cw() & ~0x0300u) | pc[me]));
#endif
	}
	unsigned mx = 0;
	unsigned short cw = 0;
#if defined(__x86_64__)
	mx = get_mxcsr();
	cw = get_x87cw();
#endif
	fp_ok[me] = 1;
	for (int k = 0; k < ROUNDS; k++) {
		order[norder++] = me;
		coro_yield(&sched);
		if (fp && fegetround() != modes[me])
			fp_ok[me] = 0;
#if defined(__x86_64__)
		if (fp && (get_mxcsr() != mx || get_x87cw() != cw))
			fp_ok[me] = 0;
#endif
	}
	(void)mx;
	(void)cw;
	done[me]++;
}

static void test_rotation(enum coro_switch_kind kind, const char *name)
{
	static struct coro cs[NCORO];
	struct err e;
	struct coro_stacks stacks;
	norder = 0;
	memset(done, 0, sizeof done);
	fesetround(FE_TONEAREST);
	CHECK(coro_sched_init(&sched, kind, &e) == 0, "%s", e.msg);
	CHECK(coro_stacks_create(&stacks, NCORO, 64 * 1024, &e) == 0, "%s", e.msg);
	for (int i = 0; i < NCORO; i++)
		CHECK(coro_spawn(&sched, &cs[i], coro_stack_lo(&stacks, i), stacks.usable, rotate_body,
				 (void *)(intptr_t)i, &e) == 0, "%s", e.msg);
	CHECK(coro_sched_run(&sched, &e) == 0, "%s: %s", name, e.msg);
	CHECK_INT(norder, NCORO * ROUNDS);
	int in_turn = 1;
	for (int k = 0; k < norder; k++)
		in_turn &= order[k] == k % NCORO;
	CHECK(in_turn, "%s: the coroutines did not run in rotation", name);
	for (int i = 0; i < NCORO; i++) {
		CHECK(done[i] == 1, "%s: coroutine %d finished %d times", name, i, done[i]);
		CHECK(fp_ok[i], "%s: coroutine %d's FP control state changed across a yield", name, i);
	}
	/* one switch per yield, a few for the starts and the ends */
	CHECK(sched.switches <= (uint64_t)NCORO * ROUNDS + 2 * NCORO + 2,
	      "%s: %llu switches for %d yields", name, (unsigned long long)sched.switches,
	      NCORO * ROUNDS);
	CHECK(fegetround() == FE_TONEAREST, "%s: a coroutine's rounding mode leaked into the "
	      "scheduler's thread (%d)", name, fegetround());
	for (int i = 0; i < NCORO; i++)
		coro_release(&cs[i]);
	coro_stacks_destroy(&stacks);
	coro_sched_destroy(&sched);
}

static struct coro *parked;
static int woken, slept;

static void parker_body(void *arg)
{
	(void)arg;
	parked = sched.current;
	woken = coro_park(&sched);
	for (int k = 0; k < 100; k++)
		coro_yield(&sched);
	done[0]++;
}

static void sleeper_body(void *arg)
{
	(void)arg;
	coro_sleep(&sched, 2000000);
	slept = 1;
	done[1]++;
}

/* Spins on the direct path until the parker is parked, wakes it, then
 * until the sleeper has woken: only the event loop can end that wait. */
static void spinner_body(void *arg)
{
	(void)arg;
	while (!parked || parked->state != CORO_PARKED)
		coro_yield(&sched);
	coro_wake(&sched, parked, 7);
	while (!slept)
		coro_yield(&sched);
	done[2]++;
}

static void test_mixed(enum coro_switch_kind kind, const char *name)
{
	static struct coro cs[3];
	void (*bodies[3])(void *) = {parker_body, sleeper_body, spinner_body};
	struct err e;
	struct coro_stacks stacks;
	parked = NULL;
	woken = slept = 0;
	memset(done, 0, sizeof done);
	CHECK(coro_sched_init(&sched, kind, &e) == 0, "%s", e.msg);
	CHECK(coro_stacks_create(&stacks, 3, 64 * 1024, &e) == 0, "%s", e.msg);
	for (int i = 0; i < 3; i++)
		CHECK(coro_spawn(&sched, &cs[i], coro_stack_lo(&stacks, i), stacks.usable, bodies[i],
				 NULL, &e) == 0, "%s", e.msg);
	CHECK(coro_sched_run(&sched, &e) == 0, "%s: %s", name, e.msg);
	CHECK_INT(woken, 7);
	for (int i = 0; i < 3; i++)
		CHECK(done[i] == 1, "%s: coroutine %d finished %d times", name, i, done[i]);
	for (int i = 0; i < 3; i++)
		coro_release(&cs[i]);
	coro_stacks_destroy(&stacks);
	coro_sched_destroy(&sched);
}

int main(void)
{
	static const char *const names[] = {"full", "minimal", "ucontext"};
	for (int k = CORO_SWITCH_FULL; k <= CORO_SWITCH_UCONTEXT; k++) {
		if (coro_switch_kind_parse(names[k]) != k)
			continue; /* not built in */
		test_rotation((enum coro_switch_kind)k, names[k]);
		test_mixed((enum coro_switch_kind)k, names[k]);
		printf("context=%s: direct yields checked\n", names[k]);
	}
	return check_report("coro_direct");
}
