#!/usr/bin/env bash
# test_measure_cli.sh — `cmbench run --counters/--min-time` from the command
# line: bad values refused in one line; every asked event is either counted
# or unsupported with a reason; --min-time adds repetitions; each cell has
# warnings, a median interval and speedup intervals; the context describes
# the machine.
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
"$CMBENCH" run -w countdown -m sequential -n 1 --profile quick --reps 2 --min-time 0.3 \
	--counters none -o "$tmp/none.json" >/dev/null 2>&1
check "run with --min-time exits 0" test $? -eq 0

python3 - "$tmp/all.json" "$tmp/none.json" <<'PY' || fail=1
import json, sys
ok = True
def expect(cond, what):
    global ok
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        ok = False
doc = json.load(open(sys.argv[1]))
asked = doc["context"]["options"]["counters"]
expect(len(asked) == 7, "all = 7 events: %s" % asked)
for e in doc["benchmarks"]:
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
if "task-clock" in doc["benchmarks"][0]["counters"]:
    seq = [e for e in doc["benchmarks"] if e["run_name"] == "countdown/sequential/workers:1"
           and e["run_type"] == "iteration"]
    expect(all(e["counters"]["task-clock"] > 0 for e in seq), "task-clock counted")
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
sys.exit(0 if ok else 1)
PY
exit $fail
