#!/usr/bin/env bash
# test_compare.sh — `cmbench compare` on hand-made results pairs
# (tests/data/make_compare_data.py): a planted 20% slowdown is caught,
# identical samples are unchanged, bad input exits 2 with a clear message.
set -u
: "${CMBENCH:?path to the built cmbench}" "${CMBENCH_SOURCE_DIR:?repository root}"
D=$CMBENCH_SOURCE_DIR/tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0 passed=0

ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

# expect_exit WHAT CODE ARGS... — run compare, keep stdout/stderr in $T/out, $T/err
expect_exit() {
	local what=$1 want=$2
	shift 2
	"$CMBENCH" compare "$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
		bad "$what: exit $got, want $want"; sed 's/^/     /' "$T/err" "$T/out" | head -20; fi
}
# expect_grep WHAT FILE REGEX
expect_grep() {
	if grep -Eq -- "$3" "$2"; then ok "$1"; else bad "$1: no /$3/ in:"; sed 's/^/     /' "$2" | head -20; fi
}
expect_no_grep() {
	if grep -Eq -- "$3" "$2"; then bad "$1: /$3/ found in:"; grep -E -- "$3" "$2" | head -5; else ok "$1"; fi
}

slow=countdown/threads/workers:2

# A planted 20% slowdown in one cell: that cell, and only it, is slower in
# every metric; with --fail-on-regression the exit status is 1.
expect_exit "planted slowdown fails the gate" 1 --fail-on-regression \
	-m real_time,cpu_time,speedup -f csv "$D/compare_base.json" "$D/compare_slow20.json"
expect_grep "slowdown: real_time slower" "$T/out" "^\"$slow\",\"real_time\",.*\"slower\""
expect_grep "slowdown: cpu_time slower" "$T/out" "^\"$slow\",\"cpu_time\",.*\"slower\""
expect_grep "slowdown: speedup_vs_sequential slower" "$T/out" "^\"$slow\",\"speedup_vs_sequential\",.*\"slower\""
expect_grep "slowdown: speedup_vs_1worker slower" "$T/out" "^\"$slow\",\"speedup_vs_1worker\",.*\"slower\""
expect_grep "slowdown: change near +20%" "$T/out" "^\"$slow\",\"real_time\",[0-9.]+,[0-9.]+,0\.(19|2[01])"
n=$(grep -c '"slower"' "$T/out")
[ "$n" -eq 4 ] && ok "only the planted cell is slower" || bad "$n rows slower, want 4"

# Without --fail-on-regression the same comparison exits 0.
expect_exit "slowdown without the gate flag" 0 "$D/compare_base.json" "$D/compare_slow20.json"
expect_grep "table says slower" "$T/out" "$slow +real_time .* slower"

# A change measured while other processes kept the machine busy says so.
expect_exit "slowdown on a busy machine" 0 "$D/compare_base.json" "$D/compare_slow20_busy.json"
expect_grep "busy: noted" "$T/out" "$slow +real_time .* slower +other processes kept 0.00 CPUs busy in BASE, 1.20 in NEW"
# So does one measured while the host slowed the CPU (a reference loop's
# speed at the cell's start and end, as shares of the run's).
expect_exit "slowdown on a slowed CPU" 0 "$D/compare_base.json" "$D/compare_slow20_slowcpu.json"
expect_grep "slowed CPU: noted" "$T/out" "$slow +real_time .* slower +the CPU ran at 100% and 60% of its run's speed in NEW"
expect_no_grep "slowed CPU: only that cell" "$T/out" "countdown/threads/workers:1 .*the CPU ran"

# A 20% speed-up is faster, not a regression.
expect_exit "planted speed-up passes the gate" 0 --fail-on-regression -f csv \
	-m real_time,speedup "$D/compare_base.json" "$D/compare_fast20.json"
expect_grep "speed-up: faster" "$T/out" "^\"$slow\",\"real_time\",.*\"faster\""

# Identical samples: everything unchanged, p = 1.
expect_exit "identical files" 0 --fail-on-regression -f csv -m real_time,cpu_time,speedup \
	"$D/compare_base.json" "$D/compare_base.json"
expect_no_grep "identical: nothing but unchanged" "$T/out" '"(slower|faster|not comparable)"'
expect_grep "identical: p = 1" "$T/out" ',1,5,5,"unchanged"'

# Another quiet run (+-1.5% noise) is unchanged under the 5% threshold.
expect_exit "A/A pair" 0 --fail-on-regression -f csv -m real_time,speedup "$D/compare_base.json" "$D/compare_aa.json"
expect_no_grep "A/A: no slower cell" "$T/out" '"slower"'

# The threshold is a minimum effect size: at 25% the 20% slowdown is not slower.
expect_exit "20% under a 25% threshold" 0 --fail-on-regression -t 25% \
	"$D/compare_base.json" "$D/compare_slow20.json"
