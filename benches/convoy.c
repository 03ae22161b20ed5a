/* convoy.c — one I/O-bound task beside CPU-bound ones: the "convoy effect".
 *
 * Task 0 makes `requests` request/response round-trips with a responder
 * that setup starts outside any model and any lock, like a remote service:
 * a thread of this process or a process of its own (`peer`), over an
 * AF_UNIX socketpair, TCP loopback or two pipes (`transport`;
 * benches/lib/responder.c). `peer=process,transport=tcp` is what a CPython
 * user measures against a server. Every other task counts down, one
 * decrement per unit, for as long as task 0 is still going (at most `n`
 * units), so the I/O task is measured beside CPU-bound work from its first
 * request to its last reply. The send is bracketed as native work and the
 * reply awaited and read with rt_read_fd, because CPython's socket module releases the
 * GIL around both send(2) and recv(2): under a GIL each round-trip must win
 * the lock back twice. Before each request task 0 runs `io-units` units of
 * interpreter work, what CPython's loop runs between recv returning and
 * sendall releasing the GIL (the loop test, clock(), latencies.append,
 * sendall's argument handling: 10-20 count-down iterations' worth,
 * measured by scripts/convoy-io-cost); a model charges them as any unit
 * (`tick` each under gil, nothing extra elsewhere), and a GIL holder may be
 * asked to drop between them, as CPython's eval breaker is seen there.
 * Between a request and the wait for its reply it runs `recv-units` more
 * (sendall's return to recv's release), inside the round-trip's latency.
 *
 * Task 0 should be the first task a model starts (every model here hands
 * tasks out in order); the CPU tasks stop after `n` units in any case.
 * State that the processes model's children must share (the done flag, and
 * the result slots with task 0's latency histogram) lives in a MAP_SHARED
 * mapping made in setup. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bench.h"
#include "clock.h"
#include "histogram.h"
#include "responder.h"
#include "rt_io.h"

#define CONVOY_CHECK_EVERY 4096 /* CPU units between looks at the done flag */
/* The interpreter work between a reply and the next request, in count-down
 * units: python3.11 runs 10-20 units' worth there (360-600 ns; 3.12 17-19,
 * 3.13 11-12, 2.7 20-33), measured by scripts/convoy-io-cost (docs/GIL.md,
 * "One switch interval per round-trip, or two?"). */
#define CONVOY_IO_UNITS_DEFAULT "15"
/* And between sendall's return and recv releasing the GIL (`got = b""`,
 * the loop test, recv's call and argument handling): ~160 ns in python3.11,
 * 4-5 units (the same script's send->recv column). */
#define CONVOY_RECV_UNITS_DEFAULT "4"

struct convoy_result {
	uint64_t units;     /* round-trips (task 0) or decrements (others) */
	uint64_t remainder; /* task 0: replies that did not match; others: counter left */
	int64_t io_start_ns, io_end_ns; /* task 0: its first request, its last reply */
	struct histogram latency;       /* task 0: one entry per round-trip */
};

/* Everything a forked worker writes and the parent reads. */
struct convoy_shared {
	atomic_int io_done;
	struct convoy_result results[]; /* ntasks */
};

struct convoy {
	uint64_t requests, cap;
	uint64_t io_units;   /* interpreter units before each request */
	uint64_t recv_units; /* and between the request and the wait for its reply */
	size_t msg_size;
	int64_t delay_ns;
	int ntasks;
	struct responder peer;
	int peer_running;
	struct convoy_shared *shared;
	size_t shared_size;
	uint64_t *counters;  /* per CPU task; private (each task runs in one worker) */
	uint64_t sent;       /* task 0: requests answered: the current request's number */
	uint64_t io_pending; /* task 0: units still to run before that request */
	uint64_t recv_pending; /* task 0: units still to run before the reply's wait */
	int awaiting;        /* task 0: the request is sent, its reply not yet read */
	int64_t sent_ns;     /* task 0: when that request's round-trip started */
	unsigned char *out, *in;
};

