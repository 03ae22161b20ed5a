/* lock-trace.c — an LD_PRELOAD library that logs every pthread mutex and
 * condition-variable call and every send(2), recv(2) and read(2) a process
 * makes through libc, with when it started and ended, so that the same
 * instrument times CPython's GIL and cmbench's emulation of it.
 *
 *   LOCK_TRACE=/tmp/x/trace LD_PRELOAD=build/liblock-trace.so python3 ...
 *
 * writes /tmp/x/trace.PID for every process that ends (exit or _exit; a
 * process killed by a signal writes nothing): one line per call,
 *
 *   tid start_ns end_ns call address result
 *
 * (CLOCK_MONOTONIC; call: 0 mutex_lock, 1 mutex_unlock, 2 cond_wait,
 * 3 cond_timedwait, 4 cond_signal, 5 cond_broadcast, 6 send, 7 recv,
 * 8 read, 9 sem_wait, 10 sem_post, 11 sem_trywait; address: the mutex,
 * condition variable or semaphore, the fd for I/O). The semaphore calls
 * time CPython 2's GIL on Linux, a sem_t (Python/thread_pthread.h), and
 * cmbench's gil=legacy, which is the same sem_t.
 * scripts/lock_holds.py reads it. Without LOCK_TRACE the calls pass through.
 *
 * Why not perf or strace: a traced system call costs a few µs, which is the
 * size of the races that decide a convoy's mode (docs/GIL.md, "Round
 * seven"), and under either tracer CPython's figures moved to cmbench's.
 * Here a call costs two clock reads (~50 ns) and no system call.
 *
 * Built without the sanitizers (CMakeLists.txt): it is loaded into other
 * programs, which an instrumented library would need to be as well. */
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum call { MUTEX_LOCK, MUTEX_UNLOCK, COND_WAIT, COND_TIMEDWAIT, COND_SIGNAL, COND_BROADCAST, SEND, RECV, READ,
	SEM_WAIT, SEM_POST, SEM_TRYWAIT };

struct event {
	uint64_t start, end, address;
	int32_t result;
	uint32_t call;
};

/* One buffer per thread, so that recording takes no lock; a thread that
 * fills its buffer records no more (the dump says how many it dropped). */
#define EVENTS_PER_THREAD (1 << 18)
struct buffer {
	struct buffer *next;
	int tid;
	size_t n, dropped;
	struct event events[EVENTS_PER_THREAD];
};

static struct buffer *buffers;
static pthread_mutex_t buffers_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread struct buffer *mine;
static volatile int tracing;

static int (*real_lock)(pthread_mutex_t *);
static int (*real_unlock)(pthread_mutex_t *);
static int (*real_wait)(pthread_cond_t *, pthread_mutex_t *);
static int (*real_timedwait)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
static int (*real_signal)(pthread_cond_t *);
static int (*real_broadcast)(pthread_cond_t *);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_read)(int, void *, size_t);
static int (*real_sem_wait)(sem_t *);
static int (*real_sem_post)(sem_t *);
static int (*real_sem_trywait)(sem_t *);
static void (*real_exit)(int);

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The condition-variable calls have two versions in glibc; programs built
 * since glibc 2.3.2 call the newer, which is the one to forward to. */
static void *next_symbol(const char *name, const char *version)
{
	void *f = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
	return f ? f : dlsym(RTLD_NEXT, name);
}

static void resolve(void)
{
	real_lock = next_symbol("pthread_mutex_lock", NULL);
	real_unlock = next_symbol("pthread_mutex_unlock", NULL);
	real_wait = next_symbol("pthread_cond_wait", "GLIBC_2.3.2");
	real_timedwait = next_symbol("pthread_cond_timedwait", "GLIBC_2.3.2");
	real_signal = next_symbol("pthread_cond_signal", "GLIBC_2.3.2");
	real_broadcast = next_symbol("pthread_cond_broadcast", "GLIBC_2.3.2");
	real_send = next_symbol("send", NULL);
	real_recv = next_symbol("recv", NULL);
	real_read = next_symbol("read", NULL);
	real_sem_wait = next_symbol("sem_wait", NULL);
	real_sem_post = next_symbol("sem_post", NULL);
	real_sem_trywait = next_symbol("sem_trywait", NULL);
	real_exit = next_symbol("_exit", NULL);
}

/* A forked child starts with copies of its parent's buffers: it forgets
 * their calls, which the parent writes, and records only its own. */
