#!/usr/bin/env bash
# test_gil_cli.sh — bad gil parameters are refused before anything runs: one
# line naming the value and what is allowed, exit 2 (an unknown interpreter
# profile, an unknown policy, an overhead out of range); a good profile runs.
# cold-take: a thread that takes the lock over from another pays that much
# work holding it (every switch counts as a cold take, and the longest hold
# is at least that long); without it, no take is cold. cold-lines: a
# take-over walks that many cache lines of shared state (only a take-over:
# every cold take is a switch); own-pages: a take-over walks a line in each
# of that many pages of the thread's own; python=3.11's profile sets both
# (and the results record its own pages), python=2.7's neither. What the
# walk costs is tests/test_lock_trace.sh's. The tick's busy loop is
# calibrated once per run, before the cells fork: every cell
# of a run reports the same loop rate (tick_loops_per_us), the fastest of
# the CPUs the run may use, each timed (tick_calibration_cpus; one under
# taskset, where the workers still run), and 0 without a tick; each repetition also reports the loop timed again after it
# (tick_loops_per_us_end, over the same working set), 0 without a tick. A profile's values are what the results record (model_params:
# python=2.7 ran gil=legacy), a given value still wins, and the cells'
# names name only what was given. A working set must be a power of two;
# the tick's loop over one runs at its own calibrated rate. A repetition's
# CPU time is its measured region's: the loop timed again after it (~6 ms)
# is not in it (it was, and cells of 0.2-0.9 ms read 7.2-7.6 ms of CPU).
# A profile's unit spends its tick at the rate it was calibrated at, a
# fixed count of turns (tick_loops_per_unit = tick x tick_profile_loops_per_us,
# as gil_profiles.def says), whatever the rate timed now; a tick given in
# ns spends that many ns at the rate timed now (tick_profile_loops_per_us 0).
set -u
: "${CMBENCH:?path to the cmbench binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
expect_refused() { # what-it-must-say param...
	local want=$1
	shift
	out=$("$CMBENCH" run -w countdown -m gil -n 1 --param n=1000 "$@" -o "$TMP/x.json" 2>&1)
	rc=$?
	[ $rc -eq 2 ] || { echo "FAIL: $* exited $rc, 2 expected: $out"; fail=1; }
	[ "$(echo "$out" | wc -l)" -eq 1 ] || { echo "FAIL: $*: more than one line: $out"; fail=1; }
	echo "$out" | grep -q -- "$want" || { echo "FAIL: $*: message lacks '$want': $out"; fail=1; }
	[ -e "$TMP/x.json" ] && { echo "FAIL: $*: results written"; fail=1; }
	echo "refused: $out"
}
expect_refused "python=3.10.*none,2.7,3.11,3.12,3.13" --param python=3.10
expect_refused "gil=nope.*io-priority" --param gil=nope
expect_refused "ft-overhead=2000" --param ft-overhead=2000
"$CMBENCH" run -w countdown -m gil -n 1,2 --param n=100k --param python=2.7,3.14t --reps 1 \
	--warmup 0 -o "$TMP/ok.json" >/dev/null 2>&1 || { echo "FAIL: python=2.7,3.14t did not run"; fail=1; }
python3 - "$TMP/ok.json" <<'PY' || fail=1
import json, sys
cells = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b["run_type"] == "iteration"]
bad = []
for b in cells:
    m = b["model_params"]
    want = {"2.7": {"gil": "legacy"}, "3.14t": {"gil": "free-threaded", "ft-overhead": "10"}}[m["python"]]
    for k, v in want.items():
        if m[k] != v:
            bad.append("%s: model_params %s=%s, %s expected" % (b["name"], k, m[k], v))
    if "gil=" in b["name"] or "tick=" in b["name"]:
        bad.append("%s: a derived value in the name" % b["name"])
if len(cells) != 4 or bad:
    sys.exit("FAIL: %d cells; %s" % (len(cells), "; ".join(bad)))
print("profiles recorded: python=2.7 ran gil=legacy, 3.14t free-threaded +10 %")
PY
"$CMBENCH" run -w countdown -m gil -n 1 --param n=10k --param python=3.11 --param tick=7ns --reps 1 \
	--warmup 0 --counters none -o "$TMP/given.json" >/dev/null 2>&1 || { echo "FAIL: python=3.11,tick=7ns did not run"; fail=1; }
