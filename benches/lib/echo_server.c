/* echo_server.c — the loopback echo server (see echo_server.h).
 *
 * The parent binds and listens before it forks, so clients may connect as
 * soon as echo_server_start returns. The child serves from one epoll loop:
 * bytes read from a connection are appended to its buffer; with no delay
 * they may be written back at once, otherwise each read becomes a segment
 * in one FIFO with deadline now + delay. Because the delay is the same for
 * every reply, the FIFO is always in deadline order, so a single timerfd
 * armed at the head's deadline is the whole timer queue. */
#include "echo_server.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TAG_LISTEN UINT64_MAX
#define TAG_TIMER (UINT64_MAX - 1)
#define FIRST_BUFFER 4096

struct conn {
	int fd;           /* -1 when the slot is free */
	uint32_t gen;     /* bumped on close, so stale segments are ignored */
	uint32_t events;  /* what epoll watches now */
	char *buf;        /* bytes read and not yet written back: buf[0, len) */
	size_t len, cap;
	uint64_t read_total, released_total, echoed_total;
};

struct segment {
	int conn;
	uint32_t gen;
	uint64_t upto;    /* release read bytes up to this total */
	int64_t deadline; /* CLOCK_MONOTONIC ns */
};

struct server {
	struct echo_server_config cfg;
	int lfd, ep, tfd;
	struct conn *conns;
	int *free_slots, nfree;
	struct segment *fifo;
	size_t head, count, fifo_cap;
};

int echo_server_check_address(const char *address, struct in_addr *out, struct err *e)
{
	if (!address)
		address = "127.0.0.1";
	if (inet_pton(AF_INET, address, out) != 1)
		return err_set(e, "echo server: '%s' is not an IPv4 address (allowed: a loopback "
				  "address in 127.0.0.0/8)", address);
	if ((ntohl(out->s_addr) >> 24) != 127)
		return err_set(e, "echo server: refusing to bind %s: only loopback addresses "
				  "(127.0.0.0/8) are allowed", address);
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "echo server: %s: %s\n", what, strerror(errno));
	_exit(3);
}

static void watch(struct server *s, struct conn *c, uint32_t events)
{
	if (c->events == events)
		return;
	struct epoll_event ev = {.events = events, .data.u64 = (uint64_t)(c - s->conns)};
	if (epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &ev) < 0)
		die("epoll_ctl");
	c->events = events;
}

static void conn_close(struct server *s, struct conn *c)
{
	close(c->fd); /* also removes it from the epoll set */
	free(c->buf);
	uint32_t gen = c->gen + 1;
	*c = (struct conn){.fd = -1, .gen = gen};
	s->free_slots[s->nfree++] = (int)(c - s->conns);
}

static void arm_timer(struct server *s)
{
	if (!s->count)
		return;
	int64_t d = s->fifo[s->head].deadline;
	struct itimerspec its = {.it_value = {.tv_sec = d / 1000000000, .tv_nsec = d % 1000000000}};
	if (timerfd_settime(s->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		die("timerfd_settime");
}

static void fifo_push(struct server *s, struct segment seg)
{
	if (s->count == s->fifo_cap) {
		size_t cap = s->fifo_cap ? s->fifo_cap * 2 : 1024;
		struct segment *n = malloc(cap * sizeof *n);
		if (!n)
			die("malloc");
		for (size_t i = 0; i < s->count; i++)
			n[i] = s->fifo[(s->head + i) % s->fifo_cap];
		free(s->fifo);
		s->fifo = n;
		s->fifo_cap = cap;
		s->head = 0;
	}
	s->fifo[(s->head + s->count) % s->fifo_cap] = seg;
	if (s->count++ == 0)
		arm_timer(s);
}

/* Write back what may be written now; closes the connection when it has
 * echoed close_after bytes or the peer is gone. */
static void conn_write(struct server *s, struct conn *c)
{
	size_t written = 0;
	uint64_t limit = c->released_total;
	if (s->cfg.close_after && limit > s->cfg.close_after)
		limit = s->cfg.close_after;
	while (c->echoed_total < limit) {
		ssize_t k = send(c->fd, c->buf + written, (size_t)(limit - c->echoed_total),
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k > 0) {
			written += (size_t)k;
			c->echoed_total += (uint64_t)k;
		} else if (k < 0 && errno == EINTR) {
			continue;
		} else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		} else {
			conn_close(s, c);
			return;
		}
	}
	if (written) {
		memmove(c->buf, c->buf + written, c->len - written);
		c->len -= written;
	}
	if (s->cfg.close_after && c->echoed_total >= s->cfg.close_after) {
		conn_close(s, c);
		return;
	}
	uint32_t ev = (c->len < s->cfg.buffer_size ? EPOLLIN : 0) |
		      (c->echoed_total < limit ? EPOLLOUT : 0);
	watch(s, c, ev);
}

static void conn_read(struct server *s, struct conn *c)
{
	if (c->len == c->cap) {
		if (c->cap >= s->cfg.buffer_size) {
			watch(s, c, c->events & ~(uint32_t)EPOLLIN); /* full: wait for writes */
			return;
		}
		size_t cap = c->cap ? c->cap * 2 : FIRST_BUFFER;
		if (cap > s->cfg.buffer_size)
			cap = s->cfg.buffer_size;
		char *b = realloc(c->buf, cap);
		if (!b)
			die("realloc");
		c->buf = b;
		c->cap = cap;
	}
	ssize_t k = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
	if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
		conn_close(s, c);
		return;
	}
	if (k < 0)
		return;
	c->len += (size_t)k;
	c->read_total += (uint64_t)k;
	if (s->cfg.delay_ns <= 0) {
		c->released_total = c->read_total;
		conn_write(s, c);
	} else {
		fifo_push(s, (struct segment){.conn = (int)(c - s->conns), .gen = c->gen,
					      .upto = c->read_total,
					      .deadline = now_ns() + s->cfg.delay_ns});
	}
}

