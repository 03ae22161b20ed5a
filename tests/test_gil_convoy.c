/* test_gil_convoy.c — the convoy workload under the gil model: the I/O
 * task's round-trips all come back right beside 0, 1 and 2 CPU-bound tasks,
 * its figures are reported, and the I/O task gets the lock back from a
 * CPU-bound holder only by drop requests (the convoy effect, counted). The
 * responder waits 2 ms before each reply, so that a CPU task has time to
 * wake and take the lock while the I/O task waits; how many round-trips
 * then need a forced switch still depends on scheduling, so only their
 * presence (and absence without CPU tasks) is checked. Every peer (thread,
 * process) and transport (unix, tcp, pipe) must deliver every reply right,
 * and a take after a reply that waited out an interval is counted as such
 * (timeouts_after_wait), never as one after a send; no take waits more than
 * one interval because of the lock (lock_intervals_max). The I/O task's
 * interpreter work before each request (io-units) and between a request
 * and the wait for its reply (recv-units) costs `tick` per unit under the
 * gil model, outside and inside the round-trip's latency. The I/O task
 * waits for a reply inside read(2), one blocking call as CPython's
 * socket.recv makes, never in poll(2) first (seen from a watching thread
 * through /proc; before, it polled and read again: docs/GIL.md, "Round
 * twenty-three"). */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include "gil_test.h"
#include "syscall_watch.h"

static json_t *run_convoy_io(int cpu_tasks, const char *const *settings, json_t **fields,
			     const char *peer, const char *transport, const char *const *bench_kv)
{
	const struct bench *b = bench_find("convoy");
	REQUIRE(b, "no convoy workload");
	struct params p;
	struct err e = {{0}};
	REQUIRE(params_defaults(&p, b->params, PROFILE_QUICK, &e) == 0, "%s", e.msg);
	REQUIRE(params_set(&p, "requests", "20", &e) == 0, "%s", e.msg);
	REQUIRE(params_set(&p, "delay", "2ms", &e) == 0, "%s", e.msg);
	REQUIRE(params_set(&p, "peer", peer, &e) == 0, "%s", e.msg);
	REQUIRE(params_set(&p, "transport", transport, &e) == 0, "%s", e.msg);
	for (; bench_kv && bench_kv[0]; bench_kv += 2)
		REQUIRE(params_set(&p, bench_kv[0], bench_kv[1], &e) == 0, "%s", e.msg);
	struct bench_setup setup = {.params = &p, .ntasks = 1 + cpu_tasks, .cache_dir = "/tmp"};
	void *state = b->setup(&setup, &e);
	REQUIRE(state, "convoy setup: %s", e.msg);
	b->reset(state);
	json_t *stats = gil_test_run(b, state, 1 + cpu_tasks, 1 + cpu_tasks, settings);
	CHECK(b->verify(state, &e) == 0, "convoy (%s over %s) with %d CPU tasks: %s", peer, transport,
	      cpu_tasks, e.msg);
	*fields = json_object();
	b->report(state, 1.0, *fields);
	b->teardown(state);
	return stats;
}

static json_t *run_convoy_on(int cpu_tasks, const char *const *settings, json_t **fields,
			     const char *peer, const char *transport)
{
	return run_convoy_io(cpu_tasks, settings, fields, peer, transport, NULL);
}

static json_t *run_convoy(int cpu_tasks, const char *const *settings, json_t **fields)
{
	return run_convoy_on(cpu_tasks, settings, fields, "thread", "unix");
}

struct watch {
	atomic_int stop;
	int reading, polling, looks;
};

/* Every 100 us until stopped: how often a thread of this process was seen
 * in a read of data and in a poll. */
static void *watch_waits(void *arg)
{
	struct watch *w = arg;
	while (!atomic_load(&w->stop)) {
		syscall_watch_all(&w->reading, &w->polling);
		w->looks++;
		usleep(100);
	}
	return NULL;
}

/* One I/O task alone, its responder a process (a responder thread would
 * read here too), 2 ms before each reply: 40 ms of waits to see. */
static void check_waits_in_read(const char *const *settings)
{
	struct watch w = {0};
	pthread_t t;
	REQUIRE(pthread_create(&t, NULL, watch_waits, &w) == 0, "pthread_create");
	json_t *fields, *stats = run_convoy_on(0, settings, &fields, "process", "tcp");
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	CHECK(w.polling == 0, "the I/O task was seen in poll(2) at %d of %d looks: it should wait for "
	      "its reply in read(2), as CPython's recv does", w.polling, w.looks);
	CHECK(w.reading > 0, "the I/O task was never seen waiting in read(2) (%d looks)", w.looks);
	printf("the I/O task's waits: in read(2) at %d of %d looks, in poll(2) at %d\n", w.reading,
	       w.looks, w.polling);
	json_decref(fields);
	json_decref(stats);
}

