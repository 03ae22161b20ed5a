/* channel.h — a two-way byte channel between two tasks that share what was
 * set up before the model ran them (threads of one process, or processes
 * forked after set-up), for message-passing workloads:
 *
 *   pipe     two pipes, one per direction: the kernel copies each message
 *            twice; waits go through rt_wait_fd, so coroutines and GIL
 *            threads park as they would on any descriptor
 *   condvar  two mailboxes in a MAP_SHARED mapping, each a process-shared
 *            mutex and condition variable and a buffer: one copy in, one out;
 *            a wait blocks the OS thread (workers must be threads or processes)
 *
 * A model whose tasks share nothing (mpi) offers rt->ops->send/recv instead. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "runtime.h"

enum channel_kind { CHANNEL_PIPE, CHANNEL_CONDVAR };

struct channel;

/* Messages of at most max_len bytes. NULL with e set. */
struct channel *channel_create(enum channel_kind kind, size_t max_len, struct err *e);
void channel_destroy(struct channel *c);
/* Empty both directions (between repetitions). */
void channel_reset(struct channel *c);

/* Task `me` (0 or 1) sends len bytes to the other, or receives exactly len
 * bytes from it, waiting at most timeout_ns for the other side. 0, or -1
 * with rt->err set. */
int channel_send(struct channel *c, int me, const void *buf, size_t len, int64_t timeout_ns,
		 struct rt *rt);
int channel_recv(struct channel *c, int me, void *buf, size_t len, int64_t timeout_ns,
		 struct rt *rt);
