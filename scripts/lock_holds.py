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
import bisect
import collections
import glob
import os
import statistics
import subprocess
import sys

(MUTEX_LOCK, MUTEX_UNLOCK, COND_WAIT, COND_TIMEDWAIT, COND_SIGNAL, COND_BROADCAST, SEND, RECV, READ,
 SEM_WAIT, SEM_POST, SEM_TRYWAIT) = range(12)


def traced(cmd, prefix, tracer, env=None):
    """Run cmd with the tracer preloaded, writing prefix.PID; its stdout.
    A failed run ends the calling script with its command and stderr."""
    env = dict(env or os.environ, LOCK_TRACE=prefix, LD_PRELOAD=tracer)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if r.returncode != 0:
        sys.exit("%s: %s failed (exit %d): %s" % (os.path.basename(sys.argv[0]), " ".join(cmd), r.returncode,
                                                   r.stderr.strip()[-300:]))
    return r.stdout


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


def the_lock(events):
    """(I/O thread, the lock's condition variable, switch_cond) of a convoy
    process's events, or None when its I/O thread never signalled a
    condition variable after waiting for the lock."""
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
        return None
    return io, lock_cond, after_wait.most_common(1)[0][0]


def takeover_holds(events):
    """The I/O thread's holds after a take-over, in µs, each with the time
    since its previous drop (µs): [(hold_us, away_us)]."""
    found = the_lock(events)
    if found is None:
        return []
    io, lock_cond, switch_cond = found
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


def most_posted(prefix):
    """(posts, semaphore, events) of the most-posted semaphore of any of the
    traces prefix.PID, with that process's events: CPython 2's GIL (a sem_t
    on Linux) is posted at every check and every release. None if no
    process posted one."""
    best = None
    for path in glob.glob(glob.escape(prefix) + ".*"):
        events = read_trace(path)
        posts = collections.Counter(e[4] for e in events if e[3] == SEM_POST)
        if posts and (best is None or posts.most_common(1)[0][1] > best[0]):
            sem, n = posts.most_common(1)[0]
            best = (n, sem, events)
    return best


def semaphore_posts(prefix):
    """The sem_post calls on the most-posted semaphore of any of the traces
    prefix.PID, 0 if no process posted one."""
    best = most_posted(prefix)
    return best[0] if best else 0


def check_outcomes(prefix):
    """What became of CPython 2's lock at each release, in the traces
    prefix.PID (the process that posted a semaphore most): {"releases": n,
    "back": releases after which the releasing thread took the lock again
    before any other thread did (a check it kept), "over": releases after
    which another thread took it first, "over_waits_us": for each such
    take-over, how long the overtaken thread's next successful sem_wait
    took, µs},
    or None when no process posted a semaphore.

    A take is a sem_wait or sem_trywait that returned 0 on that semaphore,
    ordered by when it returned; python2.7's holder takes back with
    sem_wait, the emulation's with sem_trywait first (models/gil/
    pythread_lock.c). A waiter that slept in the kernel waits 10 µs or more
    on this machine (docs/GIL.md, "Round eleven"); one that was awake, 1-3."""
    best = most_posted(prefix)
    if best is None:
        return None
    _, sem, events = best
    # (time, kind, tid, wait_ns): a release at its start, a take at its end
    steps = sorted([(e[0], "release", e[2], 0) for e in events if e[4] == sem and e[3] == SEM_POST]
                   + [(e[1], "take", e[2], e[1] - e[0]) for e in events
                      if e[4] == sem and e[3] in (SEM_WAIT, SEM_TRYWAIT) and e[5] == 0])
    out = {"releases": 0, "back": 0, "over": 0, "over_waits_us": []}
    pending = None  # the thread whose release awaits the next take
    overtaken = None  # a thread taken over, whose own next take's wait is counted
    for _, kind, tid, wait_ns in steps:
        if kind == "release":
            out["releases"] += 1
            pending = tid
            continue
        if tid == overtaken:  # its sem_wait: from the call to the take
            out["over_waits_us"].append(wait_ns / 1e3)
            overtaken = None
        if pending is not None:
            if tid == pending:
                out["back"] += 1
            else:
                out["over"] += 1
                overtaken = pending
            pending = None
    return out


# A drop that comes this long after a timed-out wait answers its request;
# a holder sees a drop request within a few µs (its next eval-breaker check).
REQUEST_ANSWERED_US = 1000


def first_from(events, starts, t, ok=lambda e: True):
    """The first of events (in start order; starts: their start times) that
    starts at t or later and satisfies ok, or None."""
    for e in events[bisect.bisect_left(starts, t):]:
        if ok(e):
            return e
    return None