expect_grep "under threshold: noted" "$T/out" "$slow .*unchanged +significant but under the 25% threshold"

# Not comparable, said not guessed.
expect_exit "too few repetitions" 0 --fail-on-regression "$D/compare_fewreps.json" "$D/compare_fewreps.json"
expect_grep "too few repetitions: said" "$T/out" "not comparable +too few repetitions \(3 vs 3\)"
expect_exit "different profile" 0 --fail-on-regression "$D/compare_base.json" "$D/compare_quick.json"
expect_grep "different profile: said" "$T/err" "warning: not comparable: different profile: ci in BASE, quick in NEW"
# A machine that does not list its caches (no cpu*/cache in sysfs, as in
# many VMs) is not "a different machine": the planted slowdown still fails.
python3 - "$D/compare_slow20.json" "$T/nocaches.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["context"]["caches"] = []
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit "caches unknown in NEW: still compared" 1 --fail-on-regression -m real_time \
	"$D/compare_base.json" "$T/nocaches.json"
expect_no_grep "caches unknown: no 'caches differ'" "$T/err" "caches differ"
expect_exit "different machine" 0 --fail-on-regression -f json "$D/compare_base.json" "$D/compare_4cpus.json"
expect_grep "different machine: in JSON" "$T/out" '"warning": "different machine \(CPUs\): 2 in BASE, 4 in NEW"'
expect_exit "missing cells" 0 --fail-on-regression "$D/compare_base.json" "$D/compare_missing.json"
expect_grep "only in BASE" "$T/out" "integrate/processes/workers:2 +real_time .*not comparable +only in BASE"
expect_grep "only in NEW" "$T/out" "countdown/threads/workers:4 +real_time .*not comparable +only in NEW"
expect_exit "failed cell" 0 --fail-on-regression "$D/compare_base.json" "$D/compare_failed.json"
expect_grep "failed cell: reason" "$T/out" "not comparable +failed in NEW: verification failed"
expect_exit "unsupported counter" 0 --fail-on-regression -m instructions "$D/compare_base.json" "$D/compare_aa.json"
expect_grep "unsupported counter: reason" "$T/out" "instructions unsupported: no hardware PMU"
expect_exit "counter compared" 0 -m context-switches -f csv "$D/compare_base.json" "$D/compare_aa.json"
expect_grep "counter: unchanged" "$T/out" '"context-switches",11,11,0,'

# Markdown for a CI page.
expect_exit "markdown" 0 -f markdown -m speedup "$D/compare_base.json" "$D/compare_slow20.json"
expect_grep "markdown: header" "$T/out" '^\| Benchmark \| Metric \| Base \| New \| Change \| p \| Reps \| Verdict \| Note \|$'
expect_grep "markdown: slower in bold" "$T/out" "^\| $slow \| speedup_vs_sequential \|.*\| \*\*slower\*\* \|"
expect_exit "output file" 0 -f json -o "$T/cmp.json" "$D/compare_base.json" "$D/compare_aa.json"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["slower"] == 0 and d["rows"]' "$T/cmp.json"; then
	ok "json output parses"; else bad "json output does not parse"; fi

# Bad input: exit 2 and one clear line.
expect_exit "not JSON" 2 "$D/compare_base.json" "$D/compare_not_json.json"
expect_grep "not JSON: says so" "$T/err" "compare_not_json.json is not a valid results file: JSON error at line [0-9]+"
expect_exit "no benchmarks" 2 "$D/compare_no_benchmarks.json" "$D/compare_base.json"
expect_grep "no benchmarks: says so" "$T/err" 'compare_no_benchmarks.json is not a results file: it has no "benchmarks" array'
expect_exit "no common names" 2 "$D/compare_base.json" "$D/compare_other_names.json"
expect_grep "no common names: says so" "$T/err" "no benchmark names in common"
expect_exit "missing file" 2 "$D/compare_base.json" "$T/does-not-exist.json"
expect_grep "missing file: says so" "$T/err" "cannot read .*does-not-exist.json: No such file"
expect_exit "one file only" 2 "$D/compare_base.json"
expect_exit "bad threshold" 2 -t 5 "$D/compare_base.json" "$D/compare_aa.json"
expect_grep "bad threshold: allowed values" "$T/err" "--threshold '5' is not valid \(allowed: a percentage like 5% or a fraction like 0.05\)"
expect_exit "bad alpha" 2 --alpha 1.5 "$D/compare_base.json" "$D/compare_aa.json"
expect_exit "bad format" 2 -f yaml "$D/compare_base.json" "$D/compare_aa.json"
expect_grep "bad format: allowed values" "$T/err" "--format 'yaml' is not known \(allowed: table, markdown, json, csv\)"
expect_exit "unknown option" 2 --frobnicate "$D/compare_base.json" "$D/compare_aa.json"
for f in "$T/err"; do
	[ "$(wc -l <"$f")" -eq 1 ] && ok "error is one line" || bad "error is $(wc -l <"$f") lines"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
