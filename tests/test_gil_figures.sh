#!/usr/bin/env bash
# test_gil_figures.sh — scripts/gil-figures makes the closing-note tables of
# issue 15. With --tiny (sizes too small to mean anything: shapes only):
# - the convoy table has a row per switch interval (0.5, 5, 50 ms) and CPU
#   thread count (1, 2) with both columns, the control (CPython against
#   itself), the paired columns (each cmbench run against the CPython runs
#   around it: the difference, and whether it waited as many intervals),
#   the runs, the spread, the difference within each mode (intervals per
#   round-trip) and within each host phase (every run bracketed by cmbench
#   topo --speeds: scripts/host_phase.py), and the intervals per round-trip;
# - the legacy table gives both modes of python2.7 and of gil=legacy
#   (python2.7 run twice per cmbench run, the difference and the control),
#   unpinned, on core 0 and apart (one thread per PU, on two PUs or more),
#   with where each run's threads ended (one CPU pinned to core 0, two
#   apart), how often they blocked, the difference within each blocking
#   mode, one thread's time per iteration, the difference over the runs of
#   quiet minutes and within each host phase;
# - with 3 runs, the difference's 95 % interval and its verdict against the
#   target (within, outside, undecided), and the same pair by pair (each
#   cmbench run against the python2.7 runs before and after it), both
#   counted under the table;
# - --raw writes every row's runs (with each run's phase), which
#   scripts/gil-verdicts pools;
# - on two or more PUs the two placed convoy tables (I/O thread, CPU threads
#   and responder pinned on both sides; the responder with the CPU threads,
#   then with the I/O thread) have the same rows.
# It prints its time estimate first, and last how far the host's speed
# moved under the cmbench cells (scripts/tick_drift.py). Bad input (runs,
# parts, delay, --raw, --ccbench, --cmbench) exits 2 with one line before
# anything runs. The rest is skipped (77) without python3.11 and python2.7.
HERE=$(cd "$(dirname "$0")/.." && pwd)
: "${CMBENCH:?path to the cmbench binary}"
export CMBENCH_SOURCE_DIR=$HERE
. "$HERE/tests/lib.sh"
# Bad input: one line naming the value and what is allowed, exit 2, nothing
# measured or written (checked before the Pythons are looked for).
for args in "--runs 0" "--only convoy,bogus" "--delay -1" "--raw $tmp/no/such/dir/raw.json" "--raw $tmp" \
	"--ccbench $tmp/no-ccbench.py" "--cmbench $tmp/no-cmbench" "--convoy-rows 50/3" "--convoy-rows 5/2,,50/2"; do
	# shellcheck disable=SC2086
	"$HERE/scripts/gil-figures" --cmbench "$CMBENCH" --tiny $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "allowed" "$tmp/err" ||
		bad "gil-figures $args: exit $rc, stdout $(wc -c <"$tmp/out") bytes, stderr: $(cat "$tmp/err")"
done
[ ! -e "$tmp/no" ] || bad "gil-figures --raw created a directory"
[ $fail -eq 0 ] || exit 1
need_pythons 3.11 2.7
TMP=$tmp
"$HERE/scripts/gil-figures" --cmbench "$CMBENCH" --tiny --runs 1 --only convoy,placed,legacy --raw "$TMP/raw1.json" >"$TMP/out" 2>"$TMP/err" ||
	{ echo "FAIL: gil-figures exited $?: $(cat "$TMP/err")"; exit 1; }
grep -q "about [0-9]* minutes" "$TMP/err" || { echo "FAIL: no time estimate: $(cat "$TMP/err")"; fail=1; }
# The control column: CPython's runs before each cmbench run against those
# after it (two CPython runs per cmbench run: "2 + 1").
grep -q "| switch | CPU threads | runs | CPython rt/s | cmbench rt/s | cmbench vs CPython (95 % CI), target | control: CPython vs CPython |" "$TMP/out" ||
	{ echo "FAIL: convoy table header"; fail=1; }
