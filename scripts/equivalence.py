"""equivalence -- whether a difference between cmbench's runs and CPython's
is within a target, given how far each side moved from run to run.

Issue 15's targets compare medians ("within 15 %"), and on a shared VM a
median of 7 runs moves by about that much on its own (gil-figures' control
column). A point difference can then meet a target in one run of the script
and miss it in the next without anything having changed. The confidence
interval of the difference says which of the two a run can tell:

- within: the whole 95 % interval lies inside +-target;
- outside: the whole interval lies beyond it (a real difference);
- undecided: the interval straddles a bound: these runs cannot tell. The
  cell then says how many runs would (runs_to_tell), if the spread held.

The interval is a percentile bootstrap (scipy.stats.bootstrap, resampling
each side apart) of median(a) / median(b) - 1, with a fixed seed so that a
table prints the same interval for the same runs.

paired_cell judges the same difference run by run instead: each cmbench
run against the two CPython runs beside it (the one before and the one
after, seconds apart), so that a host phase or a mode the machine fell in
for minutes weighs on both sides of every pair alike; the interval is then
a bootstrap of the median of the pairs' ratios."""
import math
import os
import statistics
import sys

try:
    import numpy as np
    from scipy import stats
except ImportError as e:  # the scripts that import this one stop here, in one line
    sys.exit("%s: %s: needs numpy and scipy (Debian python3-scipy, which scripts/deps installs); "
             "run it as scripts/%s, with /usr/bin/python3"
             % (os.path.basename(sys.argv[0]), e, os.path.basename(sys.argv[0])))

LEVEL = 0.95
RESAMPLES = 4000
SEED = 15  # issue 15: any fixed seed; printed intervals are reproducible


def _ratio(a, b, axis=-1):
    return np.median(a, axis=axis) / np.median(b, axis=axis) - 1.0


def interval(a, b):
    """(low, high) of median(a) / median(b) - 1 at LEVEL, in %, or None
    when either side has fewer than 3 runs or b a run of 0 (a resample's
    median could then be 0: no interval means anything there)."""
    if len(a) < 3 or len(b) < 3 or min(b) <= 0:
        return None
    res = stats.bootstrap((np.asarray(a, float), np.asarray(b, float)), _ratio, vectorized=True,
                          paired=False, confidence_level=LEVEL, n_resamples=RESAMPLES,
                          method="percentile", random_state=np.random.default_rng(SEED))
    ci = res.confidence_interval
    return ci.low * 100.0, ci.high * 100.0


def verdict(ci, target_pct):
    """'within', 'outside' or 'undecided' for an interval (in %) and a
    symmetric target; '-' without an interval."""
    if ci is None:
        return "-"
    low, high = ci
    if -target_pct <= low and high <= target_pct:
        return "within"
    if low > target_pct or high < -target_pct:
        return "outside"
    return "undecided"


def runs_to_tell(d, ci, target_pct, na, nb):
    """For an undecided difference d (%) with interval ci: the runs a side
    (na + nb scaled alike) whose interval, as wide relative to its runs as
    this one and around the same difference, would lie on one side of the
    target's bounds: an interval narrows as 1 / sqrt(runs). None when d sits
    on a bound (no number of runs would tell)."""
    low, high = ci
    if abs(d) < target_pct:  # within, once both ends are inside
        need = max(((d - low) / (d + target_pct)) ** 2, ((high - d) / (target_pct - d)) ** 2)
    elif d > target_pct:  # outside above, once the low end is past the bound
        need = ((d - low) / (d - target_pct)) ** 2
    elif d < -target_pct:
        need = ((high - d) / (-target_pct - d)) ** 2
    else:
        return None
    if abs(abs(d) - target_pct) < 0.5:
        return None
    return math.ceil(na * need), math.ceil(nb * need)


def cell(a, b, target_pct):
    """(the table cell 'difference % (low...high), verdict', the verdict):
    a against b, the difference of their medians."""
    if statistics.median(b) <= 0:
        return "- (no difference from a median of 0)", "-"
    d = (statistics.median(a) / statistics.median(b) - 1) * 100
    ci = interval(a, b)
    if ci is None:
        return "%+.0f %%" % d, "-"
    return judged(d, ci, target_pct, "", lambda more: "%d + %d runs" % more, (len(b), len(a)))


def judged(d, ci, target_pct, count, would_tell, runs):
    """(the cell, the verdict) of difference d with interval ci: "d %
    (low...high), verdict" + count, and for an undecided one how many runs
    would tell (would_tell formats runs_to_tell's pair, for `runs` now)."""
    v = verdict(ci, target_pct)
    text = "%+.0f %% (%+.0f...%+.0f), %s%s" % (d, ci[0], ci[1], v, count)
    if v == "undecided":
        more = runs_to_tell(d, ci, target_pct, *runs)
        text += (" (about %s would tell, if the spread held)" % would_tell(more) if more
                 else " (on the bound: no number of runs would tell)")
    return text, v


def pair_ratios(cmbench, cpython):
    """Each cmbench run k over the geometric mean of CPython's runs 2k and
    2k+1 (before and after it), minus 1; [] unless CPython ran twice per
    cmbench run, in that order, all above 0."""
    if len(cpython) != 2 * len(cmbench) or min(cpython, default=0) <= 0:
        return []
    return [c / (cpython[2 * k] * cpython[2 * k + 1]) ** 0.5 - 1 for k, c in enumerate(cmbench)]


def paired_cell(r, target_pct):
    """(the cell 'difference % (low...high), verdict', the verdict): the
    median of pair ratios r (pair_ratios, of one run or several pooled) and
    its 95 % percentile bootstrap interval (fixed seed); '-' without pairs,
    no interval under 3."""
    if not r:
        return "-", "-"
    d = statistics.median(r) * 100
    if len(r) < 3:
        return "%+.0f %% (%d pair%s)" % (d, len(r), "" if len(r) == 1 else "s"), "-"
    res = stats.bootstrap((np.asarray(r, float),), np.median, vectorized=True, confidence_level=LEVEL,
                          n_resamples=RESAMPLES, method="percentile", random_state=np.random.default_rng(SEED))
    ci = (res.confidence_interval.low * 100.0, res.confidence_interval.high * 100.0)
    return judged(d, ci, target_pct, ", %d pairs" % len(r), lambda more: "%d pairs" % more[0], (len(r), len(r)))


def summary(verdicts, target_pct, what="the difference"):
    """One line counting the rows of a table by verdict."""
    n = {v: verdicts.count(v) for v in ("within", "outside", "undecided")}
    return ("Within %g %% at %.0f %% confidence (the bootstrap interval of %s inside "
            "the target): %d rows; outside it (the whole interval beyond): %d; undecided (the "
            "interval straddles a bound: these runs cannot tell): %d."
            % (target_pct, LEVEL * 100, what, n["within"], n["outside"], n["undecided"]))