static void release_due(struct server *s)
{
	uint64_t expirations;
	if (read(s->tfd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
		die("read timerfd");
	int64_t now = now_ns();
	while (s->count && s->fifo[s->head].deadline <= now) {
		struct segment seg = s->fifo[s->head];
		s->head = (s->head + 1) % s->fifo_cap;
		s->count--;
		struct conn *c = &s->conns[seg.conn];
		if (c->fd < 0 || c->gen != seg.gen)
			continue; /* the connection closed meanwhile */
		c->released_total = seg.upto;
		conn_write(s, c);
	}
	arm_timer(s);
}

static void accept_all(struct server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			die("accept");
		}
		if (!s->nfree) { /* over the bound: the client sees the close */
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		int i = s->free_slots[--s->nfree];
		struct conn *c = &s->conns[i];
		c->fd = fd;
		c->events = EPOLLIN;
		struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			die("epoll_ctl");
	}
}

static void serve(struct server *s)
{
	struct epoll_event evs[256];
	for (;;) {
		int n = epoll_wait(s->ep, evs, 256, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64;
			if (tag == TAG_LISTEN) {
				accept_all(s);
			} else if (tag == TAG_TIMER) {
				release_due(s);
			} else {
				struct conn *c = &s->conns[tag];
				if (c->fd >= 0 && (evs[i].events & (EPOLLHUP | EPOLLERR)))
					conn_close(s, c); /* the peer is gone both ways */
				if (c->fd >= 0 && (evs[i].events & EPOLLOUT))
					conn_write(s, c);
				if (c->fd >= 0 && (evs[i].events & EPOLLIN))
					conn_read(s, c);
			}
		}
	}
}

static void child_main(struct server *s, pid_t parent)
{
	/* Die with the thread that forked us; if it is already gone, go now. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(0);
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_TIMERSLACK, 1UL); /* delays to the microsecond, not 50 us late */
	struct rlimit fds;
	if (getrlimit(RLIMIT_NOFILE, &fds) == 0 && fds.rlim_cur < fds.rlim_max) {
		fds.rlim_cur = fds.rlim_max; /* every connection is a descriptor here */
		setrlimit(RLIMIT_NOFILE, &fds);
	}
	/* Hold nothing of the parent's but the listening socket: a client
	 * socket kept open here would hide a close from its peer. */
	if (s->lfd > 3)
		close_range(3, (unsigned)s->lfd - 1, 0);
	close_range((unsigned)s->lfd + 1, ~0U, 0);

	s->conns = calloc((size_t)s->cfg.max_conns, sizeof *s->conns);
	s->free_slots = malloc((size_t)s->cfg.max_conns * sizeof *s->free_slots);
	if (!s->conns || !s->free_slots)
		die("calloc");
	for (int i = s->cfg.max_conns - 1; i >= 0; i--) {
		s->conns[i].fd = -1;
		s->free_slots[s->nfree++] = i;
	}
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->ep < 0 || s->tfd < 0)
		die("epoll_create1/timerfd_create");
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = TAG_LISTEN};
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, &ev) < 0)
		die("epoll_ctl");
	ev.data.u64 = TAG_TIMER;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->tfd, &ev) < 0)
		die("epoll_ctl");
	serve(s);
}

