/* test_gil_release.c — the lock is free while a worker waits for a file
 * descriptor, sleeps, or runs a native region: another worker, which can only
 * run holding the lock, gets in meanwhile. Without the release the waiter
 * would time out (it gives up after ~20 s, so a broken model fails instead
 * of hanging). rt_read_fd reads with the lock released too, as CPython's
 * socket.recv makes recv(2) without the GIL: task 0 reads an AF_UNIX
 * socket that poll reports readable (one byte in) but whose read blocks
 * until task 1 sends the second (SO_RCVLOWAT 2); a model that takes the
 * lock back before the read deadlocks there, and alarm() kills the test
 * after 30 s. And the sha512 workload brackets as native work exactly its
 * reads and its updates of >= 2048 bytes (hashlib's HASHLIB_GIL_MINSIZE),
 * never the smaller ones. */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "gil_test.h"
#include "rt_io.h"

enum how { BY_WAIT_FD, BY_SLEEP, BY_NATIVE, BY_READ_FD };

struct release_state {
	enum how how;
	int pipe[2];
	atomic_int waiting; /* task 0 is about to release the lock */
	atomic_int got_in;  /* task 1 ran while task 0 was away */
	int failed;
	uint64_t results[2];
};

/* Task 0 leaves the lock and waits (at most ~20 s) for task 1 to get in. */
static int waiter(struct release_state *s, struct rt *rt)
{
	atomic_store(&s->waiting, 1);
	if (s->how == BY_WAIT_FD) {
		int r = rt_wait_fd(rt, s->pipe[0], POLLIN, 20000000000LL);
		return r == 0 && atomic_load(&s->got_in) ? 0 : -1;
	}
	if (s->how == BY_READ_FD) {
		char buf[2];
		ssize_t n = rt_read_fd(rt, s->pipe[0], buf, sizeof buf);
		return n == 2 && atomic_load(&s->got_in) ? 0 : -1;
	}
	if (s->how == BY_SLEEP) {
		for (int i = 0; i < 20000 && !atomic_load(&s->got_in); i++)
			rt_sleep(rt, 1000000);
		return atomic_load(&s->got_in) ? 0 : -1;
	}
	rt_native_begin(rt);
	for (int i = 0; i < 20000 && !atomic_load(&s->got_in); i++)
		usleep(1000);
	rt_native_end(rt);
	return atomic_load(&s->got_in) ? 0 : -1;
}

static int release_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	struct release_state *s = state;
	*done = 1;
	if (task == 0) {
		if (waiter(s, rt) < 0) {
			s->failed = 1;
			return err_set(rt->err, "task 1 never got the lock while task 0 was away");
		}
	} else {
		if (!atomic_load(&s->waiting))
			return STEP_MORE; /* wait (holding the lock) until task 0 leaves */
		atomic_store(&s->got_in, 1);
		if (write(s->pipe[1], "x", 1) != 1)
			return err_set(rt->err, "write: %s", strerror(errno));
	}
	s->results[task] = 1;
	return STEP_DONE;
}

static void *release_result(void *state, int task) { return &((struct release_state *)state)->results[task]; }

static const struct bench release_bench = {
	.name = "release",
	.step = release_step,
	.result = release_result,
	.result_size = sizeof(uint64_t),
};

static void check_release(const char *policy, enum how how, const char *const *settings)
{
	static const char *const names[] = {"wait_fd", "sleep", "native region", "read_fd's read"};
	struct release_state s = {.how = how};
	if (how == BY_READ_FD) {
		/* Readable at once, but a read of 2 bytes blocks until the second. */
		int lowat = 2;
		REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, s.pipe) == 0, "socketpair: %s", strerror(errno));
		REQUIRE(setsockopt(s.pipe[0], SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat) == 0,
			"SO_RCVLOWAT: %s", strerror(errno));
		REQUIRE(write(s.pipe[1], "x", 1) == 1, "write: %s", strerror(errno));
		alarm(30); /* a read under the lock deadlocks: fail, do not hang */
	} else {
		REQUIRE(pipe(s.pipe) == 0, "pipe: %s", strerror(errno));
	}
	json_decref(gil_test_run(&release_bench, &s, 2, 2, settings));
	alarm(0);
	CHECK(!s.failed && s.results[0] && s.results[1], "%s: lock held during %s", policy, names[how]);
	printf("%s: lock released during %s\n", policy, names[how]);
	close(s.pipe[0]);
	close(s.pipe[1]);
}

