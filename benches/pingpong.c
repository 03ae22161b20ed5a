/* pingpong.c — message ping-pong between two tasks, latency and bandwidth
 * by message size, as the OSU micro-benchmarks print them (osu_latency):
 * size, latency in us (half a round trip), and MB/s (size / latency; a
 * ping-pong figure, not osu_bw's window of outstanding sends).
 *
 * Task 0 sends a message of each size 1 B, 2 B, 4 B ... max_size to task 1,
 * which receives it whole and sends the same bytes back. Per size, `skip`
 * untimed round trips then `iters` timed ones (iters/10, at least 10, above
 * 8 KiB, as OSU). The transport is the model's messages where it offers
 * them (mpi: MPI_Send/MPI_Recv between the two ranks), else what the tasks
 * share (benches/lib/channel.h): pipes or a condition variable. The
 * workload times itself — a latency by size cannot come from one region —
 * and the region is the whole sweep.
 *
 * Verified: every round trip brings back the iteration's tag in the first
 * and last byte, the last of each size the whole message; both tasks count
 * every round trip. Needs exactly 2 tasks on 2 workers that run at once. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "channel.h"
#include "clock.h"

#define PP_SIZES 27 /* 1 B .. 64 MiB */
#define PP_WAIT_NS (30 * (int64_t)1000000000)

struct pingpong_result {
	uint64_t ns[PP_SIZES];     /* task 0: time of the timed round trips */
	uint32_t trips[PP_SIZES];  /* round trips done (skip + timed) */
	uint32_t bad[PP_SIZES];    /* task 0: round trips that came back wrong */
};

struct pingpong_task {
	int size_idx;              /* where the task is: size, round trip */
	uint32_t trip;
	int64_t t0;
	unsigned char *out, *in;
	struct pingpong_result result;
};

struct pingpong {
	int nsizes;
	uint32_t iters;
	int transport;             /* 0 auto, 1 pipe, 2 condvar */
	struct channel *channel;
	struct pingpong_task task[2];
};

static const struct param_spec pingpong_params[] = {
	{.name = "max_size", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "4M", [PROFILE_QUICK] = "64K"},
	 .min = 1, .max = 64 << 20, .help = "largest message; sizes go 1 B, 2 B, 4 B ... up to it"},
	{.name = "iters", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "100", [PROFILE_DEFAULT] = "1000", [PROFILE_FULL] = "10000",
		      [PROFILE_CI] = "200"},
	 .min = 10, .max = 10000000, .help = "timed round trips per size up to 8 KiB (a tenth above)"},
	{.name = "transport", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "auto"},
	 .choices = "auto|pipe|condvar",
	 .help = "auto: the model's messages (mpi) or else pipes; pipe; condvar (threads or processes)"},
	{0},
};

static size_t size_of(int idx) { return (size_t)1 << idx; }
static uint32_t timed_of(const struct pingpong *p, int idx)
{
	uint32_t n = size_of(idx) > 8192 ? p->iters / 10 : p->iters;
	return n < 10 ? 10 : n;
}
static uint32_t skip_of(const struct pingpong *p, int idx)
{
	uint32_t n = timed_of(p, idx) / 10;
	return n < 1 ? 1 : n;
}

static void *pingpong_setup(const struct bench_setup *s, struct err *e)
{
	if (s->ntasks != 2) {
		err_set(e, "pingpong: needs exactly 2 tasks, got %d (-n 2, --tasks-per-worker 1)", s->ntasks);
		return NULL;
	}
	struct pingpong *p = calloc(1, sizeof *p);
	size_t max = (size_t)param_int(s->params, "max_size");
	while (p->nsizes < PP_SIZES && size_of(p->nsizes) <= max)
		p->nsizes++;
	p->iters = (uint32_t)param_int(s->params, "iters");
	p->transport = (int)param_int(s->params, "transport");
	p->channel = channel_create(p->transport == 2 ? CHANNEL_CONDVAR : CHANNEL_PIPE,
				    size_of(p->nsizes - 1), e);
	for (int t = 0; t < 2 && p->channel; t++) {
		p->task[t].out = calloc(1, size_of(p->nsizes - 1));
		p->task[t].in = calloc(1, size_of(p->nsizes - 1));
		if (!p->task[t].out || !p->task[t].in) {
			err_set(e, "pingpong: out of memory for messages of %zu bytes", size_of(p->nsizes - 1));
			break;
		}
		for (size_t i = 0; i < size_of(p->nsizes - 1); i++)
			p->task[t].out[i] = (unsigned char)(i * 7 + 1);
	}
	if (!p->channel || !p->task[1].in) {
		for (int t = 0; t < 2; t++) {
			free(p->task[t].out);
			free(p->task[t].in);
		}
		channel_destroy(p->channel);
		free(p);
		return NULL;
	}
	return p;
}

static void pingpong_reset(void *state)
{
	struct pingpong *p = state;
	for (int t = 0; t < 2; t++) {
		p->task[t].size_idx = 0;
		p->task[t].trip = 0;
		memset(&p->task[t].result, 0, sizeof p->task[t].result);
	}
	channel_reset(p->channel);
}

/* 1: through the model's messages, 0: through the channel, -1: neither works. */
static int use_model_messages(const struct pingpong *p, struct rt *rt)
{
	if (!rt_has_messages(rt))
		return 0;
	if (p->transport == 0)
		return 1;
	return err_set(rt->err, "pingpong: transport=%s needs tasks that share memory and descriptors; "
				"this model's do not (use transport=auto)",
		       p->transport == 1 ? "pipe" : "condvar");
}