grep -q '"tick": "7ns"' "$TMP/given.json" && grep -q '"gil": "modern"' "$TMP/given.json" ||
	{ echo "FAIL: python=3.11 tick=7ns: the given tick or the profile's lock not recorded"; fail=1; }
expect_refused "cold-take=2s" --param cold-take=2s
expect_refused "cold-lines=-1" --param cold-lines=-1
expect_refused "cold-lines=2000000" --param cold-lines=2000000
expect_refused "own-pages=-1" --param own-pages=-1
expect_refused "own-pages=200000" --param own-pages=200000
expect_refused "working-set=5000 is not a power of two" --param working-set=5000
expect_refused "working-set=1K" --param working-set=1K
for ct in 0 20ms; do # an interval longer than the cold take: progress between switches
	"$CMBENCH" run -w countdown -m gil -n 2 --param n=200k --param switch=100ms --param cold-take=$ct \
		--reps 1 --warmup 0 --counters none -o "$TMP/ct-$ct.json" >/dev/null 2>&1 ||
		{ echo "FAIL: cold-take=$ct did not run"; fail=1; }
done
for cl in "cold-lines=20000" "own-pages=64" "python=3.11" "python=2.7" "python=3.13t"; do
	"$CMBENCH" run -w countdown -m gil -n 2 --param n=200k --param switch=1ms --param $cl \
		--reps 1 --warmup 0 --counters none -o "$TMP/$cl.json" >/dev/null 2>&1 ||
		{ echo "FAIL: $cl did not run"; fail=1; }
done
python3 - "$TMP/ct-0.json" "$TMP/ct-20ms.json" <<'PY' || fail=1
import json, sys
def stats(path):
    b = [b for b in json.load(open(path))["benchmarks"] if b["run_type"] == "iteration"][0]
    return b["model_stats"]
warm, cold = stats(sys.argv[1]), stats(sys.argv[2])
bad = []
if warm["cold_takes"] != 0:
    bad.append("cold-take=0: %d cold takes" % warm["cold_takes"])
if cold["cold_takes"] != cold["switches"] or cold["switches"] < 1:
    bad.append("cold-take=20ms: %d cold takes, %d switches" % (cold["cold_takes"], cold["switches"]))
if cold["hold_ns_max"] < 16e6:
    bad.append("cold-take=20ms: longest hold %.1f ms (at least 16 expected)" % (cold["hold_ns_max"] / 1e6))
if bad:
    sys.exit("FAIL: " + "; ".join(bad))
print("cold-take: %d switches, all cold; longest hold %.1f ms" % (cold["switches"], cold["hold_ns_max"] / 1e6))
PY
python3 - "$TMP" <<'PY' || fail=1
import json, os, sys
def stats(name):
    path = os.path.join(sys.argv[1], name + ".json")
    b = [b for b in json.load(open(path))["benchmarks"] if b["run_type"] == "iteration"][0]
    return b["model_stats"]
lines, pages, p311, p27 = stats("cold-lines=20000"), stats("own-pages=64"), stats("python=3.11"), stats("python=2.7")
bad = []
for name, s in (("cold-lines=20000", lines), ("own-pages=64", pages), ("python=3.11", p311)):
    if s["cold_takes"] != s["switches"] or s["switches"] < 1:
        bad.append("%s: %d cold takes, %d switches" % (name, s["cold_takes"], s["switches"]))
if p27["cold_takes"] != 0:
    bad.append("python=2.7: %d cold takes (its profile sets no cold lines or own pages)" % p27["cold_takes"])
params = [b for b in json.load(open(os.path.join(sys.argv[1], "python=3.11.json")))["benchmarks"]
          if b["run_type"] == "iteration"][0]["model_params"]
want = [l.split(", ")[7] for l in open(os.path.join(os.environ["CMBENCH_SOURCE_DIR"], "models/gil/gil_profiles.def"))
        if l.startswith('GIL_PROFILE("3.11"')]
if params.get("own-pages") != want[0]:
    bad.append("python=3.11 recorded own-pages=%s, its profile's %s" % (params.get("own-pages"), want[0]))
