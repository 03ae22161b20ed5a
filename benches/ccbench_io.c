/* ccbench_io.c — CPython's Tools/ccbench latency and bandwidth tests: one
 * I/O task beside 0..N CPU tasks (ccbench's "CPU threads"; here workers - 1
 * tasks running ccbench's TimedLoop, benches/lib/ccbench_loop.c, without
 * yields), with a client process over UDP on 127.0.0.1 (benches/lib/udp_peer.c).
 *
 * ccbench-latency: the client pings every `interval` (100 ms) for
 *   `duration` (2 s: 20 pings); task 0 receives them, each with its send
 *   time, and the figures are the mean and the standard deviation of the
 *   latency in ms (ccbench: "CPU threads=1: 5 ms. (std dev: 1 ms.)").
 * ccbench-bandwidth: the client sends `packet`-byte datagrams (1 KiB) and
 *   sends the next when the last one comes back; task 0 echoes them for
 *   `duration` and the figure is packets/s (ccbench: (n - 1) / the time from
 *   the first packet to the last).
 * Task 0 waits for a datagram with wait_fd and reads it without blocking,
 * and sends its echo as native work: CPython's socket module releases the
 * GIL around recv(2) and sendto(2). The CPU tasks run until task 0 is done. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include "bench.h"
#include "ccbench_loop.h"
#include "clock.h"
#include "udp_peer.h"

struct ccbio_io_result {
	uint64_t received;     /* pings, or packets echoed */
	uint64_t bad;          /* datagrams that were not what was expected */
	double sum_ms, sumsq_ms, max_ms; /* latency */
	int64_t first_ns, last_ns;        /* bandwidth: first and last packet */
	int ended;             /* latency: END seen; bandwidth: STOP sent */
};

/* A task's result slot: task 0 uses io, the others loop. */
union ccbio_result {
	struct ccbio_io_result io;
	struct ccb_loop_result loop;
};

struct ccbio_shared {
	struct ccb_loop_shared loop;
	atomic_int io_done;
	union ccbio_result *results;  /* ntasks slots of one size, after tasks[] */
	struct ccb_loop_task tasks[]; /* ntasks (task 0's unused) */
};

struct ccbio {
	int bandwidth; /* 0: latency test */
	int64_t duration_ns, interval_ns;
	size_t packet;
	uint64_t iter;
	int ntasks;
	int started;   /* task 0 sent its command */
	unsigned char *buf;
	struct udp_peer peer;
	struct ccbio_shared *shared;
	size_t shared_size;
};

static void ccbio_teardown(void *state)
{
	struct ccbio *c = state;
	if (c->peer.pid > 0 || c->peer.fd >= 0)
		udp_peer_stop(&c->peer);
	if (c->shared)
		munmap(c->shared, c->shared_size);
	free(c->buf);
	free(c);
}

static void *ccbio_setup(const struct bench_setup *s, struct err *e, int bandwidth)
{
	const char *name = bandwidth ? "ccbench-bandwidth" : "ccbench-latency";
	struct ccbio *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(e, "%s: out of memory", name);
		return NULL;
	}
	c->peer.fd = -1;
	c->bandwidth = bandwidth;
	c->duration_ns = param_int(s->params, "duration");
	c->interval_ns = bandwidth ? 0 : param_int(s->params, "interval");
	c->packet = bandwidth ? (size_t)param_int(s->params, "packet") : sizeof(struct udp_peer_msg);
	c->iter = (uint64_t)param_int(s->params, "iter");
	c->ntasks = s->ntasks;
	c->shared_size = sizeof *c->shared + (sizeof(struct ccb_loop_task) + sizeof(union ccbio_result)) *
			 (size_t)s->ntasks;
	c->shared = mmap(NULL, c->shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	c->buf = malloc(UDP_PEER_MAX_PACKET);
	if (c->shared == MAP_FAILED || !c->buf) {
		if (c->shared == MAP_FAILED)
			c->shared = NULL;
		err_set(e, "%s: out of memory: %s", name, strerror(errno));
		ccbio_teardown(c);
		return NULL;
	}
	if (!bandwidth && c->duration_ns / c->interval_ns < 1) {
		err_set(e, "ccbench-latency: duration %lld ns is shorter than one interval of %lld ns",
			(long long)c->duration_ns, (long long)c->interval_ns);
		ccbio_teardown(c);
		return NULL;
	}
	if (udp_peer_start(&c->peer, e) < 0) {
		ccbio_teardown(c);
		return NULL;
	}
	return c;
}

static void *ccbl_setup(const struct bench_setup *s, struct err *e) { return ccbio_setup(s, e, 0); }
static void *ccbb_setup(const struct bench_setup *s, struct err *e) { return ccbio_setup(s, e, 1); }

