/* udp_peer.c — see udp_peer.h. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "udp_peer.h"

static int bind_loopback(int nonblock, struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	*addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof *addr;
	if (bind(fd, (struct sockaddr *)addr, sizeof *addr) < 0 ||
	    getsockname(fd, (struct sockaddr *)addr, &len) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static void pings(int fd, const struct sockaddr_in *to, uint64_t count, int64_t interval_ns)
{
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (uint64_t i = 0; i <= count; i++) {
		int64_t nsec = next.tv_nsec + interval_ns;
		next.tv_sec += nsec / 1000000000;
		next.tv_nsec = nsec % 1000000000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		struct udp_peer_msg m = {.type = i < count ? UDP_PEER_PING : UDP_PEER_END, .seq = i,
					 .ns = clock_now_ns()};
		sendto(fd, &m, sizeof m, 0, (const struct sockaddr *)to, sizeof *to);
	}
}

static void pong(int fd, const struct sockaddr_in *to, size_t size, unsigned char *buf)
{
	for (uint64_t seq = 0;; seq++) {
		struct udp_peer_msg m = {.type = UDP_PEER_DATA, .size = (uint32_t)size, .seq = seq};
		memcpy(buf, &m, sizeof m);
		for (size_t i = sizeof m; i < size; i++)
			buf[i] = udp_peer_fill(seq, i);
		if (sendto(fd, buf, size, 0, (const struct sockaddr *)to, sizeof *to) < 0)
			return;
		ssize_t n = recv(fd, buf, size, 0);
		if (n < (ssize_t)sizeof m)
			return;
		memcpy(&m, buf, sizeof m);
		if (m.type != UDP_PEER_DATA)
			return; /* STOP */
	}
}

static void child_main(int fd)
{
	unsigned char *buf = malloc(UDP_PEER_MAX_PACKET);
	while (buf) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		struct udp_peer_msg m;
		ssize_t n = recvfrom(fd, &m, sizeof m, 0, (struct sockaddr *)&from, &len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof m)
			continue; /* a stray STOP or echo: ignore */
		if (m.type == UDP_PEER_PINGS)
			pings(fd, &from, m.seq, m.ns);
		else if (m.type == UDP_PEER_PONG && m.size >= sizeof m && m.size <= UDP_PEER_MAX_PACKET)
			pong(fd, &from, m.size, buf);
	}
	_exit(1);
}

int udp_peer_start(struct udp_peer *p, struct err *e)
{
	struct sockaddr_in mine;
	p->pid = 0;
	p->fd = bind_loopback(1, &mine);
	if (p->fd < 0)
		return err_set(e, "udp peer: socket on 127.0.0.1: %s", strerror(errno));
	int peer_fd = bind_loopback(0, &p->addr);
	if (peer_fd < 0) {
		int saved = errno;
		close(p->fd);
		return err_set(e, "udp peer: socket on 127.0.0.1: %s", strerror(saved));
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(p->fd);
		close(peer_fd);
		return err_set(e, "udp peer: fork: %s", strerror(saved));
	}
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(0);
		prctl(PR_SET_TIMERSLACK, 1UL); /* pings on time, not 50 us late */
		/* Hold nothing of the parent's but our socket: a pipe kept open
		 * here would hide its end from whoever waits for it. */
		if (peer_fd > 3)
			close_range(3, (unsigned)peer_fd - 1, 0);
		close_range((unsigned)peer_fd + 1, ~0U, 0);
		child_main(peer_fd);
	}
	close(peer_fd);
	p->pid = pid;
	return 0;
}

int udp_peer_send(const struct udp_peer *p, const struct udp_peer_msg *m)
{
	ssize_t n = sendto(p->fd, m, sizeof *m, 0, (const struct sockaddr *)&p->addr, sizeof p->addr);
	return n == (ssize_t)sizeof *m ? 0 : -1;
}

void udp_peer_drain(const struct udp_peer *p)
{
	unsigned char buf[256];
	while (recv(p->fd, buf, sizeof buf, MSG_DONTWAIT) >= 0)
		;
}

void udp_peer_stop(struct udp_peer *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->pid = 0;
	}
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}