static const struct param_spec convoy_params[] = {
	{.name = "requests", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "100", [PROFILE_DEFAULT] = "100", [PROFILE_FULL] = "5000",
		      [PROFILE_CI] = "100"},
	 .min = 1, .max = 10000000, .help = "round-trips of the I/O task"},
	{.name = "n", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "100G"},
	 .min = 1, .max = 1000000000000000LL,
	 .help = "at most this many decrements per CPU task (they stop when the I/O task ends)"},
	{.name = "delay", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 0, .max = 10000000000LL,
	 .help = "the responder waits this long before each reply (a remote service)"},
	{.name = "msg", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "64"},
	 .min = 16, .max = 65536, .help = "bytes per request and per reply"},
	{.name = "io-units", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = CONVOY_IO_UNITS_DEFAULT},
	 .min = 0, .max = 1000000000,
	 .help = "interpreter units the I/O task runs before each request (CPython's loop between "
		 "a reply and the next sendall: 10-20 in python3.11)"},
	{.name = "recv-units", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = CONVOY_RECV_UNITS_DEFAULT},
	 .min = 0, .max = 1000000000,
	 .help = "interpreter units between a request and the wait for its reply (CPython's code "
		 "from sendall's return to recv releasing the GIL: 4-5 in python3.11)"},
	{.name = "peer", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "thread"},
	 .choices = "thread|process",
	 .help = "the responder: a thread of the benchmark or a process of its own"},
	{.name = "transport", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "unix"},
	 .choices = "unix|tcp|pipe",
	 .help = "AF_UNIX socketpair, TCP loopback (TCP_NODELAY) or a pair of pipes"},
	{.name = "peer-cpu", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "-1"},
	 .min = -1, .max = 1023,
	 .help = "OS CPU the responder runs on (-1: where the kernel puts it); which CPU it "
		 "shares decides how often a round-trip waits a switch interval (docs/GIL.md)"},
	{0},
};

static void convoy_teardown(void *state);

static void *convoy_setup(const struct bench_setup *s, struct err *e)
{
	struct convoy *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(e, "convoy: out of memory");
		return NULL;
	}
	c->requests = (uint64_t)param_int(s->params, "requests");
	c->cap = (uint64_t)param_int(s->params, "n");
	c->io_units = (uint64_t)param_int(s->params, "io-units");
	c->recv_units = (uint64_t)param_int(s->params, "recv-units");
	c->msg_size = (size_t)param_int(s->params, "msg");
	c->delay_ns = param_int(s->params, "delay");
	c->ntasks = s->ntasks;
	c->shared_size = sizeof *c->shared + sizeof(struct convoy_result) * (size_t)s->ntasks;
	c->shared = mmap(NULL, c->shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c->shared == MAP_FAILED) {
		c->shared = NULL;
		err_set(e, "convoy: cannot map %zu shared bytes: %s", c->shared_size, strerror(errno));
		goto fail;
	}
	c->counters = calloc((size_t)s->ntasks, sizeof *c->counters);
	c->out = malloc(c->msg_size);
	c->in = malloc(c->msg_size);
	if (!c->counters || !c->out || !c->in) {
		err_set(e, "convoy: out of memory");
		goto fail;
	}
	if (responder_start(&c->peer, (enum responder_peer)param_int(s->params, "peer"),
			    (enum responder_transport)param_int(s->params, "transport"), c->msg_size,
			    c->delay_ns, (int)param_int(s->params, "peer-cpu"), e) < 0)
		goto fail;
	c->peer_running = 1;
	return c;
fail:
	convoy_teardown(c);
	return NULL;
}

static void convoy_reset(void *state)
{
	struct convoy *c = state;
	memset(c->shared, 0, c->shared_size);
	hist_init(&c->shared->results[0].latency);
	for (int t = 1; t < c->ntasks; t++)
		c->counters[t] = c->cap;
	c->sent = 0;
	c->io_pending = c->io_units;
	c->recv_pending = 0;
	c->awaiting = 0;
}