if bad:
    sys.exit("FAIL: " + "; ".join(bad))
print("cold-lines, own-pages: %d, %d and %d switches (20000 lines, 64 pages, python=3.11), all cold"
      % (lines["switches"], pages["switches"], p311["switches"]))
PY
for tick in 10ns 0; do
	"$CMBENCH" run -w countdown -m gil -n 1,2,3,4 --param n=20k --param tick=$tick --reps 2 --warmup 0 \
		--counters none -o "$TMP/tick-$tick.json" >/dev/null 2>&1 || { echo "FAIL: tick=$tick did not run"; fail=1; }
done
python3 - "$TMP" <<'PY' || fail=1
import json, os, sys
def rates(name, key="tick_loops_per_us"):
    doc = json.load(open(os.path.join(sys.argv[1], name + ".json")))
    return [b["model_stats"][key] for b in doc["benchmarks"] if b["run_type"] == "iteration"]
ticked, none = rates("tick-10ns"), rates("tick-0")
if len(ticked) != 8 or len(set(ticked)) != 1 or ticked[0] <= 0:
    sys.exit("FAIL: tick=10ns: the cells' loop rates differ or are missing: %s" % ticked)
if set(none) != {0}:
    sys.exit("FAIL: tick=0: loop rates %s, 0 expected" % none)
ended, none_ended = rates("tick-10ns", "tick_loops_per_us_end"), rates("tick-0", "tick_loops_per_us_end")
if len(ended) != 8 or min(ended) <= 0:
    sys.exit("FAIL: tick=10ns: the loop rates timed after each repetition are missing: %s" % ended)
if set(none_ended) != {0}:
    sys.exit("FAIL: tick=0: loop rates timed after the repetitions %s, 0 expected" % none_ended)
cpus, none_cpus = rates("tick-10ns", "tick_calibration_cpus"), rates("tick-0", "tick_calibration_cpus")
if set(cpus) != {len(os.sched_getaffinity(0))} or set(none_cpus) != {0}:
    sys.exit("FAIL: the calibration timed %s CPUs (tick=0: %s); %d allowed" % (cpus, none_cpus,
                                                                            len(os.sched_getaffinity(0))))
print("tick: one loop rate for the run's 8 cells (%d loops/us), the fastest of %d CPUs" % (ticked[0], cpus[0]))
PY
python3 - "$TMP" "${CMBENCH_SOURCE_DIR:?}/models/gil/gil_profiles.def" <<'PY' || fail=1
import json, os, re, sys
def stats(name):
    doc = json.load(open(os.path.join(sys.argv[1], name + ".json")))
    return [b["model_stats"] for b in doc["benchmarks"] if b["run_type"] == "iteration"][0]
profiles = {m.group(1): (int(m.group(2)), int(m.group(3)), int(m.group(4))) for m in re.finditer(
    r'^GIL_PROFILE\("([^"]+)", (\d+), "[^"]+", \d+, \d+, (\d+), \d+, \d+, \d+, (\d+),', open(sys.argv[2]).read(), re.M)}
bad = []
# 3.13t: its +40 % on the tick, kept fractional into the turns (rounded to
# whole ns first, 11 ns x 1.4 spent 67 turns where 15.4 ns are 69)
for name in ("3.11", "2.7", "3.13t"):
    tick, ft, rate = profiles[name]
    s = stats("python=" + name)
    want = int(tick * (1 + ft / 100) * rate / 1000 + 0.5)
    if rate <= 0 or s["tick_profile_loops_per_us"] != rate or s["tick_loops_per_unit"] != want:
        bad.append("python=%s: %d turns a unit at %d loops/us; the profile says %d ns at %d loops/us, %d turns"
                   % (name, s["tick_loops_per_unit"], s["tick_profile_loops_per_us"], tick, rate, want))
s = stats("tick-10ns")
now = 10 * s["tick_loops_per_us"] / 1000
if s["tick_profile_loops_per_us"] != 0 or abs(s["tick_loops_per_unit"] - now) > 1:
    bad.append("tick=10ns: %d turns a unit (profile rate %d), %.1f expected at the rate timed now"
               % (s["tick_loops_per_unit"], s["tick_profile_loops_per_us"], now))
