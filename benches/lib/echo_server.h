/* echo_server.h — a loopback TCP echo server in a child process of its own.
 *
 * A workload's setup starts it before the measured region and stops it in
 * teardown. It listens on an IPv4 loopback address (127.0.0.0/8; anything
 * else is refused) on an ephemeral port, serves every connection from one
 * epoll loop, and can hold each reply back by a fixed delay to emulate a
 * remote service: replies wait in a timer queue, never in a sleep, so one
 * slow reply does not delay another client. Connections and per-connection
 * buffering are bounded. The child dies with the thread that started it
 * (PR_SET_PDEATHSIG) and is always reaped by echo_server_stop. */
#pragma once
#include <netinet/in.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"

#define ECHO_SERVER_MAX_CONNS 65536
#define ECHO_SERVER_MAX_BUFFER (16u << 20)

struct echo_server_config {
	const char *address; /* NULL: "127.0.0.1" */
	int max_conns;       /* connections served at once (1..ECHO_SERVER_MAX_CONNS);
				later ones are accepted and closed at once */
	size_t buffer_size;  /* bytes buffered per connection before it stops
				reading (4 KiB..ECHO_SERVER_MAX_BUFFER); 0: 64 KiB */
	int64_t delay_ns;    /* hold each reply back this long (0: echo at once) */
	uint64_t close_after;/* close each connection after echoing this many bytes
				(0: never) — for testing clients' error handling */
};

struct echo_server {
	pid_t pid;               /* 0 when not running */
	struct sockaddr_in addr; /* where clients connect */
};

/* Parse `address` and check it is IPv4 loopback. 0, or -1 with e naming the
 * address and what is allowed. */
int echo_server_check_address(const char *address, struct in_addr *out, struct err *e);

/* Bind, listen and fork the server. 0, or -1 with e set (nothing left running). */
int echo_server_start(struct echo_server *s, const struct echo_server_config *c, struct err *e);

/* 0 while the server runs; -1 with e saying how it ended (it is then reaped). */
int echo_server_check(struct echo_server *s, struct err *e);

/* Stop (SIGTERM, then SIGKILL after a second) and reap the server. 0, or -1
 * with e set when it had already died on its own (exit status or signal). */
int echo_server_stop(struct echo_server *s, struct err *e);