/* A request: its send. 0, or -1 with rt->err set. */
static int convoy_send(struct convoy *c, struct rt *rt)
{
	uint64_t seq = c->sent;
	memset(c->out, (int)(seq & 0xff), c->msg_size);
	memcpy(c->out, &seq, sizeof seq);
	c->sent_ns = clock_now_ns();
	/* socket.send: the GIL is released around send(2). */
	rt_native_begin(rt);
	int w = responder_send(&c->peer, c->out, c->msg_size);
	rt_native_end(rt);
	if (w < 0)
		return err_set(rt->err, "convoy: send of request %llu failed: %s",
			       (unsigned long long)seq, strerror(errno));
	return 0;
}

/* Its reply: wait, read, check, record. 0, or -1 with rt->err set. */
static int convoy_receive(struct convoy *c, struct rt *rt)
{
	struct convoy_result *res = &c->shared->results[0];
	uint64_t seq = c->sent++;
	size_t got = 0;
	while (got < c->msg_size) {
		/* socket.recv: waits and reads outside the GIL. */
		ssize_t n = rt_read_fd(rt, c->peer.rfd, c->in + got, c->msg_size - got);
		if (n == 0)
			return err_set(rt->err, "convoy: the responder closed the socket");
		if (n < 0)
			return err_set(rt->err, "convoy: waiting for reply %llu: %s",
				       (unsigned long long)seq, strerror((int)-n));
		got += (size_t)n;
	}
	int64_t t1 = clock_now_ns();
	hist_record(&res->latency, (uint64_t)(t1 - c->sent_ns));
	if (seq == 0)
		res->io_start_ns = c->sent_ns;
	res->io_end_ns = t1;
	res->remainder += memcmp(c->in, c->out, c->msg_size) != 0;
	res->units++;
	return 0;
}

/* Run up to `room` of the *pending interpreter units; how many ran. */
static uint64_t run_units(uint64_t *pending, uint64_t room)
{
	uint64_t k = *pending < room ? *pending : room;
	*pending -= k;
	return k;
}

/* The I/O task failed: release the CPU tasks, which wait for it to end. */
static int convoy_io_failed(struct convoy *c, uint64_t units, uint64_t *done)
{
	*done = units;
	atomic_store(&c->shared->io_done, 1);
	return STEP_ERROR;
}

static int convoy_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct convoy *c = state;
	uint64_t units = 0;
	if (task == 0) {
		/* A round-trip in phases, each unit of Python code between them
		 * charged where CPython runs it: a GIL holder may be asked to
		 * drop between any two. */
		while (units < budget && c->sent < c->requests) {
			if (!c->awaiting && c->io_pending > 0) {
				/* The Python code between a reply and the next request. */
				units += run_units(&c->io_pending, budget - units);
				continue;
			}
			if (!c->awaiting) {
				/* Before the first request: the replies' fd in this
				 * model's mode (one blocking recv, as CPython's). */
				int rc = c->sent == 0 ? rt_io_adopt_fd(rt, c->peer.rfd) : 0;
				if (rc < 0) {
					err_set(rt->err, "convoy: the replies' fd: %s", strerror(-rc));
					return convoy_io_failed(c, units, done);
				}
				/* The round-trip is one unit, counted with its reply. */
				if (convoy_send(c, rt) < 0)
					return convoy_io_failed(c, units, done);
				c->awaiting = 1;
				c->recv_pending = c->recv_units;
				continue;
			}
			if (c->recv_pending > 0) {
				/* ... and between sendall's return and recv's wait. */
				units += run_units(&c->recv_pending, budget - units);
				continue;
			}
			if (convoy_receive(c, rt) < 0)
				return convoy_io_failed(c, units, done);
			c->awaiting = 0;
			c->io_pending = c->io_units;
			units++;
		}
		*done = units;
		if (c->sent < c->requests)
			return STEP_MORE;
		atomic_store(&c->shared->io_done, 1);
		return STEP_DONE;
	}
	struct convoy_result *res = &c->shared->results[task];
	uint64_t n = c->counters[task];
	int finished = atomic_load_explicit(&c->shared->io_done, memory_order_relaxed);
	while (units < budget && n > 0 && !finished) {
		uint64_t stop = budget - units < CONVOY_CHECK_EVERY ? budget - units : CONVOY_CHECK_EVERY;
		stop = n > stop ? n - stop : 0;
		uint64_t before = n;
		while (n > stop) {
			n--;
			__asm__ volatile("" : "+r"(n));
		}
		units += before - n;
		finished = atomic_load_explicit(&c->shared->io_done, memory_order_relaxed);
	}
	c->counters[task] = n;
	res->units += units;
	*done = units;
	if (n > 0 && !finished)
		return STEP_MORE;
	res->remainder = n;
	return STEP_DONE;
}

