/* responder.c — see responder.h. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "responder.h"

static int write_all(int fd, int is_socket, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = is_socket ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct timespec ts = {0, 10000}; /* a full pipe: let the reader catch up */
			nanosleep(&ts, NULL);
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int responder_send(const struct responder *r, const void *buf, size_t len)
{
	return write_all(r->wfd, r->is_socket, buf, len);
}

/* Echo fixed-size messages until end-of-file. */
static void serve(int rfd, int wfd, int is_socket, size_t size, int64_t delay_ns)
{
	unsigned char *buf = malloc(size);
	while (buf) {
		size_t got = 0;
		while (got < size) {
			ssize_t n = read(rfd, buf + got, size - got);
			if (n <= 0 && !(n < 0 && errno == EINTR))
				goto out;
			if (n > 0)
				got += (size_t)n;
		}
		if (delay_ns > 0) {
			struct timespec ts = {delay_ns / 1000000000, delay_ns % 1000000000};
			while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
				;
		}
		if (write_all(wfd, is_socket, buf, size) < 0)
			break;
	}
out:
	free(buf);
}

static void *responder_thread(void *arg)
{
	struct responder *r = arg;
	serve(r->srv_rfd, r->srv_wfd, r->is_socket, r->msg_size, r->delay_ns);
	return NULL;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_all(struct responder *r)
{
	if (r->wfd != r->rfd)
		close_fd(&r->wfd);
	close_fd(&r->rfd);
	r->wfd = -1;
	if (r->srv_wfd != r->srv_rfd)
		close_fd(&r->srv_wfd);
	close_fd(&r->srv_rfd);
	r->srv_wfd = -1;
}

/* A connected TCP loopback pair: *client and *server. */
static int tcp_pair(int *client, int *server, struct err *e)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	*client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || *client < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0 ||
	    connect(*client, (struct sockaddr *)&a, sizeof a) < 0 ||
	    (*server = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		int saved = errno;
		if (l >= 0)
			close(l);
		close_fd(client);
		return err_set(e, "convoy: TCP loopback connection: %s", strerror(saved));
	}
	close(l);
	int one = 1; /* small requests go out at once, as a request/response client sets it */
	setsockopt(*client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(*server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return 0;
}

static int connect_transport(struct responder *r, enum responder_transport t, struct err *e)
{
	int sv[2];
	switch (t) {
	case RESPONDER_UNIX:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return err_set(e, "convoy: socketpair: %s", strerror(errno));
		r->rfd = r->wfd = sv[0];
		r->srv_rfd = r->srv_wfd = sv[1];
		r->is_socket = 1;
		return 0;
	case RESPONDER_TCP:
		if (tcp_pair(&sv[0], &sv[1], e) < 0)
			return -1;
		r->rfd = r->wfd = sv[0];
		r->srv_rfd = r->srv_wfd = sv[1];
		r->is_socket = 1;
		return 0;
	case RESPONDER_PIPE: {
		int req[2], rep[2];
		if (pipe2(req, O_CLOEXEC) < 0)
			return err_set(e, "convoy: pipe: %s", strerror(errno));
		if (pipe2(rep, O_CLOEXEC) < 0) {
			int saved = errno;
			close(req[0]);
			close(req[1]);
			return err_set(e, "convoy: pipe: %s", strerror(saved));
		}
		r->wfd = req[1];
		r->srv_rfd = req[0];
		r->srv_wfd = rep[1];
		r->rfd = rep[0];
		r->is_socket = 0;
		return 0;
	}
	}
	return err_set(e, "convoy: unknown transport %d", (int)t);
}

/* The one CPU of `cpu` in *set, after checking this process may run there
 * (the child's or thread's own setaffinity then cannot fail). */
static int cpu_set_of(int cpu, cpu_set_t *set, struct err *e)
{
	cpu_set_t allowed;
	CPU_ZERO(&allowed);
	if (sched_getaffinity(0, sizeof allowed, &allowed) < 0)
		return err_set(e, "convoy: sched_getaffinity: %s", strerror(errno));
	if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed)) {
		int first = -1, last = -1;
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &allowed)) {
				first = first < 0 ? c : first;
				last = c;
			}
		return err_set(e, "convoy: peer-cpu=%d is not a CPU this process may run on "
			       "(allowed: %d CPUs, %d..%d)", cpu, CPU_COUNT(&allowed), first, last);
	}
	CPU_ZERO(set);
	CPU_SET(cpu, set);
	return 0;
}