int main(void)
{
	const char *const modern[] = {"gil=modern", "switch=1ms", "tick=20ns", NULL};
	const char *const legacy[] = {"gil=legacy", "tick=20ns", NULL};
	check_waits_in_read(modern);
	for (int cpu = 0; cpu <= 2; cpu++) {
		json_t *fields, *stats = run_convoy(cpu, modern, &fields);
		double rate = json_real_value(json_object_get(fields, "round_trips_per_s"));
		double p50 = json_real_value(json_object_get(fields, "latency_p50_us"));
		CHECK(rate > 0 && p50 > 0, "no round-trip figures (rate %g, p50 %g)", rate, p50);
		long long forced = gil_stat(stats, "forced_switches");
		CHECK(cpu > 0 ? forced > 0 : forced == 0, "%d CPU tasks: %lld forced switches", cpu, forced);
		printf("modern, %d CPU tasks: %.0f round-trips/s, p50 %.0f us, %lld forced switches\n", cpu,
		       rate, p50, forced);
		json_decref(fields);
		json_decref(stats);
	}
	const char *const peers[] = {"thread", "process"}, *const transports[] = {"unix", "tcp", "pipe"};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++) {
			json_t *f, *st = run_convoy_on(1, modern, &f, peers[i], transports[j]);
			long long after_wait = gil_stat(st, "timeouts_after_wait");
			long long all = gil_stat(st, "timed_out_waits");
			CHECK(after_wait + gil_stat(st, "timeouts_after_native") <= all,
			      "%s/%s: timeouts by origin exceed the total %lld", peers[i], transports[j], all);
			/* One interval to get the lock back, after a reply or a send:
			 * beside one CPU thread the lock never makes a take wait two
			 * (docs/GIL.md, "One switch interval per round-trip, or two?"). */
			long long intervals = gil_stat(st, "lock_intervals_max");
			CHECK(intervals <= 1, "%s/%s: a take waited %lld switch intervals because of the lock",
			      peers[i], transports[j], intervals);
			printf("modern, 1 CPU task, %s over %s: %.0f round-trips/s, %lld timed-out waits "
			       "(%lld after a reply, %lld after a send)\n", peers[i], transports[j],
			       json_real_value(json_object_get(f, "round_trips_per_s")), all, after_wait,
			       gil_stat(st, "timeouts_after_native"));
			json_decref(f);
			json_decref(st);
		}
	/* io-units are charged: 20 units of 500 us before each of the 19 later
	 * requests add 10 ms to each round-trip of ~2 ms (the responder's
	 * delay), so the same run without them is several times faster. The
	 * check is against that run, not a fixed rate: the tick is a busy loop
	 * calibrated once per process, and this VM has run it at half to a
	 * third of its calibrated time (CI, TSan: 157 round-trips/s against a
	 * fixed bound of 150, the 10 ms taking 4.7 ms). Uncharged units would
	 * leave the two rates alike. */
	const char *const slow_tick[] = {"gil=modern", "tick=500us", NULL};
	const char *const no_units[] = {"io-units", "0", "recv-units", "0", NULL};
	json_t *io_fields, *io_stats = run_convoy_io(0, slow_tick, &io_fields, "thread", "unix", no_units);
	double base_rate = json_real_value(json_object_get(io_fields, "round_trips_per_s"));
	json_decref(io_fields);
	json_decref(io_stats);
	const char *const io_units[] = {"io-units", "20", "recv-units", "0", NULL};
	io_stats = run_convoy_io(0, slow_tick, &io_fields, "thread", "unix", io_units);
	double io_rate = json_real_value(json_object_get(io_fields, "round_trips_per_s"));
	CHECK(io_rate > 0 && io_rate < 0.7 * base_rate, "io-units=20 at tick=500us: %.0f round-trips/s, "
	      "want < 70 %% of the %.0f without them (are the I/O task's units charged?)", io_rate,
	      base_rate);
	/* ... and before the request, outside its round-trip: the latency is the
	 * responder's 2 ms and the lock's, not 20 x 500 us. */
	double io_p50 = json_real_value(json_object_get(io_fields, "latency_p50_us"));
	CHECK(io_p50 < 10000, "io-units=20 at tick=500us: p50 %.0f us, want < 10 ms (io-units run "
	      "inside the round-trip?)", io_p50);
	printf("modern, io-units=20, tick=500us: %.0f round-trips/s (%.0f without), p50 %.0f us\n", io_rate,
	       base_rate, io_p50);
	json_decref(io_fields);
	json_decref(io_stats);
	/* recv-units run between the request and the wait for its reply, inside
	 * the round-trip, as CPython's code from sendall's return to recv: 20
	 * units of 500 us add 10 ms to every latency. Against the io-units run
	 * just before (the same units outside the round-trip), at least 1.5 ms
	 * of them: the tick is a busy loop calibrated once per process, and
	 * this VM's CPU speed moves by up to 3x between the calibration and the
	 * run (CI saw the 10 ms take 3.4 ms, p50 5741 us against a bound of
	 * 10 ms; here, three runs in a row: 3.4, 12.8 and 5.7 ms). */
	const char *const recv_units[] = {"io-units", "0", "recv-units", "20", NULL};
	io_stats = run_convoy_io(0, slow_tick, &io_fields, "thread", "unix", recv_units);
	double recv_p50 = json_real_value(json_object_get(io_fields, "latency_p50_us"));
	double recv_rate = json_real_value(json_object_get(io_fields, "round_trips_per_s"));
	CHECK(recv_p50 >= io_p50 + 1500, "recv-units=20 at tick=500us: p50 %.0f us, want >= %.0f us "
	      "(are they charged between the send and the reply?)", recv_p50, io_p50 + 1500);
	printf("modern, recv-units=20, tick=500us: %.0f round-trips/s, p50 %.0f us\n", recv_rate, recv_p50);
	json_decref(io_fields);
	json_decref(io_stats);
	json_t *fields, *stats = run_convoy(1, legacy, &fields);
	printf("legacy, 1 CPU task: %.0f round-trips/s\n",
	       json_real_value(json_object_get(fields, "round_trips_per_s")));
	json_decref(fields);
	json_decref(stats);
	return check_report("gil_convoy");
}