static void *convoy_result(void *state, int task) { return &((struct convoy *)state)->shared->results[task]; }

static int convoy_verify(void *state, struct err *e)
{
	struct convoy *c = state;
	const struct convoy_result *io = &c->shared->results[0];
	if (io->units != c->requests || io->remainder != 0 || io->latency.count != c->requests)
		return err_set(e, "convoy: %llu of %llu round-trips done, %llu replies wrong",
			       (unsigned long long)io->units, (unsigned long long)c->requests,
			       (unsigned long long)io->remainder);
	for (int t = 1; t < c->ntasks; t++) {
		const struct convoy_result *r = &c->shared->results[t];
		if (r->units + r->remainder != c->cap)
			return err_set(e, "convoy: CPU task %d did %llu decrements but left %llu of %llu",
				       t, (unsigned long long)r->units, (unsigned long long)r->remainder,
				       (unsigned long long)c->cap);
	}
	return 0;
}

static void convoy_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct convoy *c = state;
	const struct convoy_result *io = &c->shared->results[0];
	if (io->units == 0)
		return;
	/* Rates over the I/O task's own span: the CPU tasks only run beside it. */
	double io_s = (double)(io->io_end_ns - io->io_start_ns) / 1e9;
	uint64_t cpu_units = 0;
	for (int t = 1; t < c->ntasks; t++)
		cpu_units += c->shared->results[t].units;
	const struct histogram *h = &io->latency;
	json_object_set_new(fields, "round_trips", json_integer((json_int_t)h->count));
	json_object_set_new(fields, "round_trips_per_s", json_real(io_s > 0 ? (double)h->count / io_s : 0));
	json_object_set_new(fields, "latency_mean_us", json_real(hist_mean(h) / 1e3));
	json_object_set_new(fields, "latency_p50_us", json_real((double)hist_percentile(h, 50) / 1e3));
	json_object_set_new(fields, "latency_p90_us", json_real((double)hist_percentile(h, 90) / 1e3));
	json_object_set_new(fields, "latency_p99_us", json_real((double)hist_percentile(h, 99) / 1e3));
	json_object_set_new(fields, "latency_max_us", json_real((double)h->max_ns / 1e3));
	json_object_set_new(fields, "cpu_units_per_s", json_real(io_s > 0 ? (double)cpu_units / io_s : 0));
}

static void convoy_teardown(void *state)
{
	struct convoy *c = state;
	if (c->peer_running)
		responder_stop(&c->peer);
	if (c->shared)
		munmap(c->shared, c->shared_size);
	free(c->counters);
	free(c->out);
	free(c->in);
	free(c);
}

const struct bench bench_convoy = {
	.name = "convoy",
	.summary = "one I/O task's round-trips beside CPU-bound count-downs (the GIL convoy effect)",
	.kind = BENCH_IO,
	.scaling = WORK_PER_WORKER,
	.headline = {"round_trips_per_s", "round-trips/s", "round-trips/s", METRIC_RATE},
	.params = convoy_params,
	.result_size = sizeof(struct convoy_result),
	.needs = RT_CAP_SHARED_MEMORY, /* the done flag every task reads */
	.setup = convoy_setup,
	.reset = convoy_reset,
	.step = convoy_step,
	.result = convoy_result,
	.verify = convoy_verify,
	.report = convoy_report,
	.teardown = convoy_teardown,
};