tables=1
if [ "$(hwloc-calc -N pu all 2>/dev/null || echo 1)" -ge 2 ]; then
	tables=3
	grep -q "^## Convoy, placed: .* the responder on L#0" "$TMP/out" &&
		grep -q "^## Convoy, placed: .* the responder on L#1" "$TMP/out" ||
		{ echo "FAIL: the placed convoy tables (responder on L#0 and L#1)"; fail=1; }
fi
for sw in "0.5 ms" "5 ms" "50 ms"; do
	for cpu in 1 2; do
		[ "$(grep -Ec "^\| $sw \| $cpu \| 2 \+ 1 \| [0-9]+ \([0-9]+\.\.\.[0-9]+\) \| [0-9]+ \(.*\| [-+][0-9]+ % \| [-+][0-9]+ % \| [-+][0-9]+ % \(1 pair\) \| [01] of [01] \|" "$TMP/out")" -eq $tables ] ||
			{ echo "FAIL: not $tables convoy rows for $sw beside $cpu CPU threads"; fail=1; }
	done
done
# Layouts: unpinned, core 0 and, on two PUs or more, apart (one thread per PU).
[ "$(grep -c '^| [24]÷1 | \(unpinned\|core 0\|apart\) | 2 + 1 |' "$TMP/out")" -eq $((tables == 3 ? 6 : 4)) ] ||
	{ echo "FAIL: legacy table lacks the 2÷1 / 4÷1 rows in every layout"; fail=1; }
# python2.7 runs twice per cmbench run (before and after it): the runs
# column says so, and the table gives the difference, the control, where
# each run's threads ended and the difference within a placement.
grep -q "| ratio | threads | runs | python2.7 | cmbench | cmbench vs python2.7 (95 % CI), target | paired: cmbench vs the python2.7 runs beside it (95 % CI), target | control: python2.7 vs python2.7 | where the threads ended: python2.7 / cmbench | cmbench vs python2.7, same placement (95 % CI) | threads blocked per N-thread run: python2.7 / cmbench | cmbench vs python2.7, same mode (95 % CI) | one thread, ns per iteration: python2.7 / cmbench | cmbench vs python2.7, quiet minutes only (95 % CI) |" "$TMP/out" ||
	{ echo "FAIL: legacy table header"; fail=1; }
# Pinned to core 0 every run of both sides ended on one CPU; apart, on two;
# every row counts how often the threads blocked, on both sides, and gives
# one thread's time per iteration, run by run.
[ "$(grep -c '^| [24]÷1 | core 0 | 2 + 1 | .* | 1 CPU ×2 / 1 CPU ×1 | - | [0-9.k]* ([0-9.k]*\.\.\.[0-9.k]*) / [0-9.k]* ([0-9.k]*\.\.\.[0-9.k]*)[^|]* | [^|]* | [0-9.]* ([0-9.]*\.\.\.[0-9.]*) / [0-9.]* ([0-9.]*\.\.\.[0-9.]*) | [^|]* | \(steady\|unsteady\|a CPU slowed\) ×[12][^|/]* / \(steady\|unsteady\|a CPU slowed\) ×1; [^|]* |$' "$TMP/out")" -eq 2 ] ||
	{ echo "FAIL: core-0 rows do not say every run ended on one CPU"; fail=1; }
# Four threads on two CPUs also say how they were split (thread t on PU
# t mod 2: two and two); two threads on two CPUs need no split.
[ $tables -eq 1 ] || { grep -q '^| 2÷1 | apart | 2 + 1 | .* | 2 CPUs ×2 / 2 CPUs ×1 | - | .* |$' "$TMP/out" &&
	grep -q '^| 4÷1 | apart | 2 + 1 | .* | 2 CPUs (2+2) ×2 / 2 CPUs (2+2) ×1 | - | .* |$' "$TMP/out"; } ||
	{ echo "FAIL: apart rows do not say every run ended on two CPUs, four threads two and two"; fail=1; }
# Three runs give the difference its 95 % interval and a verdict against the
# target (scripts/equivalence.py), counted under the table.
"$HERE/scripts/gil-figures" --cmbench "$CMBENCH" --tiny --runs 3 --only legacy --raw "$TMP/raw.json" >"$TMP/out3" 2>"$TMP/err" ||
	{ echo "FAIL: gil-figures --runs 3 exited $?: $(cat "$TMP/err")"; exit 1; }
[ "$(grep -Ec '^\| [24]÷1 \| (unpinned|core 0|apart) \| 6 \+ 3 \|.*\| [-+][0-9]+ % \([-+][0-9]+\.\.\.[-+][0-9]+\), (within|outside|undecided)[^|]* \|' "$TMP/out3")" -eq $((tables == 3 ? 6 : 4)) ] ||
	{ echo "FAIL: legacy rows of 3 runs lack the interval and verdict"; cat "$TMP/out3"; fail=1; }
grep -Eq "^Within 10 % at 95 % confidence .*: [0-6] rows; .*: [0-6]; .*: [0-6]\.$" "$TMP/out3" ||
	{ echo "FAIL: no verdict count under the legacy table"; fail=1; }
# ... and pair by pair: each cmbench run against the python2.7 runs before
# and after it, with its interval, verdict and count, under the table too.
[ "$(grep -Ec '^\| [24]÷1 \| (unpinned|core 0|apart) \| 6 \+ 3 \|[^|]*\|[^|]*\|[^|]*\| [-+][0-9]+ % \([-+][0-9]+\.\.\.[-+][0-9]+\), (within|outside|undecided), 3 pairs[^|]* \|' "$TMP/out3")" -eq $((tables == 3 ? 6 : 4)) ] ||
	{ echo "FAIL: legacy rows of 3 runs lack the paired difference"; fail=1; }
grep -Eq "^Within 10 % at 95 % confidence \(the bootstrap interval of the paired difference .*: [0-6] rows; .*: [0-6]; .*: [0-6]\.$" "$TMP/out3" ||
	{ echo "FAIL: no paired verdict count under the legacy table"; fail=1; }
# --raw keeps every row's runs for scripts/gil-verdicts, which pools files.
cp "$TMP/raw.json" "$TMP/raw2.json"
"$HERE/scripts/gil-verdicts" "$TMP/raw.json" "$TMP/raw2.json" >"$TMP/pooled" 2>"$TMP/err" ||
	{ echo "FAIL: gil-verdicts on the raw file: $(cat "$TMP/err")"; fail=1; }
[ "$(grep -Ec '^\| [24]÷1, (unpinned|core 0|apart) \(time ratio\) \| tiny \| 2 \| 12 \+ 6 \|.*\| [0-9.]+ \([0-9.]+\.\.\.[0-9.]+\) / [0-9.]+ \([0-9.]+\.\.\.[0-9.]+\) \| [^|]* \| (steady|unsteady|a CPU slowed) ×[0-9]+[^|]* \|$' "$TMP/pooled")" -eq $((tables == 3 ? 6 : 4)) ] ||
	{ echo "FAIL: the raw file's legacy rows, pooled twice, are not 12 + 6 runs with one thread's time: $(cat "$TMP/pooled")"; fail=1; }
# Each raw row keeps, run by run, where the threads ended, how often they
# blocked, one thread's time and the host's phase around it (every run
# bracketed by cmbench topo --speeds; scripts/gil-verdicts splits the modes
# and the phases).
/usr/bin/python3 - "$TMP/raw.json" <<'PYEOF' || { echo "FAIL: raw rows lack the per-run lists"; fail=1; }
import json, sys
for r in json.load(open(sys.argv[1]))["rows"]:
    for side in ("cpython", "cmbench"):
        for k in ("where", "blocks", "one_ns", "phase"):
            v = r.get(side + "_" + k)
            assert isinstance(v, list) and len(v) == len(r[side]), (r["row"], side, k, v)
        assert set(r[side + "_phase"]) <= {"steady", "unsteady", "a CPU slowed"}, r
        assert all(isinstance(x, (int, float)) and x > 0 for x in r[side + "_one_ns"]), r
PYEOF
# The host's speed under the gil runs: how many cells' loops ran off their
# calibrated rate after the repetition, of all the cells run.
grep -Eq "^Host speed: in [0-9]+ of [1-9][0-9]* cmbench cells the tick's loop ran more than 10 % off" "$TMP/out" ||
	{ echo "FAIL: no host speed line"; fail=1; }
# The convoy rows keep each run's p90 latency (the tail a p50 does not show),
# printed in the figures and pooled by gil-verdicts.
grep -Eq "^\| 5 ms \| 1 \| 2 \+ 1 \|.*\| [0-9.]+ \([0-9.]+\.\.\.[0-9.]+\) / [0-9.]+ \([0-9.]+\.\.\.[0-9.]+\) \| [0-9.]+ \+ [0-9.]+ = [0-9.]+ \|$" "$TMP/out" ||
	{ echo "FAIL: the convoy row lacks the p90 column"; fail=1; }
/usr/bin/python3 - "$TMP/raw1.json" <<'PYEOF' || { echo "FAIL: raw convoy rows lack each run's p90 or host phase"; fail=1; }
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["rows"] if r["part"] == "convoy"]
assert len(rows) == 6, rows
for r in rows:
    for side in ("cpython", "cmbench"):
        v = r[side + "_p90_ms"]
        assert len(v) == len(r[side]) and all(isinstance(x, (int, float)) and x > 0 for x in v), (r["row"], side, v)
        ph = r[side + "_phase"]
        assert len(ph) == len(r[side]) and set(ph) <= {"steady", "unsteady", "a CPU slowed"}, (r["row"], side, ph)
