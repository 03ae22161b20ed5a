#!/usr/bin/env bash
# test_measure_cli.sh — `cmbench run --counters/--min-time` from the command
# line: bad values refused in one line; every asked event is either counted
# or unsupported with a reason; --min-time adds repetitions; each cell has
# warnings, a median interval and speedup intervals, the load over the
# cell with the CPU's speed at its start and end (shares of the same CPU's at
# the run's start, and those CPUs); the context describes
# the machine. Perf counters are counted in repetitions of their own by
# default (--counting separate), in the timed ones with --counting inline;
# the default profile's repetitions adapt (--precision, --budget) and record
# why they stopped; warnings are grouped by kind at the end of the run.
set -u
fail=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if ! "$@"; then echo "FAIL: $what" >&2; fail=1; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

err=$("$CMBENCH" run -w countdown -m sequential --counters task-clock,bogus -o "$tmp/x.json" 2>&1)
check "--counters bogus exits 2" test $? -eq 2
check "--counters names the bad event and the allowed ones" grep -q "unknown event 'bogus' (allowed: all, none" <<<"$err"
err=$("$CMBENCH" run -w countdown -m sequential --min-time abc -o "$tmp/x.json" 2>&1)
check "--min-time abc exits 2" test $? -eq 2
check "--min-time names the bad value" grep -q "min-time 'abc' is not allowed" <<<"$err"

"$CMBENCH" run -w countdown -m sequential,threads -n 1,2 --profile quick --reps 7 \
	--counters all -o "$tmp/all.json" >"$tmp/out" 2>&1
check "run with all counters exits 0" test $? -eq 0
check "summary shows speedup intervals" grep -q 'vs seq \[95% CI\]' "$tmp/out"
"$CMBENCH" run -w countdown -m threads -n 2 --profile quick --reps 4 --counting inline \
	--counters task-clock,context-switches -o "$tmp/inline.json" >/dev/null 2>&1
check "run with --counting inline exits 0" test $? -eq 0
err=$("$CMBENCH" run -w countdown --counting sometimes -o "$tmp/x.json" 2>&1)
check "--counting sometimes exits 2 naming the value" grep -q "counting 'sometimes' is not allowed" <<<"$err"
for bad in "--precision 3x" "--precision 101%" "--budget -1" "--budget 1e3"; do
	# shellcheck disable=SC2086
	err=$("$CMBENCH" run -w countdown $bad -o "$tmp/x.json" 2>&1)
	check "$bad exits 2" test $? -eq 2
	check "$bad: one line naming the value" test "$(grep -c "is not allowed" <<<"$err")" = 1
done
err=$("$CMBENCH" run -w countdown --reps 5 --precision 2% -o "$tmp/x.json" 2>&1)
check "--reps with --precision exits 2" test $? -eq 2
# adaptive (the default profile's rule, sizes of the quick one): 3 to 10
# repetitions, stopping at +-50% (reached at 6) or 0.2 s of measured time;
# two busy loops beside it make every cell's load warning certain
burners=()
for _ in 1 2; do (while :; do :; done) & burners+=($!); done
"$CMBENCH" run -w countdown -m sequential,threads -n 1,2 --param n=20M --precision 50% \
	--budget 0.2 --counters task-clock -o "$tmp/adaptive.json" >"$tmp/adaptive.out" 2>"$tmp/adaptive.err"
check "adaptive run exits 0" test $? -eq 0
# The load figure needs a window of 0.2 s, which the adaptive run's short
# cells may not reach, and its noise warnings are chance (none at all in one
# TSan run of CI, 5 Dec 2026): cells of at least 0.3 s (--min-time) beside
# the same busy loops always see them, on any number of CPUs.
"$CMBENCH" run -w countdown -m sequential,threads -n 1,2 --param n=20M --reps 3 --min-time 0.3 \
	--counters none -o "$tmp/busy.json" >/dev/null 2>"$tmp/busy.err"
check "busy run exits 0" test $? -eq 0
kill "${burners[@]}" 2>/dev/null
wait "${burners[@]}" 2>/dev/null
check "warnings grouped: one line per kind, none under the cells" \
	test "$(grep -c '^        warning:' "$tmp/adaptive.err" "$tmp/busy.err" | grep -vc ':0$')" = 0
check "warnings grouped: a kind names its cells once" \
	grep -Eq '^warning: other processes busy during the cell in [1-4] of 4 cells:' "$tmp/busy.err"
check "grouped warning lines fit 100 columns" \
	test "$(grep '^warning: ' "$tmp/adaptive.err" | awk '{ if (length($0) > 100) n++ } END { print n + 0 }')" = 0
check "the answer after the summary" grep -q '^countdown — fixed work (time, lower is better)' "$tmp/adaptive.out"
"$CMBENCH" report "$tmp/adaptive.json" -o "$tmp/adaptive-report" >"$tmp/report.out" 2>/dev/null
check "cmbench report prints the same answer" \
	diff <(sed -n '/^countdown — fixed work/,/^$/p' "$tmp/adaptive.out" | sed '/^$/d') \
	<(sed -n '/^countdown — fixed work/,/^\//p' "$tmp/report.out" | grep -v '^/')
"$CMBENCH" run -w countdown -m sequential -n 1 --profile quick --reps 2 --min-time 0.3 \
	--counters none -o "$tmp/none.json" >/dev/null 2>&1
check "run with --min-time exits 0" test $? -eq 0

python3 - "$tmp/all.json" "$tmp/none.json" "$tmp/inline.json" "$tmp/adaptive.json" \
	"$tmp/adaptive.err" <<'PY' || fail=1