static void ccbio_reset(void *state)
{
	struct ccbio *c = state;
	memset(c->shared, 0, c->shared_size);
	c->shared->results = (union ccbio_result *)&c->shared->tasks[c->ntasks];
	c->started = 0;
	udp_peer_drain(&c->peer);
}

static uint64_t pings_of(const struct ccbio *c) { return (uint64_t)(c->duration_ns / c->interval_ns); }

/* Handle one datagram (already in c->buf, n bytes). 1 when task 0 is done. */
static int ccbio_handle(struct ccbio *c, ssize_t n, struct rt *rt)
{
	struct ccbio_io_result *io = &c->shared->results[0].io;
	struct udp_peer_msg m;
	int64_t now = clock_now_ns();
	if (n < (ssize_t)sizeof m) {
		io->bad++;
		return 0;
	}
	memcpy(&m, c->buf, sizeof m);
	if (!c->bandwidth) {
		if (m.type == UDP_PEER_END) {
			io->ended = 1;
			return 1;
		}
		if (m.type != UDP_PEER_PING || m.seq != io->received) {
			io->bad++;
			return 0;
		}
		double ms = (double)(now - m.ns) / 1e6;
		io->received++;
		io->sum_ms += ms;
		io->sumsq_ms += ms * ms;
		if (ms > io->max_ms)
			io->max_ms = ms;
		return 0;
	}
	int ok = m.type == UDP_PEER_DATA && m.seq == io->received && (size_t)n == c->packet;
	for (size_t i = sizeof m; ok && i < c->packet; i++)
		ok = c->buf[i] == udp_peer_fill(m.seq, i);
	if (!ok) {
		io->bad++;
		return 0;
	}
	if (io->received == 0)
		io->first_ns = now;
	io->received++;
	io->last_ns = now;
	struct udp_peer_msg stop = {.type = UDP_PEER_STOP};
	int done = now - io->first_ns >= c->duration_ns;
	/* socket.sendto: the GIL is released around sendto(2). */
	rt_native_begin(rt);
	ssize_t w = done ? sendto(c->peer.fd, &stop, sizeof stop, 0, (struct sockaddr *)&c->peer.addr,
				  sizeof c->peer.addr)
			 : sendto(c->peer.fd, c->buf, c->packet, 0, (struct sockaddr *)&c->peer.addr,
				  sizeof c->peer.addr);
	rt_native_end(rt);
	if (w < 0)
		io->bad++;
	io->ended = done;
	return done;
}

static int ccbio_io_step(struct ccbio *c, uint64_t budget, uint64_t *done, struct rt *rt)
{
	const char *name = c->bandwidth ? "ccbench-bandwidth" : "ccbench-latency";
	uint64_t units = 0;
	if (!c->started) {
		struct udp_peer_msg cmd = c->bandwidth
			? (struct udp_peer_msg){.type = UDP_PEER_PONG, .size = (uint32_t)c->packet}
			: (struct udp_peer_msg){.type = UDP_PEER_PINGS, .seq = pings_of(c), .ns = c->interval_ns};
		if (udp_peer_send(&c->peer, &cmd) < 0)
			return err_set(rt->err, "%s: command to the client: %s", name, strerror(errno)),
			       STEP_ERROR;
		c->started = 1;
	}
	while (units < budget) {
		/* socket.recv: blocks outside the GIL; a lost client ends the wait. */
		int r = rt_wait_fd(rt, c->peer.fd, POLLIN, c->duration_ns + 5000000000LL);
		if (r < 0) {
			atomic_store(&c->shared->io_done, 1);
			*done = units;
			return err_set(rt->err, "%s: waiting for the client: %s", name, strerror(-r)),
			       STEP_ERROR;
		}
		ssize_t n = recv(c->peer.fd, c->buf, UDP_PEER_MAX_PACKET, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		units++;
		if (ccbio_handle(c, n, rt)) {
			atomic_store(&c->shared->io_done, 1);
			*done = units;
			return STEP_DONE;
		}
	}
	*done = units;
	return STEP_MORE;
}

static int ccbio_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct ccbio *c = state;
	if (task == 0)
		return ccbio_io_step(c, budget, done, rt);
	/* ccbench: the CPU threads' loop runs for at most 1.5 x the duration. */
	int st = ccb_loop_step(&c->shared->loop, &c->shared->tasks[task], c->iter, c->duration_ns * 3 / 2,
			       &c->shared->io_done, 0, budget, done, rt);
	c->shared->results[task].loop = c->shared->tasks[task].result;
	return st;
}

static void *ccbio_result(void *state, int task)
{
	struct ccbio *c = state;
	return &c->shared->results[task];
}

