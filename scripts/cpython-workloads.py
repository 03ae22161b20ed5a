"""cpython-workloads.py -- cmbench's GIL workloads written in Python, run with
real threads in whichever interpreter runs this file (python3 or python2.7).
scripts/cpython-compare runs it next to `cmbench run -m gil`.

    python3 cpython-workloads.py WORKLOAD THREADS KEY=VALUE...

Prints one JSON object: {"seconds": wall time of the threaded part,
"cpu_seconds": its CPU time, ...}.
The split of the work matches cmbench's: N units in all, contiguous shares
that differ by at most one.

  countdown n=N [place=C,C...]  while n > 0: n -= 1; place binds thread t to OS
                                CPU C[t % len]; reports the CPU each thread
                                began and ended on (worker_cpus, cpus_at_end)
                                and the voluntary context switches meanwhile
  integrate steps=N             left Riemann sum of x*x on [0, 10]
  sha512 dir=D files=F chunk=C  SHA-512 of D/file%05d.bin, read in C-byte chunks
  convoy requests=R delay=NS    thread 0: R round-trips with a forked echo
         [transport=unix|tcp]   process (replying after NS) over a socketpair
                                or TCP loopback; THREADS-1 threads count
                                down meanwhile; all start their loops
         [place=IO,CPU[,PEER]]  together; place pins the I/O thread, the CPU
         [gaps=1]               threads and the responder to those OS CPUs
                                (python3); gaps=1 also reports the median
                                time from a reply to the next request
                                (reply_to_send_p50_us), and (python3) apart
                                after round-trips of half a switch interval
                                or more (the I/O thread waited for the lock
                                in them: ..._after_switch_p50_us, _n) and
                                the rest (..._warm_p50_us, _n); docs/GIL.md
                                ("Round six") says what each mode puts there

Any workload also takes switch=NS (python3: sys.setswitchinterval).
"""
from __future__ import print_function, division

import hashlib
import json
import os
import resource
import socket
import sys
import threading
import time

clock = getattr(time, "perf_counter", time.time)
try:
    range = xrange  # python2: no 10M-element lists
except NameError:
    pass


def split(total, ntasks, task):
    base, extra = divmod(total, ntasks)
    return base + (1 if task < extra else 0)


def split_begin(total, ntasks, task):
    base, extra = divmod(total, ntasks)
    return task * base + min(task, extra)


def countdown(n):
    while n > 0:
        n -= 1


try:
    import ctypes
    LIBC = ctypes.CDLL(None, use_errno=True)
    LIBC.sched_getcpu
except (ImportError, OSError, AttributeError):
    LIBC = None


def current_cpu():
    """The OS number of the CPU this thread runs on (neither python has
    os.sched_getcpu), -1 where unknown."""
    return LIBC.sched_getcpu() if LIBC else -1


def pin_thread(cpu):
    """Bind the calling thread to one OS CPU (python2.7 lacks os.sched_setaffinity)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
        return
    mask = ctypes.create_string_buffer(128)  # a cpu_set_t: 1024 CPUs
    mask[cpu // 8] = chr(1 << (cpu % 8))
    if LIBC is None or LIBC.sched_setaffinity(0, ctypes.sizeof(mask), mask) != 0:
        sys.exit("countdown: cannot bind a thread to CPU %d" % cpu)


def countdown_where(n, out, slot, cpu):
    """countdown(n), on OS CPU `cpu` if not None; out[slot] = the CPU the
    thread began and ended on. Unpinned, the OS places the threads by what
    else runs as they start and the GIL keeps them there: python2.7's
    two-thread count-down takes about one thread's time on one CPU and
    three to four times it apart (docs/GIL.md, "Round ten")."""
    if cpu is not None:
        pin_thread(cpu)
    first = current_cpu()
    countdown(n)
    out[slot] = [first, current_cpu()]


def integrate_chunk(lo, hi, h, out, slot):
    s = 0.0
    for i in range(lo, hi):
        x = i * h
        s += x * x * h
    out[slot] = s


def sha512_files(d, first, end, chunk, out, slot):
    digests = []
    for i in range(first, end):
        h = hashlib.sha512()
        with open(os.path.join(d, "file%05d.bin" % i), "rb") as f:
            while True:
                b = f.read(chunk)
                if not b:
                    break
                h.update(b)  # hashlib releases the GIL for >= 2048 bytes
        digests.append(h.hexdigest())
    out[slot] = digests


def cpu_clock():
    if hasattr(time, "process_time"):
        return time.process_time()
    t = os.times()  # python2: 10 ms resolution, enough for runs of a second
    return t[0] + t[1]


CPU = {}


class Gate(object):
    """threading.Barrier's wait, which python2.7 lacks."""

    def __init__(self, n):
        self.left = n
        self.cond = threading.Condition()

    def wait(self):
        with self.cond:
            self.left -= 1
            if self.left == 0:
                self.cond.notify_all()
            while self.left > 0:
                self.cond.wait()