/* sha512: count the native regions of one pass over a small corpus. */
struct spy {
	int begun, depth, bad;
};

static void spy_begin(struct rt *rt)
{
	struct spy *s = rt->model;
	s->begun++;
	s->bad |= s->depth++ != 0;
}

static void spy_end(struct rt *rt)
{
	struct spy *s = rt->model;
	s->bad |= --s->depth != 0;
}

static const struct rt_ops spy_ops = {
	.wait_fd = rt_blocking_wait_fd,
	.sleep = rt_blocking_sleep,
	.native_begin = spy_begin,
	.native_end = spy_end,
};

static int sha512_native_regions(const char *cache_dir, const char *chunk, int files, int size)
{
	const struct bench *b = bench_find("sha512");
	REQUIRE(b, "no sha512 workload");
	struct params p;
	struct err e = {{0}};
	char files_text[16], size_text[16];
	snprintf(files_text, sizeof files_text, "%d", files);
	snprintf(size_text, sizeof size_text, "%d", size);
	REQUIRE(params_defaults(&p, b->params, PROFILE_QUICK, &e) == 0, "%s", e.msg);
	REQUIRE(params_set(&p, "chunk", chunk, &e) == 0, "%s", e.msg);
	REQUIRE(params_set(&p, "files", files_text, &e) == 0, "%s", e.msg);
	REQUIRE(params_set(&p, "size", size_text, &e) == 0, "%s", e.msg);
	struct bench_setup setup = {.params = &p, .ntasks = 1, .cache_dir = cache_dir};
	void *state = b->setup(&setup, &e);
	REQUIRE(state, "sha512 setup: %s", e.msg);
	b->reset(state);
	struct spy spy = {0};
	struct rt rt = {.ops = &spy_ops, .model = &spy, .err = &e};
	uint64_t done;
	int st;
	while ((st = b->step(state, 0, 1, &done, &rt)) == STEP_MORE)
		;
	REQUIRE(st == STEP_DONE, "sha512 step: %s", e.msg);
	CHECK(b->verify(state, &e) == 0, "sha512 verify: %s", e.msg);
	CHECK(!spy.bad && spy.depth == 0, "native regions unbalanced or nested");
	b->teardown(state);
	return spy.begun;
}

int main(void)
{
	const char *const modern[] = {"gil=modern", "switch=1ms", "tick=0", NULL};
	const char *const legacy[] = {"gil=legacy", "tick=0", NULL};
	for (enum how h = BY_WAIT_FD; h <= BY_READ_FD; h++) {
		check_release("modern", h, modern);
		check_release("legacy", h, legacy);
	}

	char dir[] = "/tmp/cmbench-test-gil-XXXXXX";
	REQUIRE(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	const int files = 2, size = 16384;
	/* Reads: size/chunk full ones and one at end of file, all released. */
	int large = sha512_native_regions(dir, "4K", files, size);
	int small = sha512_native_regions(dir, "1K", files, size);
	int large_reads = files * (size / 4096 + 1), small_reads = files * (size / 1024 + 1);
	CHECK(large == large_reads + files * (size / 4096), "chunk 4K: %d native regions, want %d reads + %d updates",
	      large, large_reads, files * (size / 4096));
	CHECK(small == small_reads, "chunk 1K: %d native regions, want %d (reads only)", small, small_reads);
	printf("sha512: 4K updates release the lock, 1K updates hold it\n");
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0, "%s failed", cmd);
	return check_report("gil_release");
}
