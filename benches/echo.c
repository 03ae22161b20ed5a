/* echo.c — K clients, each making R request/response round-trips of S bytes
 * with a loopback TCP echo server (benches/lib/echo_server.c) that runs in a
 * process of its own, outside the measured model.
 *
 * One task is one client; one unit of work is one round-trip. Connections
 * are opened in set-up (--param connect=setup), so the measured region holds
 * round-trips only, or by each task when it starts and closed when it ends
 * (connect=task): then a forking model's parent holds no client sockets,
 * which is what lets 10,000 processes fit in RLIMIT_NOFILE. Each
 * request carries bytes derived from (task, request number), every reply is
 * compared with its request byte for byte, and each round-trip's latency
 * goes into the task's histogram; report() merges them. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "bench.h"
#include "clock.h"
#include "echo_server.h"
#include "histogram.h"
#include "tasks.h"
#include "rlimits.h"
#include "rt_io.h"

#define ECHO_MAX_BUFFERS (1ULL << 30) /* request + reply buffers of all clients */

struct echo_result {
	uint64_t round_trips;
	uint64_t bytes;
	struct histogram latency;
};

struct echo_client {
	int fd;
	uint64_t done;      /* round-trips finished in this repetition */
	unsigned char *out; /* the request being sent */
	unsigned char *in;  /* its reply */
};

enum echo_connect { CONNECT_SETUP, CONNECT_TASK };

struct echo {
	int ntasks;
	enum echo_connect connect;
	uint64_t requests;
	size_t size;
	int64_t timeout_ns;
	struct echo_server server;
	struct echo_client *clients;
	struct echo_result *results;
	unsigned char *buffers;
};

static const struct param_spec echo_params[] = {
	{.name = "requests", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "50", [PROFILE_DEFAULT] = "500", [PROFILE_FULL] = "2000",
		      [PROFILE_CI] = "20"},
	 .min = 1, .max = 1000000000, .help = "round-trips per client"},
	{.name = "size", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "64"},
	 .min = 1, .max = 16 << 20, .help = "bytes per request (and per reply)"},
	{.name = "delay", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 0, .max = 10000000000LL,
	 .help = "the server holds each reply back this long (emulates a remote service)"},
	{.name = "timeout", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "10s"},
	 .min = 1000000, .max = 3600000000000LL,
	 .help = "longest wait for one round-trip (or connection) before the cell fails"},
	{.name = "connect", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "setup"},
	 .choices = "setup|task",
	 .help = "setup: connect every client before the measured region; task: each task "
		 "connects when it starts (measured) and closes when it ends"},
	{.name = "server-close-after", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 0, .max = 1LL << 40,
	 .help = "the server closes each connection after echoing this many bytes "
		 "(0 = never; for testing that clients report it)"},
	{0},
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The bytes of request `req` of client `task`: different for every pair,
 * so a reply delivered to the wrong client or out of order is caught. */
static void fill_request(unsigned char *p, size_t n, int task, uint64_t req)
{
	uint64_t seed = ((uint64_t)task << 40) ^ req;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = splitmix64(&seed);
		memcpy(p + i, &v, n - i < 8 ? n - i : 8);
	}
}

