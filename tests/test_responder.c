/* test_responder.c — the convoy's responder (benches/lib/responder.c):
 * `cpu` pins it, as a thread and as a process, to that one CPU; -1 leaves
 * it where it started; a CPU this process may not run on is refused before
 * anything starts, with a message naming the value and what is allowed.
 * Which CPU the responder shares decides how often a convoy round-trip
 * waits a switch interval (docs/GIL.md, "Round four"), so a placed
 * comparison with CPython needs it pinned. Every case also makes a
 * round-trip: the pinned responder still answers. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "responder.h"

#define MSG 64

/* One request and its echo. */
static int round_trip(struct responder *r)
{
	unsigned char out[MSG], in[MSG];
	memset(out, 0x5a, sizeof out);
	if (responder_send(r, out, sizeof out) < 0)
		return -1;
	size_t got = 0;
	while (got < sizeof in) {
		struct pollfd p = {.fd = r->rfd, .events = POLLIN};
		if (poll(&p, 1, 5000) != 1)
			return -1;
		ssize_t n = read(r->rfd, in + got, sizeof in - got);
		if (n <= 0 && !(n < 0 && errno == EAGAIN))
			return -1;
		got += n > 0 ? (size_t)n : 0;
	}
	return memcmp(in, out, sizeof in) == 0 ? 0 : -1;
}

static int only_cpu(const cpu_set_t *s, int cpu)
{
	return CPU_COUNT(s) == 1 && CPU_ISSET(cpu, s);
}

int main(void)
{
	cpu_set_t allowed;
	CHECK(sched_getaffinity(0, sizeof allowed, &allowed) == 0, "sched_getaffinity: %s", strerror(errno));
	int first = -1, last = -1, outside = -1;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &allowed)) {
			first = first < 0 ? c : first;
			last = c;
		} else if (outside < 0) {
			outside = c;
		}
	}
	struct err e = {{0}};
	struct responder r;

	/* A thread pinned to the first allowed CPU. */
	if (responder_start(&r, RESPONDER_THREAD, RESPONDER_UNIX, MSG, 0, first, &e) != 0) {
		CHECK(0, "thread: %s", e.msg);
		return check_report("responder");
	}
	cpu_set_t s;
	CPU_ZERO(&s);
	CHECK(pthread_getaffinity_np(r.thread, sizeof s, &s) == 0, "pthread_getaffinity_np");
	CHECK(only_cpu(&s, first), "thread responder: %d CPUs, not only CPU %d", CPU_COUNT(&s), first);
	CHECK(round_trip(&r) == 0, "thread responder: no echo");
	responder_stop(&r);

	/* A process pinned to the last allowed CPU: after a round-trip it has
	 * certainly set its affinity (it does before serving). */
	if (responder_start(&r, RESPONDER_PROCESS, RESPONDER_TCP, MSG, 0, last, &e) != 0) {
		CHECK(0, "process: %s", e.msg);
		return check_report("responder");
	}
	CHECK(round_trip(&r) == 0, "process responder: no echo");
	CPU_ZERO(&s);
	CHECK(sched_getaffinity(r.pid, sizeof s, &s) == 0, "sched_getaffinity(%d)", (int)r.pid);
	CHECK(only_cpu(&s, last), "process responder: %d CPUs, not only CPU %d", CPU_COUNT(&s), last);
	responder_stop(&r);

	/* -1: unpinned, the affinity it was born with. */
	if (responder_start(&r, RESPONDER_PROCESS, RESPONDER_PIPE, MSG, 0, -1, &e) != 0) {
		CHECK(0, "unpinned: %s", e.msg);
		return check_report("responder");
	}
	CHECK(round_trip(&r) == 0, "unpinned responder: no echo");
	CPU_ZERO(&s);
	CHECK(sched_getaffinity(r.pid, sizeof s, &s) == 0, "sched_getaffinity(%d)", (int)r.pid);
	CHECK(CPU_EQUAL(&s, &allowed), "unpinned responder: %d CPUs, the parent %d", CPU_COUNT(&s),
	      CPU_COUNT(&allowed));
	responder_stop(&r);

	/* A CPU this process may not run on: refused, nothing started. */
	if (outside >= 0) {
		e.msg[0] = 0;
		CHECK(responder_start(&r, RESPONDER_PROCESS, RESPONDER_UNIX, MSG, 0, outside, &e) == -1,
		      "peer-cpu=%d (not allowed) was accepted", outside);
		char want[64];
		snprintf(want, sizeof want, "peer-cpu=%d", outside);
		CHECK(strstr(e.msg, want) && strstr(e.msg, "allowed"), "message: %s", e.msg);
	}
	return check_report("responder");
}
