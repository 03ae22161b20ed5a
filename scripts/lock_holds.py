"""lock_holds -- read the traces of build/liblock-trace.so (scripts/lock-trace.c)
of a convoy run, CPython's or cmbench's, and time how long the I/O thread
holds the GIL after taking it over from another thread.

Both GILs are the same lock (Python/ceval_gil.c, models/gil/gil_modern.c),
built from the same pthread calls, so one reading fits both:
- the I/O thread is the one that calls send(2);
- the lock's condition variable is the one it waits on with a time-out;
- every take signals `switch_cond` (FORCE_SWITCHING), the first condition
  variable the I/O thread signals after such a wait returns;
- a drop signals the lock's condition variable.
A hold runs from the I/O thread's take (the end of its switch_cond signal)
to its next drop (the start of that signal). It is a take-over when the
take before it, by time, was another thread's."""
import collections
import glob
import statistics

(MUTEX_LOCK, MUTEX_UNLOCK, COND_WAIT, COND_TIMEDWAIT, COND_SIGNAL, COND_BROADCAST, SEND, RECV, READ,
 SEM_WAIT, SEM_POST, SEM_TRYWAIT) = range(12)


def read_trace(path):
    """[(start_ns, end_ns, tid, call, address, result)] in start order."""
    events = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            tid, start, end, call, address, result = line.split()
            events.append((int(start), int(end), int(tid), int(call), address, int(result)))
    events.sort()
    return events


def io_process(prefix):
    """The trace (of the files prefix.PID) of the process whose thread both
    sends and waits for the lock with a time-out: the convoy's, not its
    responder's or a parent's. None if there is none."""
    for path in sorted(glob.glob(glob.escape(prefix) + ".*")):
        events = read_trace(path)
        senders = {e[2] for e in events if e[3] == SEND}
        if any(e[3] == COND_TIMEDWAIT and e[2] in senders for e in events):
            return events
    return None


def takeover_holds(events):
    """The I/O thread's holds after a take-over, in µs, each with the time
    since its previous drop (µs): [(hold_us, away_us)]."""
    senders = collections.Counter(e[2] for e in events if e[3] == SEND)
    io = next(t for t, _ in senders.most_common() if any(e[3] == COND_TIMEDWAIT and e[2] == t for e in events))
    mine = [e for e in events if e[2] == io]
    lock_cond = collections.Counter(e[4] for e in mine if e[3] == COND_TIMEDWAIT).most_common(1)[0][0]
    after_wait = collections.Counter()
    waited = False
    for e in mine:
        if e[3] == COND_TIMEDWAIT and e[4] == lock_cond:
            waited = True
        elif e[3] == COND_SIGNAL and waited:
            after_wait[e[4]] += 1
            waited = False
    if not after_wait:
        return []
    switch_cond = after_wait.most_common(1)[0][0]
    holds, last_taker, take, last_drop = [], None, None, None
    for e in events:
        if e[3] == COND_SIGNAL and e[4] == switch_cond:
            if e[2] == io:
                take = e if last_taker not in (None, io) else None
            last_taker = e[2]
        elif e[2] == io and e[3] in (COND_SIGNAL, COND_BROADCAST) and e[4] == lock_cond:
            if take is not None and last_drop is not None:
                holds.append(((e[0] - take[1]) / 1e3, (take[0] - last_drop) / 1e3))
            take, last_drop = None, e[0]
    return holds


def median_hold_us(prefix):
    """(median take-over hold in µs, how many) of the traces prefix.*, or
    (None, 0) when they hold none."""
    events = io_process(prefix)
    holds = takeover_holds(events) if events else []
    if not holds:
        return None, 0
    return statistics.median(h for h, _ in holds), len(holds)


def semaphore_posts(prefix):
    """The sem_post calls on the most-posted semaphore of any of the traces
    prefix.PID: CPython 2's GIL (a sem_t on Linux) is posted at every check
    and every release, 0 if no process posted one."""
    best = 0
    for path in glob.glob(glob.escape(prefix) + ".*"):
        posts = collections.Counter(e[4] for e in read_trace(path) if e[3] == SEM_POST)
        if posts:
            best = max(best, posts.most_common(1)[0][1])
    return best
