/* test_echo_server.c — the loopback echo server and the rt_io helpers:
 * loopback only, bytes echoed exactly (also past the server's buffer),
 * early close seen as a short read, delayed replies not serialised, the
 * server reaped on stop, its death reported, and no orphan left when the
 * process that started it dies. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "clock.h"
#include "echo_server.h"
#include "rt_io.h"

static struct err rt_err;
static struct rt rt = {.ops = &rt_blocking_ops, .err = &rt_err};

static void test_refuses_non_loopback(void)
{
	const char *bad[] = {"0.0.0.0", "10.0.0.1", "192.168.1.1", "8.8.8.8", "128.0.0.1",
			     "::1", "localhost", "", "127.0.0.1.5"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct echo_server s = {0};
		struct err e = {{0}};
		struct echo_server_config c = {.address = bad[i], .max_conns = 4};
		int rc = echo_server_start(&s, &c, &e);
		CHECK(rc == -1 && s.pid == 0, "address '%s' was accepted", bad[i]);
		if (s.pid)
			echo_server_stop(&s, NULL);
		CHECK(strstr(e.msg, "127.0.0.0/8") != NULL, "message for '%s': %s", bad[i], e.msg);
	}
	struct in_addr a;
	CHECK(echo_server_check_address("127.0.0.1", &a, NULL) == 0, "127.0.0.1 refused");
	CHECK(echo_server_check_address("127.255.0.9", &a, NULL) == 0, "127.255.0.9 refused");
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

static void test_echoes_exactly(void)
{
	struct echo_server s;
	struct err e = {{0}};
	/* A 4 KiB server buffer and a 300 KB message: only sending and
	 * receiving at once gets through without a deadlock. */
	struct echo_server_config c = {.max_conns = 3, .buffer_size = 4096};
	CHECK(echo_server_start(&s, &c, &e) == 0, "start: %s", e.msg);
	if (!s.pid)
		return;
	CHECK(ntohl(s.addr.sin_addr.s_addr) == 0x7f000001 && s.addr.sin_port != 0,
	      "listening on %08x:%d", ntohl(s.addr.sin_addr.s_addr), ntohs(s.addr.sin_port));
	size_t sizes[] = {1, 64, 4096, 4097, 300000};
	int fd[3];
	for (int k = 0; k < 3; k++) {
		fd[k] = rt_io_connect(&rt, &s.addr, 5000000000LL);
		CHECK(fd[k] >= 0, "connect: %s", strerror(-fd[k]));
	}
	unsigned char *out = malloc(300000), *in = malloc(300000);
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		for (int k = 0; k < 3; k++) {
			if (fd[k] < 0)
				continue;
			fill(out, sizes[i], (unsigned)(i * 3 + k));
			memset(in, 0, sizes[i]);
			ssize_t got = rt_io_exchange(&rt, fd[k], out, in, sizes[i], 10000000000LL);
			CHECK(got == (ssize_t)sizes[i], "size %zu: got %zd", sizes[i], got);
			CHECK(memcmp(in, out, sizes[i]) == 0, "size %zu: reply differs", sizes[i]);
		}
	/* write_full then read_full, the plain pair. */
	fill(out, 1000, 99);
	CHECK(rt_io_write_full(&rt, fd[0], out, 1000, -1) == 1000, "write_full");
	CHECK(rt_io_read_full(&rt, fd[0], in, 1000, -1) == 1000, "read_full");
	CHECK(memcmp(in, out, 1000) == 0, "read_full: reply differs");
	/* A fourth connection is over the bound: the server closes it. */
	int extra = rt_io_connect(&rt, &s.addr, 5000000000LL);
	if (extra >= 0) {
		ssize_t got = rt_io_exchange(&rt, extra, out, in, 10, 5000000000LL);
		CHECK(got == 0 || got == -ECONNRESET, "connection over the bound got %zd", got);
		close(extra);
	}
	free(out);
	free(in);
	for (int k = 0; k < 3; k++)
		if (fd[k] >= 0)
			close(fd[k]);
	pid_t pid = s.pid;
	CHECK(echo_server_stop(&s, &e) == 0, "stop: %s", e.msg);
	CHECK(s.pid == 0, "pid not cleared");
	CHECK(waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD, "server %d not reaped", (int)pid);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH, "server %d still exists", (int)pid);
}

static void test_close_after(void)
{
	struct echo_server s;
	struct err e = {{0}};
	struct echo_server_config c = {.max_conns = 1, .close_after = 100};
	CHECK(echo_server_start(&s, &c, &e) == 0, "start: %s", e.msg);
	if (!s.pid)
		return;
	int fd = rt_io_connect(&rt, &s.addr, 5000000000LL);
	unsigned char out[64], in[64];
	fill(out, 64, 1);
	CHECK(rt_io_exchange(&rt, fd, out, in, 64, 5000000000LL) == 64, "first request");
	ssize_t got = rt_io_exchange(&rt, fd, out, in, 64, 5000000000LL);
	CHECK(got == 36, "after the server's close: got %zd, expected the 36 bytes up to 100", got);
	CHECK(rt_io_read_full(&rt, fd, in, 1, 5000000000LL) == 0, "no EOF after close");
	close(fd);
	CHECK(echo_server_stop(&s, &e) == 0, "stop: %s", e.msg);
}

