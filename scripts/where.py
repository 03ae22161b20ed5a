"""where.py -- where a run's threads ended, and figures compared within each
placement. Unpinned, the OS places a GIL's threads by what else runs as they
start, and the GIL keeps them there (one runnable thread gives the balancer
nothing to move): python2.7's two-thread count-down takes about one
thread's time when both share a CPU and three to four times it apart
(docs/GIL.md, "Round ten"). Both sides report it the same way: cmbench's
model_stats and scripts/cpython-workloads.py's count-down give worker_cpus
([first, last] OS CPU per thread) and cpus_at_end. Used by
scripts/gil-figures and scripts/gil-verdicts."""
import collections

import run_modes  # numpy and scipy (equivalence): it says so if they are missing


def label(stats):
    """"1 CPU", "2 CPUs", ... (how many CPUs the threads ended on), then
    how the threads were split over those CPUs when some CPU held more than
    one ("2 CPUs (3+1)": four threads are not always two and two, and
    python2.7's 4-thread count-down runs about a tenth faster three and one
    than two and two; docs/GIL.md, "Round twenty-five"), and ", moved" when
    a thread ended on another CPU than it began on; "?" if the run does not
    say."""
    n, cpus = stats.get("cpus_at_end"), stats.get("worker_cpus")
    if not isinstance(n, (int, float)) or not isinstance(cpus, list):
        return "?"
    n = int(n)
    pairs = [c for c in cpus if isinstance(c, list) and len(c) == 2]
    moved = any(c[0] != c[1] for c in pairs)
    shares = sorted(collections.Counter(c[1] for c in pairs).values(), reverse=True)
    split = " (%s)" % "+".join(map(str, shares)) if n > 1 and len(shares) == n and shares[0] > 1 else ""
    return "%d CPU%s%s%s" % (n, "" if n == 1 else "s", split, ", moved" if moved else "")


def counts(labels):
    """"2 CPUs ×10, 1 CPU ×4": how many runs ended each way, commonest first."""
    tally = {}
    for w in labels:
        tally[w] = tally.get(w, 0) + 1
    return ", ".join("%s ×%d" % kv for kv in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))) or "-"


def same_placement(cpython, cpython_where, cmbench, cmbench_where, target):
    """The difference (scripts/equivalence.py's cell) within each placement
    both sides ran in at least 3 times: like with like when the OS placed
    the threads of the two sides differently. "-" when there is none."""
    return run_modes.within_each(cpython, cpython_where, cmbench, cmbench_where, target)
