/* rt_blocking.c — runtime operations for workers that are OS threads or
 * processes: they simply block in the kernel. */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include "clock.h"
#include "runtime.h"

int rt_blocking_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	(void)rt;
	struct pollfd p = {.fd = fd, .events = (short)events};
	int64_t deadline = timeout_ns < 0 ? -1 : clock_now_ns() + timeout_ns;
	for (;;) {
		int ms = -1;
		if (deadline >= 0) {
			int64_t left = deadline - clock_now_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			ms = (int)((left + 999999) / 1000000);
		}
		int r = poll(&p, 1, ms);
		if (r > 0)
			return 0; /* ready, or an error/hang-up the caller's read will report */
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

int rt_blocking_sleep(struct rt *rt, int64_t ns)
{
	(void)rt;
	struct timespec ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
	int r;
	while ((r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts)) == EINTR)
		;
	return -r;
}

void rt_nothing(struct rt *rt) { (void)rt; }

const struct rt_ops rt_blocking_ops = {
	.wait_fd = rt_blocking_wait_fd,
	.sleep = rt_blocking_sleep,
	.native_begin = rt_nothing,
	.native_end = rt_nothing,
};
