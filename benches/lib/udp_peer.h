/* udp_peer.h — the client process of CPython ccbench's latency and
 * bandwidth tests, over UDP on 127.0.0.1 as ccbench does. A forked process
 * waits for commands from the workload's socket:
 *   UDP_PEER_PINGS: send `count` pings, one every `interval_ns` (ccbench:
 *     100 ms), each stamped with its CLOCK_MONOTONIC send time, then END;
 *   UDP_PEER_PONG: send a `size`-byte packet and, each time it comes back,
 *     the next one (ccbench's bandwidth client; 1 KiB), until a STOP comes
 *     back instead.
 * It dies with the thread that forked it (PR_SET_PDEATHSIG) and is reaped
 * by udp_peer_stop. */
#pragma once
#include <netinet/in.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"

enum udp_peer_type { UDP_PEER_PINGS = 1, UDP_PEER_PONG, UDP_PEER_STOP, UDP_PEER_PING, UDP_PEER_END,
		     UDP_PEER_DATA };

struct udp_peer_msg {
	uint32_t type;
	uint32_t size;        /* PONG: bytes per packet */
	uint64_t seq;         /* PING, DATA: number; PINGS: count */
	int64_t ns;           /* PING: send time; PINGS: interval */
};

#define UDP_PEER_MAX_PACKET 65000

struct udp_peer {
	int fd;                 /* the workload's socket: non-blocking, bound to 127.0.0.1 */
	struct sockaddr_in addr; /* the peer's */
	pid_t pid;
};

/* 0, or -1 with e set (nothing left open or running). */
int udp_peer_start(struct udp_peer *p, struct err *e);
/* Send a command (or a STOP) to the peer: 0, or -1 with errno set. */
int udp_peer_send(const struct udp_peer *p, const struct udp_peer_msg *m);
/* Read and drop whatever is queued on the workload's socket. */
void udp_peer_drain(const struct udp_peer *p);
void udp_peer_stop(struct udp_peer *p);
/* The byte at offset i of DATA packet `seq` (after the header). */
static inline unsigned char udp_peer_fill(uint64_t seq, size_t i) { return (unsigned char)(seq * 31 + i); }
