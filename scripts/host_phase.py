"""host_phase.py -- the host's phase around each run of a GIL figure, and
figures compared within each phase. Used by scripts/gil-figures and
scripts/gil-verdicts.

Under a VM the host changes a vCPU's speed for seconds or minutes at a
time, and the guest sees no steal time for it (docs/GIL.md, "Round
twenty"). On 5 Dec 2026 this 2-vCPU guest went through three phases: one
vCPU slowed (2.2-2.8 turns per ns of cmbench's reference loop against the
other's 3.67), both unsteady (3.4-3.7), and both steady (3.63, to 0.01).
python2.7's count-down fell in one mode or the other by phase, and the
emulation with it, so a median over runs is the mix of phases the hour
gave. Each run is bracketed by `cmbench topo --speeds` (each CPU timed,
~25 ms in all) and labelled with the phase its CPUs were in at both ends;
compared within a phase, like with like, the difference does not depend
on the mix."""
import json
import subprocess


# A CPU below this share of the fastest reading the script has seen was
# slowed by the host: the slowed vCPU read 60-77 % of the other, and a
# quiet machine's readings stay within a few per cent.
SLOWED = 0.85
# Readings at both ends of a run within this factor of each other, every
# CPU the run used: a steady phase (3.63 to 0.01 here; unsteady spread 8 %).
STEADY = 1.03


class Probe:
    """Times each CPU before and after the runs it brackets; labels them."""

    def __init__(self, cmbench):
        self.cmbench = cmbench
        self.last = None  # the reading after the previous run: the next one's "before"
        self.fastest = 0.0  # the fastest reading of any CPU so far

    def now(self):
        """{cpu: turns per ns} of every CPU this process may use, now."""
        r = subprocess.run([self.cmbench, "topo", "--speeds", "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("cmbench topo --speeds failed (exit %d): %s" % (r.returncode, r.stderr.strip()))
        speeds = {e["cpu"]: e["turns_per_ns"] for e in json.loads(r.stdout).get("cpu_speeds_now", [])}
        self.fastest = max([self.fastest] + list(speeds.values()))
        return speeds

    def around(self, run, cpus=None):
        """run() bracketed by readings: (its result, the bracket). cpus: the
        OS CPUs the run may use (None: all); a slowed CPU it cannot use is
        not its phase. Runs back to back share a reading."""
        before = self.last if self.last is not None else self.now()
        result = run()
        self.last = self.now()
        return result, (before, self.last, cpus)

    def label(self, bracket):
        """"a CPU slowed", "unsteady" or "steady": the phase of one bracketed
        run, against the fastest reading seen so far (label a row's runs
        after the row, so that its own readings count); "?" when no CPU
        the run used was timed at both ends."""
        before, after, cpus = bracket
        used = [c for c in before if c in after and (cpus is None or c in cpus)]
        readings = [before[c] for c in used] + [after[c] for c in used]
        if not readings or self.fastest <= 0:
            return "?"
        if min(readings) < SLOWED * self.fastest:
            return "a CPU slowed"
        return "steady" if max(readings) <= STEADY * min(readings) else "unsteady"

    def labels(self, brackets):
        return [self.label(b) for b in brackets]


def column(cpython, cpython_phases, cmbench, cmbench_phases, target):
    """How many runs of each side fell in each phase, and the difference
    within each phase both sides ran in MIN_RUNS times or more:
    "steady ×12, a CPU slowed ×8 / steady ×6, ...; steady: -3 % (...)"."""
    if set(cpython_phases + cmbench_phases) <= {"?"}:
        return "-"
    import run_modes  # numpy and scipy, which the probe alone (gil-calibrate) does not need
    import where
    within = run_modes.within_each(cpython, cpython_phases, cmbench, cmbench_phases, target)
    return "%s / %s; %s" % (where.counts(cpython_phases), where.counts(cmbench_phases), within)