static int ccbio_verify(void *state, struct err *e)
{
	struct ccbio *c = state;
	const char *name = c->bandwidth ? "ccbench-bandwidth" : "ccbench-latency";
	const struct ccbio_io_result *io = &c->shared->results[0].io;
	if (io->bad)
		return err_set(e, "%s: %llu datagrams were not the expected ones", name,
			       (unsigned long long)io->bad);
	if (!c->bandwidth && (io->received != pings_of(c) || !io->ended))
		return err_set(e, "%s: %llu of %llu pings received", name,
			       (unsigned long long)io->received, (unsigned long long)pings_of(c));
	if (c->bandwidth && (io->received < 2 || !io->ended))
		return err_set(e, "%s: %llu packets echoed", name, (unsigned long long)io->received);
	for (int t = 1; t < c->ntasks; t++)
		if (ccb_loop_verify(&c->shared->results[t].loop, c->iter, name, t, e) < 0)
			return -1;
	return 0;
}

static void ccbio_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct ccbio *c = state;
	const struct ccbio_io_result *io = &c->shared->results[0].io;
	if (c->bandwidth) {
		double s = (double)(io->last_ns - io->first_ns) / 1e9;
		json_object_set_new(fields, "packets", json_integer((json_int_t)io->received));
		json_object_set_new(fields, "packets_per_s",
				    json_real(s > 0 ? (double)(io->received - 1) / s : 0));
		return;
	}
	double n = (double)io->received;
	if (n <= 0)
		return;
	double mean = io->sum_ms / n, var = io->sumsq_ms / n - mean * mean;
	json_object_set_new(fields, "pings", json_integer((json_int_t)io->received));
	json_object_set_new(fields, "latency_mean_ms", json_real(mean));
	json_object_set_new(fields, "latency_stddev_ms", json_real(var > 0 ? sqrt(var) : 0));
	json_object_set_new(fields, "latency_max_ms", json_real(io->max_ms));
}

#define CCBIO_COMMON_PARAMS                                                                   \
	{.name = "iter", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "10000"},          \
	 .min = 1, .max = 1000000000, .help = "count-down units per iteration of the CPU tasks"}

static const struct param_spec ccbl_params[] = {
	{.name = "duration", .type = PARAM_DURATION,
	 .defaults = {[PROFILE_QUICK] = "300ms", [PROFILE_DEFAULT] = "500ms", [PROFILE_FULL] = "2s",
		      [PROFILE_CI] = "300ms"},
	 .min = 1000000, .max = 600000000000LL,
	 .help = "how long the client pings (ccbench: 2 s, the full profile's)"},
	{.name = "interval", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "100ms"},
	 .min = 100000, .max = 10000000000LL, .help = "time between pings (ccbench: 100 ms)"},
	CCBIO_COMMON_PARAMS,
	{0},
};

static const struct param_spec ccbb_params[] = {
	{.name = "duration", .type = PARAM_DURATION,
	 .defaults = {[PROFILE_QUICK] = "100ms", [PROFILE_DEFAULT] = "200ms", [PROFILE_FULL] = "2s",
		      [PROFILE_CI] = "100ms"},
	 .min = 1000000, .max = 600000000000LL,
	 .help = "how long packets are echoed (ccbench: 2 s, the full profile's)"},
	{.name = "packet", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "1K"},
	 .min = (int64_t)sizeof(struct udp_peer_msg), .max = UDP_PEER_MAX_PACKET,
	 .help = "bytes per datagram (ccbench: 1024)"},
	CCBIO_COMMON_PARAMS,
	{0},
};

/* Both tests share everything but set-up and parameters. */
#define CCBIO_OPS                                                                       \
	.result_size = sizeof(union ccbio_result), .reset = ccbio_reset, .step = ccbio_step, \
	.result = ccbio_result, .verify = ccbio_verify, .report = ccbio_report,             \
	.teardown = ccbio_teardown

const struct bench bench_ccbench_latency = {
	.name = "ccbench-latency",
	.summary = "CPython ccbench's latency test: UDP pings every 100 ms beside CPU tasks",
	.kind = BENCH_IO,
	.needs = RT_CAP_SHARED_MEMORY, /* the I/O task's end flag stops the CPU tasks */
	.scaling = WORK_PER_WORKER, /* each extra worker is one more CPU task beside the pinged one */
	.headline = {"latency_mean_ms", "mean latency", "ms", METRIC_TIME},
	.on_request = 1,
	.params = ccbl_params,
	.setup = ccbl_setup,
	CCBIO_OPS,
};

const struct bench bench_ccbench_bandwidth = {
	.name = "ccbench-bandwidth",
	.summary = "CPython ccbench's bandwidth test: UDP ping-pong of 1 KiB packets beside CPU tasks",
	.kind = BENCH_IO,
	.needs = RT_CAP_SHARED_MEMORY, /* the I/O task's end flag stops the CPU tasks */
	.scaling = WORK_PER_WORKER,
	.headline = {"packets_per_s", "packets/s", "packets/s", METRIC_RATE},
	.on_request = 1,
	.params = ccbb_params,
	.setup = ccbb_setup,
	CCBIO_OPS,
};
