/* responder.h — the other end of a request/response exchange, as CPython
 * users run it: a thread of this process or a process of its own, reached
 * over an AF_UNIX socketpair, TCP loopback or a pair of pipes. It reads
 * fixed-size requests, optionally waits (a remote service), and writes each
 * one back. The convoy workload uses it.
 *
 * The client's ends are `rfd` (replies; blocking until the reading task
 * puts it in its model's mode with rt_io_adopt_fd) and `wfd` (requests);
 * responder_stop closes them, which ends the responder, and joins or reaps
 * it. A process responder dies with the thread that forked it
 * (PR_SET_PDEATHSIG). */
#pragma once
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"

enum responder_peer { RESPONDER_THREAD, RESPONDER_PROCESS };
enum responder_transport { RESPONDER_UNIX, RESPONDER_TCP, RESPONDER_PIPE };

struct responder {
	int rfd, wfd;        /* the client's ends (the same socket for unix and tcp) */
	int srv_rfd, srv_wfd; /* the responder's ends */
	int is_socket;
	size_t msg_size;
	int64_t delay_ns;
	pthread_t thread;
	int thread_running;
	pid_t pid;
};

/* Connect and start; cpu >= 0 pins the responder to that OS CPU (which this
 * process must be allowed to run on), -1 leaves it where the kernel puts it.
 * 0, or -1 with e set (nothing left running or open). */
int responder_start(struct responder *r, enum responder_peer peer, enum responder_transport transport,
		    size_t msg_size, int64_t delay_ns, int cpu, struct err *e);
/* Write all of buf to the responder: 0, or -1 with errno set. */
int responder_send(const struct responder *r, const void *buf, size_t len);
/* Close the client's ends, then join the thread or reap the process. */
void responder_stop(struct responder *r);
