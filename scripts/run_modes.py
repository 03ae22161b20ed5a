"""run_modes.py -- which mode each run of a GIL figure fell in, and figures
compared within each mode. Used by scripts/gil-figures and scripts/gil-verdicts.

Both sides of a figure switch between modes run by run, with the machine's
phase rather than with anything either side does (docs/GIL.md, "Round ten"):

- the convoy: a round-trip waits one switch interval or two, so a run's
  round-trips/s is one of two figures about 2x apart (its median latency
  divided by the interval, rounded, says which);
- python2.7's count-down with the threads on two CPUs: a run either blocks
  a lot (its waiters sleep in the kernel at most checks: 45,000-60,000
  voluntary switches in 10M iterations here) or little (2,000-10,000), and
  its time ratio follows (about 4.8 against 2.9).

A median over runs is then the mix of the modes, and the mix moves with the
hour. Compared within a mode, like with like, the difference says how close
the emulation is in each mode, whatever the mix."""
import math
import statistics

import equivalence  # numpy and scipy: it says so if they are missing

# Two groups of voluntary-switch counts are two modes when their medians are
# at least this far apart; python2.7's are 5-10x apart, the spread within
# one mode stays under 2x, and python3's counts (one group) under 3x.
BLOCK_MODE_FACTOR = 3.0
MIN_RUNS = 3  # a side's runs in a mode before its difference is shown


def intervals(p50_ms, switch_ms):
    """"1 interval", "2 intervals", ...: switch intervals in a round-trip's
    median latency, rounded."""
    k = int(p50_ms / switch_ms + 0.5)
    return "%d interval%s" % (k, "" if k == 1 else "s")


def block_split(sides):
    """The count of voluntary switches that splits a row's runs (both sides
    pooled; sides: each side's counts) into two modes, or None when they
    form one. The split is the one that leaves the least spread of
    log(count) within the two groups (two-means in one dimension,
    exhaustively); it counts as two modes when each group holds MIN_RUNS
    runs or more, their medians are BLOCK_MODE_FACTOR apart, and a side has
    runs on both sides of it: one side blocking more than the other in
    every run is a difference between the sides, not two modes."""
    s = sorted(math.log(max(b, 1)) for side in sides for b in side)
    best = None
    for i in range(MIN_RUNS, len(s) - MIN_RUNS + 1):
        lo, hi = s[:i], s[i:]
        cost = sum((x - statistics.fmean(lo)) ** 2 for x in lo) + sum((x - statistics.fmean(hi)) ** 2 for x in hi)
        if best is None or cost < best[0]:
            best = (cost, i)
    if best is None:
        return None
    lo, hi = s[:best[1]], s[best[1]:]
    if math.exp(statistics.median(hi) - statistics.median(lo)) < BLOCK_MODE_FACTOR:
        return None
    split = math.exp((lo[-1] + hi[0]) / 2)
    if not any(min(side) < split < max(side) for side in sides if side):
        return None
    return split


def block_labels(blocks, split):
    """"blocking" or "few blocks" for each run's count, "?" for a run that
    did not say; every run "one mode" when split is None."""
    if split is None:
        return ["one mode" if b is not None else "?" for b in blocks]
    return ["?" if b is None else "blocking" if b > split else "few blocks" for b in blocks]


def block_modes(cpython_blocks, cmbench_blocks):
    """Each run's mode on both sides, split where the pooled counts part."""
    split = block_split([[b for b in side if b is not None] for side in (cpython_blocks, cmbench_blocks)])
    return block_labels(cpython_blocks, split), block_labels(cmbench_blocks, split), split


# A run is in a quiet minute when its one-thread time is within this factor
# of its side's fastest quarter in the row: in the host's slow minutes
# CPython's interpreter slows 1.7-1.9 times and the emulation's calibrated
# tick less (docs/GIL.md, "Round eleven"), and a ratio whose one-thread run
# fell in such a minute measures the host (python3.11 read 2 threads as
# 0.61 of one thread's time).
QUIET_FACTOR = 1.2


def quiet_labels(one_ns):
    """"quiet" or "slow" for each run's one-thread time (ns per iteration),
    against the median of the fastest quarter of them; "?" for a run that
    did not say."""
    known = sorted(x for x in one_ns if x is not None)
    if len(known) < MIN_RUNS:
        return ["?"] * len(one_ns)
    fast = statistics.median(known[:max(1, len(known) // 4)])
    return ["?" if x is None else "quiet" if x <= QUIET_FACTOR * fast else "slow" for x in one_ns]


def quiet_only(cpython, cpython_one_ns, cmbench, cmbench_one_ns, target):
    """The difference over the runs of quiet minutes only, both sides; "-"
    when a side has fewer than MIN_RUNS of them."""
    a = [x for x, l in zip(cmbench, quiet_labels(cmbench_one_ns)) if l == "quiet"]
    b = [x for x, l in zip(cpython, quiet_labels(cpython_one_ns)) if l == "quiet"]
    if len(a) < MIN_RUNS or len(b) < MIN_RUNS:
        return "-"
    return "%d + %d runs: %s" % (len(b), len(a), equivalence.cell(a, b, target)[0])


def within_each(cpython, cpython_labels, cmbench, cmbench_labels, target):
    """The difference (scripts/equivalence.py's cell) within each label both
    sides have MIN_RUNS runs or more in, "label: cell; ..."; "-" when none
    ("one mode" is no mode: the row's whole difference says it).
    Shared by the per-mode and per-placement columns."""
    cells = []
    for m in sorted(set(cpython_labels) & set(cmbench_labels) - {"?", "one mode"}):
        a = [x for x, l in zip(cmbench, cmbench_labels) if l == m]
        b = [x for x, l in zip(cpython, cpython_labels) if l == m]
        if len(a) >= MIN_RUNS and len(b) >= MIN_RUNS:
            cells.append("%s: %s" % (m, equivalence.cell(a, b, target)[0]))
    return "; ".join(cells) or "-"