def run_threads(targets):
    """Wall time of the threads; their CPU time (user + system) in CPU["seconds"],
    the process's voluntary context switches meanwhile in CPU["voluntary_switches"]."""
    threads = [threading.Thread(target=f, args=a) for f, a in targets]
    s0 = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
    c0, t0 = cpu_clock(), clock()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = clock() - t0
    CPU["seconds"] = cpu_clock() - c0
    # Times a thread of the process blocked (as cmbench's voluntary_cs):
    # how often a GIL's waiters slept rather than took the lock awake.
    CPU["voluntary_switches"] = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw - s0
    return wall


def echo_process(sock, size, delay):
    """The responder: a forked process, so it runs outside this GIL."""
    while True:
        buf = b""
        while len(buf) < size:
            b = sock.recv(size - len(buf))
            if not b:
                os._exit(0)
            buf += b
        if delay > 0:
            time.sleep(delay)
        sock.sendall(buf)


def tcp_pair():
    """A connected TCP loopback pair, TCP_NODELAY on both ends (as cmbench's)."""
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(("127.0.0.1", 0))
    lst.listen(1)
    a = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    a.connect(lst.getsockname())
    b = lst.accept()[0]
    lst.close()
    for s in (a, b):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return a, b


def median_us(xs):
    return sorted(xs)[len(xs) // 2] * 1e6


def convoy(threads, requests, size, delay, transport="unix", place=None, gaps_wanted=False):
    a, b = tcp_pair() if transport == "tcp" else socket.socketpair()
    pid = os.fork()

    def pin(role):
        # place=IO,CPU[,PEER]: the OS CPU of the I/O thread (0), of every CPU
        # thread (1) and of the responder process (2)
        if place is not None and role < len(place):
            os.sched_setaffinity(0, {place[role]})

    if pid == 0:
        pin(2)
        a.close()
        echo_process(b, size, delay)
    b.close()
    state = {"done": False, "units": 0}
    latencies = []
    gaps = [] if gaps_wanted else None  # from a reply to the next request
    # Every thread starts its loop together, as cmbench's workers leave its
    # start gate together: without this the I/O thread's first round-trips
    # ran while the main thread still took the GIL to start the CPU threads
    # (at a 50 ms interval, 2-4 intervals of a 20-round-trip run).
    gate = Gate(threads)

    def io_task():
        msg = b"x" * size
        pin(0)
        gate.wait()
        t_start = clock()
        if gaps is None:
            for _ in range(requests):
                t0 = clock()
                a.sendall(msg)
                got = b""
                while len(got) < size:
                    got += a.recv(size - len(got))
                latencies.append(clock() - t0)
        else:
            # The same loop, also timing the I/O thread's Python between a
            # reply and the next request (docs/GIL.md, "Round six").
            # Its own loop: the test and append it adds per round-trip would
            # lengthen every convoy's hold of the lock.
            t_reply = None
            for _ in range(requests):
                t0 = clock()
                if t_reply is not None:
                    gaps.append(t0 - t_reply)
                a.sendall(msg)
                got = b""
                while len(got) < size:
                    got += a.recv(size - len(got))
                t_reply = clock()
                latencies.append(t_reply - t0)
        state["io_seconds"] = clock() - t_start
        state["done"] = True

    def cpu_task():
        n = 0
        pin(1)
        gate.wait()
        while not state["done"]:
            for _ in range(1000):
                n += 1
        state["units"] += n

    targets = [(io_task, ())] + [(cpu_task, ())] * (threads - 1)
    seconds = run_threads(targets)
    a.close()
    os.waitpid(pid, 0)
    raw = list(latencies)  # in order: raw[i] is the round-trip before gaps[i]
    latencies.sort()
    n = len(latencies)

    def pct(p):
        return latencies[max(0, min(n, int(p / 100.0 * n + 0.999999)) - 1)] * 1e6

    out = {"seconds": seconds, "round_trips_per_s": requests / state["io_seconds"],
           "latency_p50_us": pct(50), "latency_p90_us": pct(90),
           "latency_p99_us": pct(99), "latency_max_us": latencies[-1] * 1e6}
    if gaps is not None:  # requests >= 2 (main): at least one gap
        out["reply_to_send_p50_us"] = median_us(gaps)
        if hasattr(sys, "getswitchinterval"):
            # gaps[i] follows round-trip i: one that took half an interval or
            # more ended with the I/O thread taking the lock back from a CPU
            # thread, after about that long away from it
            half = sys.getswitchinterval() / 2
            for name, keep in (("after_switch", lambda lat: lat >= half),
                               ("warm", lambda lat: lat < half)):
                part = [g for g, lat in zip(gaps, raw) if keep(lat)]
                out["reply_to_send_%s_n" % name] = len(part)
                if part:
                    out["reply_to_send_%s_p50_us" % name] = median_us(part)
    return out


def main():
    workload, threads = sys.argv[1], int(sys.argv[2])
    opts = dict(kv.split("=", 1) for kv in sys.argv[3:])
    if "switch" in opts:  # python3: the modern GIL's switch interval, in ns like cmbench's
        sys.setswitchinterval(int(opts["switch"]) / 1e9)
    if workload == "countdown":
        n = int(opts["n"])
        place = [int(x) for x in opts["place"].split(",")] if "place" in opts else None
        out = [None] * threads
        secs = run_threads([(countdown_where, (split(n, threads, t), out, t,
                                               place[t % len(place)] if place else None))
                            for t in range(threads)])
        print(json.dumps({"seconds": secs, "cpu_seconds": CPU["seconds"], "worker_cpus": out,
                          "cpus_at_end": len(set(c[1] for c in out)),
                          "voluntary_switches": CPU["voluntary_switches"]}))
    elif workload == "integrate":
        steps = int(opts["steps"])
        h = 10.0 / steps
        out = [0.0] * threads
        secs = run_threads([(integrate_chunk, (split_begin(steps, threads, t),
                                               split_begin(steps, threads, t + 1), h, out, t))
                            for t in range(threads)])
        total = sum(out)
        if abs(total - 1000.0 / 3) > 100 * h * (1 + 1e-9) + 1e-9:
            sys.exit("integrate: sum %r is not within %g of 1000/3" % (total, 100 * h))
        print(json.dumps({"seconds": secs, "cpu_seconds": CPU["seconds"]}))
    elif workload == "sha512":
        d, files, chunk = opts["dir"], int(opts["files"]), int(opts["chunk"])
        out = [None] * threads
        secs = run_threads([(sha512_files, (d, split_begin(files, threads, t),
                                            split_begin(files, threads, t + 1), chunk, out, t))
                            for t in range(threads)])
        want = {}
        with open(os.path.join(d, "SHA512SUMS")) as f:
            for line in f:
                digest, name = line.split()
                want[name.lstrip("*")] = digest
        got = [x for part in out for x in part]
        for i, digest in enumerate(got):
            if want.get("file%05d.bin" % i) != digest:
                sys.exit("sha512: file%05d.bin does not match SHA512SUMS" % i)
        print(json.dumps({"seconds": secs, "cpu_seconds": CPU["seconds"]}))
    elif workload == "convoy":
        if opts.get("gaps") == "1" and int(opts["requests"]) < 2:
            print("cpython-workloads: gaps=1 needs requests=2 or more (a gap runs from one reply "
                  "to the next request), not %s" % opts["requests"], file=sys.stderr)
            sys.exit(2)
        print(json.dumps(convoy(threads, int(opts["requests"]), int(opts.get("msg", 64)),
                                int(opts.get("delay", 0)) / 1e9, opts.get("transport", "unix"),
                                [int(x) for x in opts["place"].split(",")] if "place" in opts else None,
                                opts.get("gaps") == "1")))
    else:
        sys.exit("unknown workload %s (allowed: countdown, integrate, sha512, convoy)" % workload)


if __name__ == "__main__":
    main()