def drop_requests(events):
    """What became of each drop request in a convoy process's events
    (CPython 3's GIL or cmbench's, the same pthread calls): a timed-out wait
    for the lock that the holder answered by dropping it (a signal of the
    lock's condition variable by another thread within REQUEST_ANSWERED_US;
    none: the lock had changed hands during the wait, so no request). Each
    answered request: {"requester": "io" or "cpu", "taker": "requester",
    "io" or "other" (the next take, a switch_cond signal, after the drop),
    "io_waiting": whether the I/O thread was waiting for the lock at the
    drop, "io_first": and had begun that wait before the requester waited
    again, "delay_us": from the start of the requester's next wait to the
    drop, "again_us": from its timed-out wait's return to that next wait}.
    CPython's take_gil waits again at once after asking, and the woken
    waiter is the one the condition variable's signal reaches: one that has
    just begun to wait takes a signal that comes within a few µs, else the
    one that has waited longest (docs/GIL.md, "Round twelve")."""
    found = the_lock(events)
    if found is None:
        return []
    io, lock_cond, switch_cond = found
    waits = [e for e in events if e[3] == COND_TIMEDWAIT and e[4] == lock_cond]
    drops = [e for e in events if e[3] in (COND_SIGNAL, COND_BROADCAST) and e[4] == lock_cond]
    takes = [e for e in events if e[3] == COND_SIGNAL and e[4] == switch_cond]
    wait_starts, drop_starts, take_starts = ([e[0] for e in xs] for xs in (waits, drops, takes))
    io_waits = [w for w in waits if w[2] == io]
    out = []
    for w in waits:
        if w[5] == 0:
            continue
        again = first_from(waits, wait_starts, w[1], lambda x: x[2] == w[2])
        drop = first_from(drops, drop_starts, w[1], lambda d: d[2] != w[2])
        if again is None or drop is None or drop[0] - w[1] > REQUEST_ANSWERED_US * 1e3 or drop[0] > again[1]:
            continue
        take = first_from(takes, take_starts, drop[0])
        if take is None:
            continue
        taker = "requester" if take[2] == w[2] else "io" if take[2] == io else "other"
        io_wait = next((x for x in io_waits if x[0] < drop[0] < x[1]), None)
        out.append({"requester": "io" if w[2] == io else "cpu", "taker": taker,
                    "io_waiting": io_wait is not None,
                    "io_first": io_wait is not None and io_wait[0] < again[0],
                    "delay_us": (drop[0] - again[0]) / 1e3, "again_us": (again[0] - w[1]) / 1e3})
    return out


def io_releases(events):
    """What became of each time the I/O thread released the lock for a
    system call (a signal of the lock's condition variable followed by its
    send, or by its recv or read of the reply), in a convoy process's
    events: [{"call": "send" or "reply", "lost": whether it had to wait for
    the lock after the call (a timed wait before its next take), "hold_us":
    how long it held the lock before the release when it had taken it over
    from another thread (None when it had taken it back from itself),
    "taker_waiting": when lost, whether the thread that took the lock had
    been waiting for it at the release (None when not lost)}].
    Whether the I/O thread keeps the lock through its send decides how many
    intervals a round-trip waits: the CPU thread it took the lock from wakes
    some 10-40 µs after the take-over and takes the lock if it comes while
    the send runs; one that comes before the release is already waiting, and
    a waiter asleep at the release wakes later than one on its way
    (docs/GIL.md, "Round fourteen")."""
    found = the_lock(events)
    if found is None:
        return []
    io, lock_cond, switch_cond = found
    takes = [e for e in events if e[3] == COND_SIGNAL and e[4] == switch_cond]
    take_starts = [e[0] for e in takes]
    waits = collections.defaultdict(list)  # each thread's waits for the lock, in start order
    for e in events:
        if e[3] == COND_TIMEDWAIT and e[4] == lock_cond:
            waits[e[2]].append(e)

    def waiting_at(tid, t):
        ws = waits[tid]
        k = bisect.bisect_left([w[0] for w in ws], t) - 1
        return k >= 0 and ws[k][1] > t

    mine = [e for e in events if e[2] == io]
    out = []
    for i, e in enumerate(mine):
        if not (e[3] in (COND_SIGNAL, COND_BROADCAST) and e[4] == lock_cond):
            continue
        j = next((j for j in range(i + 1, len(mine)) if mine[j][3] in (SEND, RECV, READ)), None)
        if j is None:
            continue
        call = mine[j]
        after = next((x for x in mine[j + 1:] if x[4] in (lock_cond, switch_cond)
                      and x[3] in (COND_TIMEDWAIT, COND_SIGNAL)), None)
        if after is None:
            continue
        lost = after[3] == COND_TIMEDWAIT
        # the I/O thread's own take before this release, and the take before that
        k = bisect.bisect_left(take_starts, e[0]) - 1
        hold = None
        if k >= 1 and takes[k][2] == io and takes[k - 1][2] != io:
            hold = (e[0] - takes[k][1]) / 1e3
        waiting = None
        if lost:
            taker = first_from(takes, take_starts, e[0], lambda x: x[2] != io)
            waiting = taker is not None and waiting_at(taker[2], e[0])
        out.append({"call": "send" if call[3] == SEND else "reply", "lost": lost, "hold_us": hold,
                    "taker_waiting": waiting})
    return out
