/* floor_tcp.c — a loopback TCP round trip of 64 bytes (the echo workload's
 * default request): a client thread writes, a server thread reads the 64
 * bytes and writes them back, both blocking, Nagle off. The echo workload
 * serves from an epoll loop in another process; this is the bare path. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "clock.h"
#include "floor_measure.h"

#define TCP_MSG 64

static int full_io(int fd, unsigned char *buf, int writing)
{
	size_t done = 0;
	while (done < TCP_MSG) {
		ssize_t n = writing ? write(fd, buf + done, TCP_MSG - done)
				    : read(fd, buf + done, TCP_MSG - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

struct tcp_server {
	int listen_fd;
	uint64_t round_trips;
	int rc;
};

static void *serve(void *arg)
{
	struct tcp_server *s = arg;
	int fd = accept(s->listen_fd, NULL, NULL);
	if (fd < 0) {
		s->rc = -1;
		return NULL;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	unsigned char buf[TCP_MSG];
	for (uint64_t i = 0; i < s->round_trips; i++)
		if (full_io(fd, buf, 0) < 0 || full_io(fd, buf, 1) < 0) {
			s->rc = -1;
			break;
		}
	close(fd);
	return NULL;
}

int floor_tcp_round_trip(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	(void)unused;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof addr;
	struct tcp_server s = {.listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
			       .round_trips = ops + 10};
	if (s.listen_fd < 0 || bind(s.listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
	    listen(s.listen_fd, 1) != 0 ||
	    getsockname(s.listen_fd, (struct sockaddr *)&addr, &len) != 0) {
		int why = errno;
		if (s.listen_fd >= 0)
			close(s.listen_fd);
		err_set(e, "no loopback TCP listener: %s", strerror(why));
		return FLOOR_UNAVAILABLE;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		int why = errno;
		if (fd >= 0)
			close(fd);
		close(s.listen_fd);
		return err_set(e, "loopback TCP connect: %s", strerror(why));
	}
	pthread_t t;
	int rc = pthread_create(&t, NULL, serve, &s);
	if (rc != 0) {
		close(fd);
		close(s.listen_fd);
		return err_set(e, "tcp: pthread_create: %s", strerror(rc));
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	unsigned char out[TCP_MSG], in[TCP_MSG];
	memset(out, 'x', sizeof out);
	int64_t start = 0;
	int bad = 0;
	for (uint64_t i = 0; i < ops + 10 && !bad; i++) {
		if (i == 10)
			start = clock_now_ns(); /* after 10 warm-up round trips */
		out[0] = (unsigned char)i;
		bad = full_io(fd, out, 1) < 0 || full_io(fd, in, 0) < 0 || memcmp(in, out, TCP_MSG);
	}
	*elapsed_ns = clock_now_ns() - start;
	close(fd); /* the server's read fails if we stopped early */
	pthread_join(t, NULL);
	close(s.listen_fd);
	if (bad || s.rc)
		return err_set(e, "loopback TCP round trip: the reply was lost or wrong");
	return 0;
}