static void forget_parent(void)
{
	for (struct buffer *b = buffers; b; b = b->next)
		b->n = b->dropped = 0;
}

__attribute__((constructor)) static void start(void)
{
	if (!real_lock)
		resolve();
	tracing = getenv("LOCK_TRACE") != NULL;
	if (tracing)
		pthread_atfork(NULL, NULL, forget_parent);
}

static struct event *next_event(void)
{
	if (!tracing)
		return NULL;
	if (!mine) {
		struct buffer *b = malloc(sizeof *b);
		if (!b)
			return NULL;
		b->tid = (int)syscall(SYS_gettid);
		b->n = b->dropped = 0;
		real_lock(&buffers_mutex);
		b->next = buffers;
		buffers = b;
		real_unlock(&buffers_mutex);
		mine = b;
	}
	if (mine->n == EVENTS_PER_THREAD) {
		mine->dropped++;
		return NULL;
	}
	return &mine->events[mine->n++];
}

static void record(struct event *e, uint64_t start, enum call call, const void *address, long result)
{
	if (!e)
		return;
	e->start = start;
	e->end = now_ns();
	e->call = call;
	e->address = (uint64_t)(uintptr_t)address;
	e->result = (int32_t)result;
}

/* Each wrapper: take a slot, time the real call, fill the slot. */
#define TRACED(call, address, type, real_call)                     \
	do {                                                       \
		if (!real_lock)                                    \
			resolve();                                 \
		struct event *e = next_event();                    \
		uint64_t t0 = e ? now_ns() : 0;                    \
		type r = real_call;                                \
		record(e, t0, call, (const void *)(address), (long)r); \
		return r;                                          \
	} while (0)

int pthread_mutex_lock(pthread_mutex_t *m) { TRACED(MUTEX_LOCK, m, int, real_lock(m)); }
int pthread_mutex_unlock(pthread_mutex_t *m) { TRACED(MUTEX_UNLOCK, m, int, real_unlock(m)); }
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) { TRACED(COND_WAIT, c, int, real_wait(c, m)); }
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *at)
{
	TRACED(COND_TIMEDWAIT, c, int, real_timedwait(c, m, at));
}
int pthread_cond_signal(pthread_cond_t *c) { TRACED(COND_SIGNAL, c, int, real_signal(c)); }
int pthread_cond_broadcast(pthread_cond_t *c) { TRACED(COND_BROADCAST, c, int, real_broadcast(c)); }
ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	TRACED(SEND, (uintptr_t)fd, ssize_t, real_send(fd, buf, n, flags));
}
ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	TRACED(RECV, (uintptr_t)fd, ssize_t, real_recv(fd, buf, n, flags));
}
ssize_t read(int fd, void *buf, size_t n) { TRACED(READ, (uintptr_t)fd, ssize_t, real_read(fd, buf, n)); }
int sem_wait(sem_t *s) { TRACED(SEM_WAIT, s, int, real_sem_wait(s)); }
int sem_post(sem_t *s) { TRACED(SEM_POST, s, int, real_sem_post(s)); }
int sem_trywait(sem_t *s) { TRACED(SEM_TRYWAIT, s, int, real_sem_trywait(s)); }

/* Every thread's calls, to LOCK_TRACE.PID. Recording stops first: the
 * dump's own stdio calls must not append to the buffers it walks. */
__attribute__((destructor)) static void dump(void)
{
	const char *prefix = getenv("LOCK_TRACE");
	if (!tracing || !prefix)
		return;
	tracing = 0;
	char path[4096];
	snprintf(path, sizeof path, "%s.%d", prefix, (int)getpid());
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	for (struct buffer *b = buffers; b; b = b->next) {
		for (size_t i = 0; i < b->n; i++) {
			const struct event *e = &b->events[i];
			fprintf(f, "%d %llu %llu %u %llx %d\n", b->tid, (unsigned long long)e->start,
				(unsigned long long)e->end, e->call, (unsigned long long)e->address, e->result);
		}
		if (b->dropped)
			fprintf(f, "# thread %d: %zu calls not recorded (buffer full)\n", b->tid, b->dropped);
	}
	fclose(f);
}

/* Processes that leave with _exit (forked children: cmbench's cells and
 * responders, CPython's os._exit) skip the destructors. */
void _exit(int status)
{
	if (!real_exit)
		resolve();
	dump();
	real_exit(status);
	__builtin_unreachable();
}