if bad:
    sys.exit("FAIL: " + "; ".join(bad))
print("turns a unit: python=3.11 %d, python=2.7 %d, python=3.13t %d (the profiles'); tick=10ns %d at %d "
      "loops/us now" % (stats("python=3.11")["tick_loops_per_unit"], stats("python=2.7")["tick_loops_per_unit"],
                        stats("python=3.13t")["tick_loops_per_unit"],
         s["tick_loops_per_unit"], s["tick_loops_per_us"]))
PY
# Under taskset the calibration times the one CPU allowed, and the cells
# still run there (the affinity it changed is put back).
last=$(python3 -c 'import os; print(max(os.sched_getaffinity(0)))')
taskset -c "$last" "$CMBENCH" run -w countdown -m gil -n 2 --param n=20k --param tick=10ns --reps 1 --warmup 0 \
	--counters none -o "$TMP/tick-one.json" >/dev/null 2>&1 || { echo "FAIL: tick=10ns under taskset did not run"; fail=1; }
python3 - "$TMP/tick-one.json" "$last" <<'PY' || fail=1
import json, sys
b = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b["run_type"] == "iteration"][0]
m, last = b["model_stats"], int(sys.argv[2])
if m["tick_calibration_cpus"] != 1 or any(c != [last, last] for c in m["worker_cpus"]):
    sys.exit("FAIL: under taskset -c %d: calibration on %d CPUs, workers on %s" % (last, m["tick_calibration_cpus"],
                                                                                  m["worker_cpus"]))
PY
# A working set: one rate per set calibrated, the same for every cell of
# that set, and one timed again after each repetition, recorded with the
# cell's parameters. (That the loop reads and writes the set is
# test_gil_tick_spin.c's: the loop over it now runs at nearly the
# registers-only rate, so the rates cannot tell the two apart.)
"$CMBENCH" run -w countdown -m gil -n 1,2 --param n=20k --param tick=10ns --param working-set=0,16K --reps 1 \
	--warmup 0 --counters none -o "$TMP/ws.json" >/dev/null 2>&1 || { echo "FAIL: working-set=0,16K did not run"; fail=1; }
python3 - "$TMP/ws.json" <<'PY' || fail=1
import json, sys
cells = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b["run_type"] == "iteration"]
rate, end = {}, {}
for b in cells:
    rate.setdefault(b["model_params"]["working-set"], set()).add(b["model_stats"]["tick_loops_per_us"])
    end.setdefault(b["model_params"]["working-set"], []).append(b["model_stats"]["tick_loops_per_us_end"])
if sorted(rate) != ["0", "16K"] or any(len(r) != 1 for r in rate.values()):
    sys.exit("FAIL: working-set=0,16K: rates by set %s" % rate)
none, ws = rate["0"].pop(), rate["16K"].pop()
if not (ws > 0 and none > 0 and all(e > 0 for e in end["0"] + end["16K"])):
    sys.exit("FAIL: rates %d over 16K, %d without; after the repetitions %s" % (ws, none, end))
print("working set: %d loops/us over 16K, %d without" % (ws, none))
PY
# One worker: the region's CPU time is at most its wall time (plus the
# clocks' granularity), whatever the model does after the region.
"$CMBENCH" run -w countdown -m gil -n 1 --param n=2000 --param tick=10ns --param working-set=64K --reps 3 \
	--warmup 0 --counters none -o "$TMP/cpu.json" >/dev/null 2>&1 || { echo "FAIL: the CPU-time cell did not run"; fail=1; }
python3 - "$TMP/cpu.json" <<'PY' || fail=1
import json, sys
reps = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b["run_type"] == "iteration"]
unit = {"ns": 1e-3, "us": 1, "ms": 1e3, "s": 1e6}
over = [(b["cpu_time"] * unit[b["time_unit"]], b["real_time"] * unit[b["time_unit"]]) for b in reps]
if not reps or any(cpu > real + 2000 for cpu, real in over):
    sys.exit("FAIL: one worker's CPU time above its wall time by more than 2 ms (us, cpu/real): %s" % over)
print("CPU time within the region: %s" % ["%.0f/%.0f us" % x for x in over])
PY
[ $fail -eq 0 ] && echo "gil_cli: all checks passed"
exit $fail