int responder_start(struct responder *r, enum responder_peer peer, enum responder_transport transport,
		    size_t msg_size, int64_t delay_ns, int cpu, struct err *e)
{
	*r = (struct responder){.rfd = -1, .wfd = -1, .srv_rfd = -1, .srv_wfd = -1,
				.msg_size = msg_size, .delay_ns = delay_ns};
	cpu_set_t one_cpu;
	CPU_ZERO(&one_cpu);
	if (cpu >= 0 && cpu_set_of(cpu, &one_cpu, e) < 0)
		return -1;
	if (connect_transport(r, transport, e) < 0)
		return -1;
	if (peer == RESPONDER_THREAD) {
		pthread_attr_t attr;
		int rc = pthread_attr_init(&attr);
		if (!rc && cpu >= 0)
			rc = pthread_attr_setaffinity_np(&attr, sizeof one_cpu, &one_cpu);
		if (!rc)
			rc = pthread_create(&r->thread, &attr, responder_thread, r);
		pthread_attr_destroy(&attr);
		if (rc) {
			close_all(r);
			return err_set(e, "convoy: cannot start the responder thread: %s", strerror(rc));
		}
		r->thread_running = 1;
	} else {
		pid_t parent = getpid();
		pid_t pid = fork();
		if (pid < 0) {
			int saved = errno;
			close_all(r);
			return err_set(e, "convoy: fork of the responder: %s", strerror(saved));
		}
		if (pid == 0) {
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
				_exit(0);
			signal(SIGPIPE, SIG_IGN);
			prctl(PR_SET_TIMERSLACK, 1UL); /* delays to the microsecond */
			if (cpu >= 0 && sched_setaffinity(0, sizeof one_cpu, &one_cpu) < 0)
				_exit(1); /* checked above: the parent may run there */
			/* Keep only the responder's ends: end-of-file must reach it,
			 * and no pipe of the parent's may stay open here. */
			int keep_lo = r->srv_rfd < r->srv_wfd ? r->srv_rfd : r->srv_wfd;
			int keep_hi = r->srv_rfd < r->srv_wfd ? r->srv_wfd : r->srv_rfd;
			if (keep_lo > 3)
				close_range(3, (unsigned)keep_lo - 1, 0);
			if (keep_hi > keep_lo + 1)
				close_range((unsigned)keep_lo + 1, (unsigned)keep_hi - 1, 0);
			close_range((unsigned)keep_hi + 1, ~0U, 0);
			serve(r->srv_rfd, r->srv_wfd, r->is_socket, msg_size, delay_ns);
			_exit(0);
		}
		r->pid = pid;
		if (r->srv_wfd != r->srv_rfd)
			close_fd(&r->srv_wfd);
		close_fd(&r->srv_rfd);
		r->srv_wfd = -1;
	}
	/* The client's ends stay blocking: the task that reads the replies
	 * puts rfd in its model's mode (rt_io_adopt_fd). */
	return 0;
}

void responder_stop(struct responder *r)
{
	/* shutdown reaches the responder even if a forked worker still holds a
	 * copy of the socket; pipes end when every copy of the write end closes. */
	if (r->is_socket && r->wfd >= 0)
		shutdown(r->wfd, SHUT_RDWR);
	if (r->wfd != r->rfd)
		close_fd(&r->wfd);
	close_fd(&r->rfd);
	r->wfd = -1;
	if (r->thread_running) {
		pthread_join(r->thread, NULL);
		r->thread_running = 0;
	}
	if (r->pid > 0) {
		kill(r->pid, SIGKILL); /* a pipe's write end may live on in a forked worker */
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
		r->pid = 0;
	}
	if (r->srv_wfd != r->srv_rfd)
		close_fd(&r->srv_wfd);
	close_fd(&r->srv_rfd);
	r->srv_wfd = -1;
}