/* Explain a failed round-trip in rt->err; returns STEP_ERROR. */
static int step_failed(struct rt *rt, int task, uint64_t req, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int step_failed(struct rt *rt, int task, uint64_t req, const char *fmt, ...)
{
	char why[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	err_set(rt->err, "echo: client %d, request %llu: %s", task, (unsigned long long)req, why);
	return STEP_ERROR;
}

static void echo_teardown(void *state)
{
	struct echo *s = state;
	for (int t = 0; s->clients && t < s->ntasks; t++)
		if (s->clients[t].fd >= 0)
			close(s->clients[t].fd);
	echo_server_stop(&s->server, NULL); /* a death on its own was reported by verify */
	free(s->clients);
	free(s->results);
	free(s->buffers);
	free(s);
}

static void *echo_setup(const struct bench_setup *bs, struct err *e)
{
	struct echo *s = calloc(1, sizeof *s);
	if (!s) {
		err_set(e, "echo: out of memory");
		return NULL;
	}
	s->ntasks = bs->ntasks;
	s->requests = (uint64_t)param_int(bs->params, "requests");
	s->size = (size_t)param_int(bs->params, "size");
	s->timeout_ns = param_int(bs->params, "timeout");
	s->connect = (enum echo_connect)param_int(bs->params, "connect");
	if ((uint64_t)s->ntasks * 2 * s->size > ECHO_MAX_BUFFERS) {
		err_set(e, "echo: %d clients x 2 x %zu bytes exceed the %llu MiB allowed for "
			   "buffers (lower --param size or the tasks)",
			s->ntasks, s->size, ECHO_MAX_BUFFERS >> 20);
		free(s);
		return NULL;
	}
	if (s->ntasks > ECHO_SERVER_MAX_CONNS / 2) {
		err_set(e, "echo: %d clients (allowed: 1..%d)", s->ntasks, ECHO_SERVER_MAX_CONNS / 2);
		free(s);
		return NULL;
	}
	s->buffers = calloc((size_t)s->ntasks, 2 * s->size);
	if (!TASKS_NEW(s->clients, s->ntasks, "echo", e) || !TASKS_NEW(s->results, s->ntasks, "echo", e) ||
	    !s->buffers) {
		err_set(e, "echo: out of memory for %d clients", s->ntasks);
		echo_teardown(s);
		return NULL;
	}
	for (int t = 0; t < s->ntasks; t++) {
		s->clients[t].fd = -1;
		s->clients[t].out = s->buffers + (size_t)t * 2 * s->size;
		s->clients[t].in = s->clients[t].out + s->size;
	}
	/* Our clients here; the server, which inherits the limit, as many. */
	if (rlimit_ensure_fds((uint64_t)s->ntasks + 16, "echo", e) < 0) {
		echo_teardown(s);
		return NULL;
	}
	struct echo_server_config cfg = {
		/* Room for connections of the last repetition whose close the
		 * server has not seen yet when the next one connects. */
		.max_conns = s->connect == CONNECT_TASK ? 2 * s->ntasks : s->ntasks,
		.delay_ns = param_int(bs->params, "delay"),
		.close_after = (uint64_t)param_int(bs->params, "server-close-after"),
	};
	if (echo_server_start(&s->server, &cfg, e) < 0) {
		echo_teardown(s);
		return NULL;
	}
	struct err unused;
	struct rt rt = {.ops = &rt_blocking_ops, .err = &unused};
	for (int t = 0; s->connect == CONNECT_SETUP && t < s->ntasks; t++) {
		int fd = rt_io_connect(&rt, &s->server.addr, s->timeout_ns);
		if (fd < 0) {
			err_set(e, "echo: client %d of %d cannot connect to 127.0.0.1:%d: %s", t + 1,
				s->ntasks, ntohs(s->server.addr.sin_port), strerror(-fd));
			echo_teardown(s);
			return NULL;
		}
		s->clients[t].fd = fd;
	}
	if (echo_server_check(&s->server, e) < 0) {
		echo_teardown(s);
		return NULL;
	}
	return s;
}

static void echo_reset(void *state)
{
	struct echo *s = state;
	for (int t = 0; t < s->ntasks; t++) {
		if (s->connect == CONNECT_TASK && s->clients[t].fd >= 0) {
			close(s->clients[t].fd); /* left open by a failed repetition */
			s->clients[t].fd = -1;
		}
		s->clients[t].done = 0;
		s->results[t].round_trips = 0;
		s->results[t].bytes = 0;
		hist_init(&s->results[t].latency);
	}
}

static int echo_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct echo *s = state;
	struct echo_client *c = &s->clients[task];
	struct echo_result *r = &s->results[task];
	uint64_t n = 0;
	if (c->fd < 0) {
		int fd = rt_io_connect(rt, &s->server.addr, s->timeout_ns);
		if (fd < 0)
			return step_failed(rt, task, 1, "cannot connect to 127.0.0.1:%d: %s",
					   ntohs(s->server.addr.sin_port), strerror(-fd));
		c->fd = fd;
	}
	while (n < budget && c->done < s->requests) {
		fill_request(c->out, s->size, task, c->done);
		int64_t t0 = clock_now_ns();
		ssize_t got = rt_io_exchange(rt, c->fd, c->out, c->in, s->size, s->timeout_ns);
		int64_t t1 = clock_now_ns();
		uint64_t req = c->done + 1;
		if (got == -ETIMEDOUT)
			return step_failed(rt, task, req, "no reply within %.3f s (--param timeout)",
					   (double)s->timeout_ns / 1e9);
		if (got < 0)
			return step_failed(rt, task, req, "%s", strerror((int)-got));
		if ((size_t)got < s->size)
			return step_failed(rt, task, req, "the server closed the connection after %zd "
					   "of %zu reply bytes", got, s->size);
		if (memcmp(c->in, c->out, s->size)) {
			size_t i = 0;
			while (c->in[i] == c->out[i])
				i++;
			return step_failed(rt, task, req, "reply byte %zu is 0x%02x, sent 0x%02x", i,
					   c->in[i], c->out[i]);
		}
		hist_record(&r->latency, (uint64_t)(t1 - t0));
		r->round_trips++;
		r->bytes += s->size;
		c->done++;
		n++;
	}
	*done = n;
	if (c->done < s->requests)
		return STEP_MORE;
	char extra;
	ssize_t k = recv(c->fd, &extra, 1, MSG_PEEK | MSG_DONTWAIT);
	if (k > 0)
		return step_failed(rt, task, s->requests, "the server sent bytes after the last reply");
	if (s->connect == CONNECT_TASK) {
		close(c->fd);
		c->fd = -1;
	}
	return STEP_DONE;
}

static void *echo_result(void *state, int task) { return &((struct echo *)state)->results[task]; }

static int echo_verify(void *state, struct err *e)
{
	struct echo *s = state;
	uint64_t total = 0;
	for (int t = 0; t < s->ntasks; t++) {
		const struct echo_result *r = &s->results[t];
		if (r->round_trips != s->requests || r->latency.count != s->requests ||
		    r->bytes != s->requests * s->size)
			return err_set(e, "echo: client %d made %llu round-trips of %llu bytes in all, "
					  "expected %llu of %llu", t, (unsigned long long)r->round_trips,
				       (unsigned long long)r->bytes, (unsigned long long)s->requests,
				       (unsigned long long)(s->requests * s->size));
		total += r->round_trips;
	}
	if (total != s->requests * (uint64_t)s->ntasks)
		return err_set(e, "echo: %llu round-trips in all, expected %llu",
			       (unsigned long long)total,
			       (unsigned long long)(s->requests * (uint64_t)s->ntasks));
	return echo_server_check(&s->server, e);
}

static void echo_report(void *state, double seconds, json_t *fields)
{
	struct echo *s = state;
	struct histogram all;
	hist_init(&all);
	for (int t = 0; t < s->ntasks; t++)
		hist_merge(&all, &s->results[t].latency);
	json_object_set_new(fields, "round_trips", json_integer((json_int_t)all.count));
	json_object_set_new(fields, "round_trips_per_s",
			    json_real(seconds > 0 ? (double)all.count / seconds : 0));
	json_object_set_new(fields, "latency_mean_us", json_real(hist_mean(&all) / 1e3));
	json_object_set_new(fields, "latency_p50_us", json_real(hist_percentile(&all, 50) / 1e3));
	json_object_set_new(fields, "latency_p90_us", json_real(hist_percentile(&all, 90) / 1e3));
	json_object_set_new(fields, "latency_p99_us", json_real(hist_percentile(&all, 99) / 1e3));
	json_object_set_new(fields, "latency_max_us", json_real((double)all.max_ns / 1e3));
}

const struct bench bench_echo = {
	.name = "echo",
	.summary = "K clients x R round-trips with a loopback TCP echo server (I/O-bound)",
	.kind = BENCH_IO,
	.scaling = WORK_PER_WORKER,
	.headline = {"round_trips_per_s", "round-trips/s", "round-trips/s", METRIC_RATE},
	.params = echo_params,
	.result_size = sizeof(struct echo_result),
	.setup = echo_setup,
	.reset = echo_reset,
	.step = echo_step,
	.result = echo_result,
	.verify = echo_verify,
	.report = echo_report,
	.teardown = echo_teardown,
};