PYEOF
[ "$(grep -Ec '^\| (0\.5|5|50) ms \| [12] \| 2 \+ 1 \|.*\| (steady|unsteady|a CPU slowed) ×[12][^|/]* / (steady|unsteady|a CPU slowed) ×1; [^|]* \|' "$TMP/out")" -eq $((6 * tables)) ] ||
	{ echo "FAIL: convoy rows lack the host-phase column"; fail=1; }
"$HERE/scripts/gil-verdicts" "$TMP/raw1.json" >"$TMP/pooled1" 2>"$TMP/err" ||
	{ echo "FAIL: gil-verdicts on the convoy raw file: $(cat "$TMP/err")"; fail=1; }
[ "$(grep -Ec '^\| 5 ms, 1 CPU \(round-trips/s\) \|.*\| [0-9.e+]+ \([0-9.e+]+\.\.\.[0-9.e+]+\) / [0-9.e+]+ \([0-9.e+]+\.\.\.[0-9.e+]+\) \| - \| [^|]* \| [^|]* \|$' "$TMP/pooled1")" -eq $tables ] ||
	{ echo "FAIL: gil-verdicts does not pool the convoy's p90: $(cat "$TMP/pooled1")"; fail=1; }
# --convoy-rows: the runs a row needs go to that row alone, in the raw file too.
"$HERE/scripts/gil-figures" --cmbench "$CMBENCH" --tiny --runs 1 --only convoy --convoy-rows 50/2,0.5/1 \
	--raw "$TMP/raw2.json" >"$TMP/out2" 2>"$TMP/err" || { echo "FAIL: gil-figures --convoy-rows exited $?: $(cat "$TMP/err")"; fail=1; }
[ "$(grep -Ec '^\| (0\.5|5|50) ms \| [12] \| 2 \+ 1 \|' "$TMP/out2")" -eq 2 ] &&
	grep -Eq '^\| 0\.5 ms \| 1 \| 2 \+ 1 \|' "$TMP/out2" && grep -Eq '^\| 50 ms \| 2 \| 2 \+ 1 \|' "$TMP/out2" ||
	{ echo "FAIL: --convoy-rows 50/2,0.5/1 did not run those two rows alone: $(cat "$TMP/out2")"; fail=1; }
/usr/bin/python3 -c 'import json,sys; r=[x["row"] for x in json.load(open(sys.argv[1]))["rows"]]; assert r == ["0.5 ms, 1 CPU", "50 ms, 2 CPU"], r' "$TMP/raw2.json" ||
	{ echo "FAIL: the raw file of --convoy-rows 50/2,0.5/1"; fail=1; }
[ $fail -eq 0 ] && echo "gil-figures: convoy and legacy tables complete, intervals and verdicts with 3 runs, raw runs pooled, bad input exit 2" || cat "$TMP/out"
exit $fail
