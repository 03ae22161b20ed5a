#!/usr/bin/env bash
# test_gil_verdicts.sh — scripts/gil-verdicts pools the raw files of several
# gil-figures runs (--raw) and judges each row again: one file's row of 7
# cmbench runs scattering ±20 % is undecided against 15 % (and says how
# many runs would tell), the same row
# pooled with a second file's (14 runs) is within; a row of another run
# size (--quick) stays apart. Bad input — no file, a missing file, a file
# that is not JSON, JSON that is not a raw file, a row whose runs are not
# numbers or whose placements are not one per run, a file given twice (its runs would count twice) — gets one line naming it and what is allowed, exit 2, and
# nothing on stdout. Count-down rows that say where each run's threads
# ended (1 CPU or 2) are also compared within each placement: python2.7's
# mixture of both against the emulation's runs, all apart, differs; apart
# against apart is within. Rows that give each run's voluntary switches
# are split into python2.7's two modes, blocking and few blocks, where the
# pooled counts part (scripts/run_modes.py): a mixture of both against the
# emulation's mostly blocking runs is undecided, each mode against its like
# within; one side blocking ten times more in every run is no second mode;
# counts not one per run are bad input. Runs whose one thread ran slow (a
# slow minute of the host) are left out of the quiet-minutes column, which
# then compares like with like. Runs labelled by host phase (a vCPU
# slowed, steady) are compared within each phase: a different mix of
# phases on the two sides is undecided, each phase against its like within;
# phases not one string per run are bad input. Each emulation run is also
# judged against the python2.7 runs before and after it (paired): modes
# that last minutes on both sides leave the unpaired medians undecided, the
# pairs within. Run with Debian's python3 and
# python3-scipy.
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tests/lib.sh"
PY=/usr/bin/python3
"$PY" -c 'import scipy' 2>/dev/null || { echo "FAIL: $PY with scipy is needed (scripts/deps installs python3-scipy)"; exit 1; }
V=$HERE/scripts/gil-verdicts
(cd "$tmp" && "$PY" - <<'PYEOF'
import json
def doc(rows): return {"gil_figures_raw": 1, "runs": 7, "size": "full", "rows": rows}
def row(cp, cm, size="full"):
    return {"part": "convoy", "row": "5 ms, 2 CPU", "unit": "round-trips/s", "target_pct": 15,
            "size": size, "cpython": cp, "cmbench": cm}
cp = [80, 88, 95, 100, 105, 112, 120] * 2
cm = [82, 90, 97, 100, 103, 110, 118]
json.dump(doc([row(cp, cm)]), open("a.json", "w"))
json.dump(doc([row([x * 1.01 for x in cp], [x * 0.99 for x in cm]), row(cp, cm, size="quick")]),
          open("b.json", "w"))
json.dump({"benchmarks": []}, open("other.json", "w"))
bad = doc([row(cp, cm)])
bad["rows"][0]["cmbench"] = ["fast"]
json.dump(bad, open("badrow.json", "w"))
open("text.json", "w").write("not json\n")
# A count-down row whose runs say where their threads ended: python2.7 ran
# 4 runs on one CPU (ratio ~1.1) and 10 apart (~4.2), the emulation 7 apart
# (~4.1). All against all mixes the modes; within "2 CPUs" they agree.
one, apart = [1.08, 1.1, 1.12, 1.1], [4.1, 4.15, 4.2, 4.25, 4.3, 4.2, 4.1, 4.22, 4.18, 4.2]
cd = {"part": "legacy", "row": "2÷1, unpinned", "unit": "time ratio", "target_pct": 10, "size": "full",
      "cpython": one + apart, "cmbench": [4.05, 4.1, 4.15, 4.2, 4.12, 4.18, 4.1],
      "cpython_where": ["1 CPU"] * 4 + ["2 CPUs"] * 10, "cmbench_where": ["2 CPUs"] * 7}
json.dump(doc([cd]), open("where.json", "w"))
short = dict(cd, cmbench_where=["2 CPUs"] * 6)
json.dump(doc([short]), open("badwhere.json", "w"))
# Two modes per run: python2.7 7 runs blocking (ratio ~4.8, ~50,000 blocks)
# and 7 few blocks (~2.9, ~6,000); the emulation 6 blocking (~4.9), 3 few
# (~3.0). Medians: ~3.8 against ~4.9, undecided (+28 %); each mode within.
pb, pf = [4.6, 4.7, 4.8, 4.8, 4.85, 4.9, 5.0], [2.8, 2.85, 2.9, 2.9, 2.95, 3.0, 2.9]
md = {"part": "legacy", "row": "2÷1, apart", "unit": "time ratio", "target_pct": 10, "size": "full",
      "cpython": pb + pf, "cmbench": [4.8, 4.85, 4.9, 4.9, 4.95, 5.0, 2.95, 3.0, 3.05],
      "cpython_blocks": [52000, 48000, 55000, 50000, 61000, 47000, 53000, 6000, 5200, 7100, 4000, 8800, 6500, None],
      "cmbench_blocks": [44000, 46000, 41000, 45000, 43000, 47000, 9000, 7000, 8000],
      "cpython_one_ns": [15.1] * 14, "cmbench_one_ns": [14.9] * 9}
json.dump(doc([md]), open("modes.json", "w"))
# The emulation blocking ten times less in every run, python2.7 in one mode:
# one mode, no split.
apartrow = dict(md, cpython=pb * 2, cmbench=pb, cpython_blocks=[50000 + 100 * i for i in range(14)],
                cmbench_blocks=[5000 + 100 * i for i in range(7)], cpython_one_ns=[15.1] * 14,
                cmbench_one_ns=[14.9] * 7)
json.dump(doc([apartrow]), open("onemode.json", "w"))
json.dump(doc([dict(md, cmbench_blocks=[44000] * 8)]), open("badblocks.json", "w"))
json.dump(doc([dict(md, cpython_p90_ms=[5.3] * 13)]), open("badp90.json", "w"))
# A slow phase: python2.7's 14 runs, 10 in quiet minutes (one thread 15
# ns, ratio ~4.8) and 4 whose one thread ran at 30 ns (ratio ~2.5); the
# emulation's 7, quiet, ~4.9. All runs: undecided; quiet minutes only,
# 10 + 7 runs, within.
slow = {"part": "legacy", "row": "4÷1, apart", "unit": "time ratio", "target_pct": 10, "size": "full",
        "cpython": [4.6, 4.7, 4.8, 4.8, 4.85, 4.9, 5.0, 4.75, 4.8, 4.9, 2.4, 2.5, 2.5, 2.6],
        "cmbench": [4.8, 4.85, 4.9, 4.9, 4.95, 5.0, 4.9],
        "cpython_one_ns": [15.0, 15.2, 15.1, 15.4, 15.0, 15.3, 15.6, 15.2, 15.1, 15.0, 30.1, 29.5, 31.0, 30.2],
        "cmbench_one_ns": [15.0, 15.1, 14.9, 15.2, 15.0, 15.1, 15.0]}
json.dump(doc([slow]), open("slow.json", "w"))
# Host phases: python2.7's 14 runs, 8 steady (ratio ~2.9) and 6 with a vCPU
# slowed (~4.8); the emulation's 7, 3 steady (~3.0) and 4 slowed (~4.9).
# The mixes differ (medians 2.98 against 4.8: +61 %, undecided); each phase
# against its like is within.
ph = {"part": "legacy", "row": "2÷1, apart", "unit": "time ratio", "target_pct": 10, "size": "full",
      "cpython": [2.8, 2.85, 2.9, 2.9, 2.95, 3.0, 2.9, 2.95, 4.7, 4.8, 4.8, 4.85, 4.9, 4.75],
      "cmbench": [2.95, 3.0, 3.0, 4.8, 4.85, 4.9, 4.95],
      "cpython_phase": ["steady"] * 8 + ["a CPU slowed"] * 6,
      "cmbench_phase": ["steady"] * 3 + ["a CPU slowed"] * 4}
json.dump(doc([ph]), open("phase.json", "w"))
# Pairs: python2.7 ran before and after each emulation run. For 3 pairs
# both sides were in the few-blocks mode (~2.9, ~3.0), for 4 blocking (~5.3,
# ~5.45): the unpooled medians mix the modes (undecided), pair by pair the
# emulation is +3 %, within.
tm = {"part": "legacy", "row": "4÷1, unpinned", "unit": "time ratio", "target_pct": 10, "size": "full",
      "cpython": [2.9, 2.92, 2.88, 2.9, 2.91, 2.89, 5.3, 5.32, 5.28, 5.3, 5.31, 5.29, 5.3, 5.3],
      "cmbench": [2.99, 2.98, 3.0, 5.46, 5.47, 5.45, 5.46]}
json.dump(doc([tm]), open("pairs.json", "w"))
json.dump(doc([dict(ph, cmbench_phase=["steady"] * 6)]), open("badphase.json", "w"))
json.dump(doc([dict(ph, cmbench_phase=[1] * 7)]), open("badphase2.json", "w"))
PYEOF
) || { echo "FAIL: could not write the test files"; exit 1; }
"$V" "$tmp/a.json" >"$tmp/one" 2>"$tmp/err" || bad "one file: exit $?: $(cat "$tmp/err")"
grep -q "^| 5 ms, 2 CPU (round-trips/s) | full | 1 | 14 + 7 | .* undecided (about [0-9]* + [0-9]* runs would tell, if the spread held) | [^|]*, 7 pairs[^|]* | - | - | - | - | - | - | - | - |$" "$tmp/one" ||
	bad "one file's row is not undecided, with the runs that would tell: $(cat "$tmp/one")"