import json, os, sys
ok = True
def expect(cond, what):
    global ok
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        ok = False
doc = json.load(open(sys.argv[1]))
speeds_known = 0
asked = doc["context"]["options"]["counters"]
expect(len(asked) == 7, "all = 7 events: %s" % asked)
# counted apart (the default): 3 counter repetitions after the 7 timed ones;
# their counts ride with the first 3 iteration entries, every aggregate has them
expect(doc["context"]["options"]["counting"] == "separate", "counting recorded: separate")
for e in doc["benchmarks"]:
    if e["run_type"] == "iteration" and e["repetition_index"] >= 3:
        expect("counters" not in e, "%s #%d: counts beyond the 3 counter repetitions"
               % (e["name"], e["repetition_index"]))
        continue
    if e.get("aggregate_name"):
        expect(e.get("counter_repetitions") == 3, "%s: counter_repetitions %s"
               % (e["name"], e.get("counter_repetitions")))
        expect(e.get("reps_stop") == "max", "%s: --reps 7 stops at max: %s" % (e["name"], e.get("reps_stop")))
    counted, unsup = e.get("counters", {}), e.get("counters_unsupported", {})
    for name in asked:
        here = [k for k in list(counted) + list(unsup) if k.split(":u")[0] == name]
        expect(len(here) == 1, "%s: %s counted or unsupported once" % (e["name"], name))
    for name, why in unsup.items():
        expect(isinstance(why, str) and len(why) > 10, "%s: reason for %s" % (e["name"], name))
        expect(name not in counted, "%s: %s both counted and unsupported" % (e["name"], name))
    expect(isinstance(e.get("warnings"), list), "%s: warnings array" % e["name"])
    if e.get("aggregate_name") == "median":
        lo, hi = e["median_ci"]
        expect(lo <= e["real_time"] <= hi, "%s: median inside its interval" % e["name"])
        expect(0.98 < e["median_ci_level"] < 0.99, "7 reps: [min, max] at 1 - 2/128")
        s, (slo, shi) = e["speedup_vs_sequential"], e["speedup_vs_sequential_ci"]
        expect(slo <= s <= shi, "%s: speedup inside its interval" % e["name"])
        expect("load" in e, "%s: load over the cell" % e["name"])
        # a probe that moved CPU meanwhile reads unknown (null), its CPU too
        ld = e.get("load", {})
        cpus = ld.get("cpu_speed_cpus")
        expect(isinstance(cpus, list) and len(cpus) == 2, "%s: cpu_speed_cpus %s" % (e["name"], cpus))
        for k, c in zip(("cpu_speed_start", "cpu_speed_end"), cpus or []):
            x = ld.get(k)
            expect((x is None and c is None) or (isinstance(x, float) and x > 0 and isinstance(c, int)
                                                 and 0 <= c < os.cpu_count()),
                   "%s: %s %s on CPU %s" % (e["name"], k, x, c))
            speeds_known += x is not None
expect(speeds_known > 0, "no cell's CPU speed known")
if "task-clock" in doc["benchmarks"][0]["counters"]:
    seq = [e for e in doc["benchmarks"] if e["run_name"] == "countdown/sequential/workers:1"
           and e["run_type"] == "iteration" and "counters" in e]
    expect(len(seq) == 3 and all(e["counters"]["task-clock"] > 0 for e in seq), "task-clock counted")
ctx = doc["context"]
for k in ("cpu_model", "kernel", "virtualization", "compiler", "c_flags", "load_avg_after",
          "cpu_governor", "cpu_boost"):
    expect(k in ctx, "context.%s" % k)
expect(isinstance(ctx["virtualization"]["virtualised"], bool), "virtualised is a bool")

none = json.load(open(sys.argv[2]))
its = [e for e in none["benchmarks"] if e["run_type"] == "iteration"]
expect(all(e["counters"] == {} and e["counters_unsupported"] == {} for e in its),
       "--counters none: nothing counted, nothing unsupported")
seconds = lambda e: e["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}[e["time_unit"]]
total = sum(seconds(e) for e in its)
expect(len(its) > 2 and total >= 0.3, "--min-time 0.3: %d reps, %.3f s" % (len(its), total))
expect(total - seconds(its[-1]) < 0.3, "--min-time stops once enough was measured")
inline = json.load(open(sys.argv[3]))
expect(inline["context"]["options"]["counting"] == "inline", "counting recorded: inline")
its = [e for e in inline["benchmarks"] if e["run_type"] == "iteration"]
expect(len(its) == 4 and all("task-clock" in e.get("counters", {}) or
                             "task-clock" in e.get("counters_unsupported", {}) for e in its),
       "--counting inline: every timed repetition counted")
ad = json.load(open(sys.argv[4]))
o = ad["context"]["options"]
expect((o["reps_min"], o["reps"], o["precision"], o["budget_s"]) == (3, 10, 0.5, 0.2),
       "adaptive options recorded: %s" % o)
busy = "busy before the run" in open(sys.argv[5]).read()
expect(busy == any("busy before the run" in w for w in ad["context"].get("warnings", [])),
       "the run-level warning (said: %s) kept in context.warnings" % busy)
for e in ad["benchmarks"]:
    if e.get("aggregate_name") != "median":
        continue
    n, stop = e["repetitions"], e.get("reps_stop")
    expect(3 <= n <= 10, "%s: %d repetitions" % (e["name"], n))
    expect(stop in ("precision", "budget", "max"), "%s: reps_stop %s" % (e["name"], stop))
    expect(stop != "precision" or n >= 6, "%s: precision from 6 repetitions on" % e["name"])
    expect(stop != "max" or n == 10, "%s: max at 10" % e["name"])
sys.exit(0 if ok else 1)
PY
exit $fail