static int send_to(struct pingpong *p, int me, const void *buf, size_t len, struct rt *rt)
{
	int how = use_model_messages(p, rt);
	if (how != 0)
		return how < 0 || rt->ops->send(rt, 1 - me, buf, len) < 0 ? -1 : 0;
	return channel_send(p->channel, me, buf, len, PP_WAIT_NS, rt);
}

static int recv_from(struct pingpong *p, int me, void *buf, size_t len, struct rt *rt)
{
	int how = use_model_messages(p, rt);
	if (how != 0)
		return how < 0 || rt->ops->recv(rt, 1 - me, buf, len) < 0 ? -1 : 0;
	return channel_recv(p->channel, me, buf, len, PP_WAIT_NS, rt);
}

/* One round trip of task `me` at its current size; 0 or -1. */
static int round_trip(struct pingpong *p, int me, struct pingpong_task *k, struct rt *rt)
{
	size_t len = size_of(k->size_idx);
	unsigned char tag = (unsigned char)(k->trip * 131 + (uint32_t)k->size_idx);
	if (me == 1) { /* pong: the same bytes back */
		if (recv_from(p, me, k->in, len, rt) < 0)
			return -1;
		return send_to(p, me, k->in, len, rt);
	}
	k->out[0] = k->out[len - 1] = tag;
	if (send_to(p, me, k->out, len, rt) < 0 || recv_from(p, me, k->in, len, rt) < 0)
		return -1;
	if (k->in[0] != tag || k->in[len - 1] != tag)
		k->result.bad[k->size_idx]++;
	return 0;
}

static int pingpong_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct pingpong *p = state;
	struct pingpong_task *k = &p->task[task];
	*done = 0;
	while (k->size_idx < p->nsizes && *done < budget) {
		int i = k->size_idx;
		uint32_t skip = skip_of(p, i), total = skip + timed_of(p, i);
		if (task == 0 && k->trip == skip)
			k->t0 = clock_now_ns();
		if (round_trip(p, task, k, rt) < 0)
			return STEP_ERROR;
		(*done)++;
		k->result.trips[i] = ++k->trip;
		if (k->trip < total)
			continue;
		if (task == 0) {
			k->result.ns[i] = (uint64_t)(clock_now_ns() - k->t0);
			/* the last round trip of a size: every byte, not just the tags */
			if (memcmp(k->in + 1, k->out + 1, size_of(i) > 2 ? size_of(i) - 2 : 0))
				k->result.bad[i]++;
		}
		k->size_idx++;
		k->trip = 0;
	}
	return k->size_idx == p->nsizes ? STEP_DONE : STEP_MORE;
}

static void *pingpong_result(void *state, int task) { return &((struct pingpong *)state)->task[task].result; }

static int pingpong_verify(void *state, struct err *e)
{
	struct pingpong *p = state;
	const struct pingpong_result *a = &p->task[0].result, *b = &p->task[1].result;
	for (int i = 0; i < p->nsizes; i++) {
		uint32_t want = skip_of(p, i) + timed_of(p, i);
		if (a->bad[i])
			return err_set(e, "pingpong: %u of %u messages of %zu bytes came back altered",
				       a->bad[i], want, size_of(i));
		if (a->trips[i] != want || b->trips[i] != want)
			return err_set(e, "pingpong: %zu bytes: %u and %u round trips by the two tasks, "
					  "expected %u", size_of(i), a->trips[i], b->trips[i], want);
		if (a->ns[i] == 0)
			return err_set(e, "pingpong: %zu bytes: no time measured", size_of(i));
	}
	return 0;
}

/* OSU's columns: size, one-way latency (us), size / latency (MB/s, 10^6 B). */
static void pingpong_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct pingpong *p = state;
	json_t *rows = json_array();
	for (int i = 0; i < p->nsizes; i++) {
		double us = (double)p->task[0].result.ns[i] / (2.0 * timed_of(p, i)) / 1e3;
		json_array_append_new(rows, json_pack("{s:I, s:f, s:f}", "size", (json_int_t)size_of(i),
						      "latency_us", us, "MBps",
						      us > 0 ? (double)size_of(i) / us : 0));
	}
	json_object_set_new(fields, "osu", rows);
}

static void pingpong_teardown(void *state)
{
	struct pingpong *p = state;
	for (int t = 0; t < 2; t++) {
		free(p->task[t].out);
		free(p->task[t].in);
	}
	channel_destroy(p->channel);
	free(p);
}

const struct bench bench_pingpong = {
	.name = "pingpong",
	.summary = "ping-pong between 2 tasks, 1 B to 4 MiB: latency and MB/s by size (OSU format)",
	.kind = BENCH_IO,
	.scaling = WORK_PER_WORKER, /* always 2 tasks; the OSU rows are the figures */
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.params = pingpong_params,
	.result_size = sizeof(struct pingpong_result),
	.tasks_exactly = 2,
	.needs = RT_CAP_CONCURRENT, /* each task waits for the other */
	.setup = pingpong_setup,
	.reset = pingpong_reset,
	.step = pingpong_step,
	.result = pingpong_result,
	.verify = pingpong_verify,
	.report = pingpong_report,
	.teardown = pingpong_teardown,
};
