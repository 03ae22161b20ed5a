#!/usr/bin/env bash
# test_cpython_compare.sh — scripts/cpython-compare runs python3 and cmbench's
# gil model side by side (tiny sizes, one repetition) and prints a ratio for
# every row; a bad workload name is one line and a non-zero exit.
set -uo pipefail
script="$CMBENCH_SOURCE_DIR/scripts/cpython-compare"
fail=0
out=$("$script" --cmbench "$CMBENCH" --reps 1 --scale 0.02 --only countdown,convoy --python2 none 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: cpython-compare exited $rc"; fail=1; }
# countdown: unpinned and pinned; convoy: 1 and 2 CPU threads, each both ways
rows=$(echo "$out" | grep -cE '^(countdown|convoy) .* [0-9]+\.[0-9]+ \[[0-9.]+-[0-9.]+\] +[0-9]+\.[0-9]+ \[')
[ "$rows" -eq 6 ] || { echo "FAIL: $rows rows with two ratios, 6 expected"; fail=1; }
echo "$out" | grep -q 'core 0' || { echo "FAIL: no pinned rows"; fail=1; }
err=$("$script" --cmbench "$CMBENCH" --only nope 2>&1) && { echo "FAIL: --only nope accepted"; fail=1; }
[ "$(echo "$err" | wc -l)" -eq 1 ] && echo "$err" | grep -q "unknown workload 'nope'" ||
	{ echo "FAIL: bad workload message: $err"; fail=1; }
# --ccbench: a stand-in for ccbench.py that prints its output format (fixed
# figures) proves the parsing and the side-by-side lines, fast.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/ccbench.py" <<'PY'
import sys
n = int(sys.argv[sys.argv.index("-n") + 1])
print("== CPython stand-in ==\n\n--- Throughput ---\n\nPi calculation (Python)\n")
for t in range(1, n + 1):
    print("threads=%d: %d" % (t, 1000) + (" iterations/s." if t == 1 else " ( 97 %)"))
print("\n--- Latency ---\n\nBackground CPU task: Pi calculation (Python)\n")
for t in range(n + 1):
    print("CPU threads=%d: %d ms. (std dev: %d ms.)" % (t, 5 * t, t))
print("\n--- I/O bandwidth ---\n\nBackground CPU task: Pi calculation (Python)\n")
for t in range(n + 1):
    print("CPU threads=%d: %.1f" % (t, 8000.0 / (t + 1)) + (" packets/s." if t == 0 else " ( %d %%)" % (100 // (t + 1))))
PY
out=$("$script" --cmbench "$CMBENCH" --ccbench "$tmp/ccbench.py" --ccbench-threads 2 \
	--ccbench-duration 200ms --switch-interval 0.001 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: cpython-compare --ccbench exited $rc"; fail=1; }
thr=$(echo "$out" | grep -cE '^[12] +1000 +(100|97) +[0-9]+ +[0-9]+$')
[ "$thr" -eq 2 ] || { echo "FAIL: $thr throughput rows with both columns, 2 expected"; fail=1; }
lat=$(echo "$out" | grep -cE '^[012] +[0-9.]+ ms \(sd +[0-9.]+\) +[0-9.]+ ms \(sd')
[ "$lat" -eq 3 ] || { echo "FAIL: $lat latency rows, 3 expected"; fail=1; }
bw=$(echo "$out" | grep -cE '^[012] +[0-9.]+/s +[0-9]+ % +[0-9.]+/s +[0-9]+ %')
[ "$bw" -eq 3 ] || { echo "FAIL: $bw bandwidth rows, 3 expected"; fail=1; }
err=$("$script" --cmbench "$CMBENCH" --ccbench "$tmp/none.py" 2>&1) && { echo "FAIL: missing ccbench accepted"; fail=1; }
[ "$(echo "$err" | wc -l)" -eq 1 ] && echo "$err" | grep -q "no ccbench.py at" ||
	{ echo "FAIL: missing ccbench message: $err"; fail=1; }
[ $fail -eq 0 ] && echo "cpython_compare: all checks passed"
exit $fail