int echo_server_start(struct echo_server *es, const struct echo_server_config *c, struct err *e)
{
	struct server s = {.cfg = *c, .lfd = -1};
	es->pid = 0;
	if (c->max_conns < 1 || c->max_conns > ECHO_SERVER_MAX_CONNS)
		return err_set(e, "echo server: %d connections asked for (allowed: 1..%d)",
			       c->max_conns, ECHO_SERVER_MAX_CONNS);
	if (!s.cfg.buffer_size)
		s.cfg.buffer_size = 64 << 10;
	if (s.cfg.buffer_size < FIRST_BUFFER || s.cfg.buffer_size > ECHO_SERVER_MAX_BUFFER)
		return err_set(e, "echo server: buffer of %zu bytes (allowed: %d..%u)",
			       s.cfg.buffer_size, FIRST_BUFFER, ECHO_SERVER_MAX_BUFFER);
	if (c->delay_ns < 0)
		return err_set(e, "echo server: negative delay %lld ns", (long long)c->delay_ns);

	memset(&es->addr, 0, sizeof es->addr);
	es->addr.sin_family = AF_INET;
	if (echo_server_check_address(c->address, &es->addr.sin_addr, e) < 0)
		return -1;
	s.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s.lfd < 0)
		return err_set(e, "echo server: socket: %s", strerror(errno));
	socklen_t len = sizeof es->addr;
	if (bind(s.lfd, (struct sockaddr *)&es->addr, sizeof es->addr) < 0 ||
	    listen(s.lfd, c->max_conns < SOMAXCONN ? SOMAXCONN : c->max_conns) < 0 ||
	    getsockname(s.lfd, (struct sockaddr *)&es->addr, &len) < 0) {
		int saved = errno;
		close(s.lfd);
		return err_set(e, "echo server: bind/listen on %s: %s",
			       c->address ? c->address : "127.0.0.1", strerror(saved));
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(s.lfd);
		return err_set(e, "echo server: fork: %s", strerror(saved));
	}
	if (pid == 0)
		child_main(&s, parent); /* never returns */
	close(s.lfd);
	es->pid = pid;
	return 0;
}

static int describe_end(struct echo_server *es, int status, struct err *e)
{
	pid_t pid = es->pid;
	es->pid = 0;
	if (WIFEXITED(status))
		return err_set(e, "echo server (pid %d) exited with status %d before it was stopped",
			       (int)pid, WEXITSTATUS(status));
	return err_set(e, "echo server (pid %d) was killed by signal %d (%s) before it was stopped",
		       (int)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
}

int echo_server_check(struct echo_server *es, struct err *e)
{
	if (!es->pid)
		return err_set(e, "echo server is not running");
	int status;
	pid_t r = waitpid(es->pid, &status, WNOHANG);
	if (r == 0)
		return 0;
	if (r < 0) {
		es->pid = 0;
		return err_set(e, "echo server: waitpid: %s", strerror(errno));
	}
	return describe_end(es, status, e);
}

int echo_server_stop(struct echo_server *es, struct err *e)
{
	if (!es->pid)
		return 0;
	int status;
	pid_t r = waitpid(es->pid, &status, WNOHANG);
	if (r == es->pid)
		return describe_end(es, status, e); /* it had died on its own */
	kill(es->pid, SIGTERM);
	for (int i = 0; i < 1000; i++) {
		r = waitpid(es->pid, &status, WNOHANG);
		if (r != 0)
			break;
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	if (r == 0) {
		kill(es->pid, SIGKILL);
		r = waitpid(es->pid, &status, 0);
	}
	pid_t pid = es->pid;
	es->pid = 0;
	if (r < 0)
		return err_set(e, "echo server (pid %d): waitpid: %s", (int)pid, strerror(errno));
	if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGKILL))
		return 0;
	es->pid = pid;
	return describe_end(es, status, e);
}