"$V" "$tmp/a.json" "$tmp/b.json" >"$tmp/two" 2>"$tmp/err" || bad "two files: exit $?: $(cat "$tmp/err")"
grep -q "^| 5 ms, 2 CPU (round-trips/s) | full | 2 | 28 + 14 | .* within | [^|]*, 14 pairs[^|]* | - | - | - | - | - | - | - | - |$" "$tmp/two" ||
	bad "pooled row is not within: $(cat "$tmp/two")"
grep -q "^| 5 ms, 2 CPU (round-trips/s) | quick | 1 | 14 + 7 | " "$tmp/two" ||
	bad "the quick row was pooled with the full ones: $(cat "$tmp/two")"
grep -q "^Within 15 % .*: 1 rows; .*: 0; .*: 1\.$" "$tmp/two" || bad "no verdict count: $(cat "$tmp/two")"
# expect NAME REGEX WHY: gil-verdicts on $tmp/NAME.json prints a line
# matching REGEX, else WHY with what it printed.
expect() {
	"$V" "$tmp/$1.json" >"$tmp/$1" 2>"$tmp/err" || { bad "$1 file: exit $?: $(cat "$tmp/err")"; return; }
	grep -q "$2" "$tmp/$1" || bad "$3: $(cat "$tmp/$1")"
}
expect where "^| 2÷1, unpinned (time ratio) | full | 1 | 14 + 7 | .* | 2 CPUs ×10, 1 CPU ×4 / 2 CPUs ×7 | 2 CPUs: [-+][0-9]* % ([-+0-9.]*), within | - | - | - | - | - | - |$" "the same-placement difference is not within"
expect modes "^| 2÷1, apart (time ratio) | full | 1 | 14 + 9 | .* undecided [^|]* | - | - | - | blocking ×7, few blocks ×6, ? ×1 / blocking ×6, few blocks ×3 | blocking: [-+][0-9]* % ([-+0-9.]*), within; few blocks: [-+][0-9]* % ([-+0-9.]*), within | - | 15.1 (15.1...15.1) / 14.9 (14.9...14.9) | 14 + 9 runs: [^|]* | - |$" "the modes are not told apart, or not within each"
expect onemode "^| 2÷1, apart (time ratio) | full | 1 | 14 + 7 | .* | one mode ×14 / one mode ×7 | - | " "one side blocking more in every run was taken for two modes"
expect slow "^| 4÷1, apart (time ratio) | full | 1 | 14 + 7 | .* undecided [^|]* | .* | 10 + 7 runs: [-+][0-9]* % ([-+0-9.]*), within | - |$" "the runs of quiet minutes are not compared alone"
expect phase "^| 2÷1, apart (time ratio) | full | 1 | 14 + 7 | .* undecided [^|]* | .* | steady ×8, a CPU slowed ×6 / a CPU slowed ×4, steady ×3; a CPU slowed: [-+][0-9]* % ([-+0-9.]*), within; steady: [-+][0-9]* % ([-+0-9.]*), within |$" "the host phases are not compared like with like"
expect pairs "^| 4÷1, unpinned (time ratio) | full | 1 | 14 + 7 | .* undecided [^|]* | +3 % ([-+0-9.]*), within, 7 pairs | " "the runs are not judged pair by pair"
for args in "" "$tmp/missing.json" "$tmp/badphase.json" "$tmp/badphase2.json" "$tmp/badwhere.json" "$tmp/badblocks.json" "$tmp/badp90.json" "$tmp/text.json" "$tmp/other.json" "$tmp/badrow.json" "$tmp/a.json $tmp/badrow.json" "$tmp/a.json $tmp/a.json"; do
	# shellcheck disable=SC2086
	"$V" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] || bad "gil-verdicts $args: exit $rc, not 2"
	[ ! -s "$tmp/out" ] || bad "gil-verdicts $args printed a table: $(cat "$tmp/out")"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "allowed" "$tmp/err" ||
		bad "gil-verdicts $args: not one line saying what is allowed: $(cat "$tmp/err")"
done
[ $fail -eq 0 ] && echo "gil-verdicts: pooled rows narrow the interval, sizes kept apart, modes compared like with like, bad input exit 2"
exit $fail