/* 20 clients send at once to a server that delays each reply by 250 ms.
 * Each reply must take at least the delay (the server's guarantee); all
 * together must take far less than 20 delays, or replies were serialised.
 * The bound is 10x the expected time, so a busy machine does not fail it. */
static void test_delay_does_not_serialise(void)
{
	enum { CLIENTS = 20 };
	const int64_t delay = 250000000;
	struct echo_server s;
	struct err e = {{0}};
	struct echo_server_config c = {.max_conns = CLIENTS, .delay_ns = delay};
	CHECK(echo_server_start(&s, &c, &e) == 0, "start: %s", e.msg);
	if (!s.pid)
		return;
	int fd[CLIENTS];
	for (int k = 0; k < CLIENTS; k++)
		fd[k] = rt_io_connect(&rt, &s.addr, 5000000000LL);
	unsigned char out[16], in[16];
	int64_t t0 = clock_now_ns();
	for (int k = 0; k < CLIENTS; k++) {
		fill(out, 16, (unsigned)k);
		CHECK(rt_io_write_full(&rt, fd[k], out, 16, 5000000000LL) == 16, "write %d", k);
	}
	for (int k = 0; k < CLIENTS; k++) {
		fill(out, 16, (unsigned)k);
		CHECK(rt_io_read_full(&rt, fd[k], in, 16, 10000000000LL) == 16, "read %d", k);
		CHECK(memcmp(in, out, 16) == 0, "client %d: reply differs", k);
	}
	int64_t elapsed = clock_now_ns() - t0;
	CHECK(elapsed >= delay, "replies after %lld ns, before the %lld ns delay",
	      (long long)elapsed, (long long)delay);
	CHECK(elapsed < CLIENTS * delay / 2, "20 delayed replies took %.3f s: serialised?",
	      (double)elapsed / 1e9);
	for (int k = 0; k < CLIENTS; k++)
		close(fd[k]);
	CHECK(echo_server_stop(&s, &e) == 0, "stop: %s", e.msg);
}

static void test_death_is_reported(void)
{
	struct echo_server s;
	struct err e = {{0}};
	struct echo_server_config c = {.max_conns = 1};
	CHECK(echo_server_start(&s, &c, &e) == 0, "start: %s", e.msg);
	if (!s.pid)
		return;
	CHECK(echo_server_check(&s, &e) == 0, "check while running: %s", e.msg);
	kill(s.pid, SIGKILL);
	/* Until the listening socket is gone. A connect that races the kill
	 * can be accepted into the dying socket's backlog and reset (CI saw
	 * ECONNRESET once): that is the socket going, not gone, so try again. */
	int fd = -1;
	for (int i = 0; i < 100; i++) {
		fd = rt_io_connect(&rt, &s.addr, 1000000000LL);
		if (fd >= 0)
			close(fd);
		else if (fd != -ECONNRESET)
			break;
		struct timespec ms = {0, 10000000};
		nanosleep(&ms, NULL);
	}
	CHECK(fd == -ECONNREFUSED, "connect to a dead server: %s", strerror(-fd));
	CHECK(echo_server_stop(&s, &e) == -1, "stop did not report the death");
	CHECK(strstr(e.msg, "killed by signal 9") != NULL, "message: %s", e.msg);
	CHECK(s.pid == 0, "pid not cleared");
}

/* The process that started the server dies without stopping it: the
 * server must go too (PR_SET_PDEATHSIG), not linger as an orphan. */
static void test_no_orphan(void)
{
	int p[2];
	if (pipe(p) < 0)
		return;
	pid_t starter = fork();
	if (starter == 0) {
		struct echo_server s;
		struct echo_server_config c = {.max_conns = 1};
		if (echo_server_start(&s, &c, NULL) < 0)
			_exit(1);
		if (write(p[1], &s.pid, sizeof s.pid) != sizeof s.pid)
			_exit(1);
		_exit(0); /* without echo_server_stop */
	}
	close(p[1]);
	pid_t server = 0;
	CHECK(read(p[0], &server, sizeof server) == sizeof server, "no server pid");
	close(p[0]);
	waitpid(starter, NULL, 0);
	if (server <= 0)
		return;
	int gone = 0;
	for (int i = 0; i < 500 && !gone; i++) {
		char path[64], state = 0;
		snprintf(path, sizeof path, "/proc/%d/stat", (int)server);
		FILE *f = fopen(path, "r");
		/* Gone, or a zombie waiting for whoever adopted it. */
		if (!f || fscanf(f, "%*d (%*[^)]) %c", &state) != 1 || state == 'Z')
			gone = 1;
		if (f)
			fclose(f);
		struct timespec ms = {0, 10000000};
		nanosleep(&ms, NULL);
	}
	CHECK(gone, "server %d outlived the process that started it", (int)server);
	if (!gone)
		kill(server, SIGKILL);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_refuses_non_loopback();
	test_echoes_exactly();
	test_close_after();
	test_delay_does_not_serialise();
	test_death_is_reported();
	test_no_orphan();
	return check_report("echo_server");
}
