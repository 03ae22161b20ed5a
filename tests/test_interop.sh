#!/usr/bin/env bash
# test_interop.sh — real results files are read by Google Benchmark's own
# compare.py (Debian's libbenchmark-tools, /usr/share/benchmark/compare.py,
# run with /usr/bin/python3 and scipy): two runs, a file with a failed cell,
# a file with a skipped cell, aggregates-only files. github-action-benchmark's
# "googlecpp" parsing (no node here) stays re-implemented in
# tests/interop_gbench.py.
set -u
: "${CMBENCH:?path to the built cmbench}" "${CMBENCH_SOURCE_DIR:?repository root}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
COMPARE=/usr/share/benchmark/compare.py
PY=/usr/bin/python3
if [ ! -f "$COMPARE" ] || ! "$PY" -c 'import scipy' 2>/dev/null; then
	echo "FAIL $COMPARE and python3-scipy are needed (scripts/deps installs libbenchmark-tools)"
	exit 1
fi
pass=0 failed=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
# compare.py FILE1 FILE2: exit 0 and no Python traceback
compare() {
	"$PY" "$COMPARE" --no-color benchmarks "$1" "$2" >"$T/out" 2>"$T/err" && ! grep -q Traceback "$T/err"
}

for run in a b; do
	"$CMBENCH" run --profile quick -w integrate -m sequential,threads -n 1,2 --reps 3 \
		--warmup 0 -o "$T/$run.json" --aggregates-json "$T/$run-agg.json" >/dev/null 2>"$T/$run.err" ||
		{ echo "FAIL cmbench run:"; cat "$T/$run.err"; exit 1; }
done
if compare "$T/a.json" "$T/b.json" && grep -q '^integrate/threads/workers:2 ' "$T/out"; then
	ok "compare.py reads two results files"
else
	bad "compare.py on two results files: $(cat "$T/err" "$T/out" | tail -5)"
fi
# Times in us: compare.py prints no decimals, so a cell of some ms must not read "0" or "6".
if awk '/^integrate\/sequential\/workers:1 /{ if ($(NF-3) + 0 >= 100 && $(NF-1) + 0 >= 100) found = 1 } END { exit !found }' "$T/out"; then
	ok "compare.py keeps the precision of the times (us)"
else
	bad "compare.py prints times without precision: $(grep '^integrate/sequential/workers:1 ' "$T/out")"
fi
"$PY" "$CMBENCH_SOURCE_DIR/tests/interop_gbench.py" "$T/a.json" "$T/b.json" >"$T/gh" &&
	ok "github-action-benchmark's parsing reads the file" || bad "$(cat "$T/gh")"

# A failed cell (timed out) is an entry compare.py can read.
"$CMBENCH" run --profile quick -w countdown -m sequential -n 1 --param n=1000G --timeout 1 \
	-o "$T/failed.json" >/dev/null 2>&1
"$PY" - "$T/failed.json" <<'PYEOF' && ok "a failed cell has error_occurred, error_message, real_time, cpu_time" || bad "failed cell entry"
import json, sys
e = json.load(open(sys.argv[1]))["benchmarks"][0]
assert e["error_occurred"] is True and "timed out" in e["error_message"], e
assert e["real_time"] == 0 and e["cpu_time"] == 0 and e["time_unit"] == "us", e
PYEOF
if compare "$T/a.json" "$T/failed.json"; then
	ok "compare.py reads a file with a failed cell"
else
	bad "compare.py on a file with a failed cell: $(tail -3 "$T/err")"
fi

# A skipped cell, rendered by cmbench: a file that holds one (the model side
# that skips is the workload contract's) is kept by --resume and rewritten.
"$PY" - "$T/a.json" "$T/skipped.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
cell = "integrate/threads/workers:2"
first = [b for b in d["benchmarks"] if b["run_name"] == cell][0]
keep = [b for b in d["benchmarks"] if b["run_name"] != cell]
skip = {k: first[k] for k in ("run_name", "workload", "model", "workers", "tasks", "threads",
                              "workload_params", "model_params", "pin")}
skip.update(name=cell, run_type="iteration", skipped=True, skip_message="not supported here")
d["benchmarks"] = keep + [skip]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
"$CMBENCH" run --profile quick -w integrate -m sequential,threads -n 1,2 --reps 3 --warmup 0 \
	--resume "$T/skipped.json" >/dev/null 2>&1
"$PY" - "$T/skipped.json" <<'PYEOF' && ok "a skipped cell is written as Google Benchmark writes one" || bad "skipped cell entry"
import json, sys
s = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("skipped")]
assert len(s) == 1, s
e = s[0]
assert e["skip_message"] == "not supported here" and "error_occurred" not in e, e
for k in ("name", "run_name", "run_type", "repetitions", "threads", "iterations", "real_time",
          "cpu_time", "time_unit"):
    assert k in e, k
PYEOF
if compare "$T/a.json" "$T/skipped.json"; then
	ok "compare.py reads a file with a skipped cell"
else
	bad "compare.py on a file with a skipped cell: $(tail -3 "$T/err")"
fi

# Aggregates only (for dashboards): no repetition entry where there are aggregates.
"$PY" - "$T/a-agg.json" <<'PYEOF' && ok "--aggregates-json holds aggregates only" || bad "--aggregates-json"
import json, sys
b = json.load(open(sys.argv[1]))["benchmarks"]
assert b and all(e["run_type"] == "aggregate" for e in b), [e["name"] for e in b]
assert {e["aggregate_name"] for e in b} == {"mean", "median", "stddev", "cv", "min", "max"}
PYEOF
if compare "$T/a-agg.json" "$T/b-agg.json" && grep -q '^integrate/threads/workers:2_median ' "$T/out"; then
	ok "compare.py reads aggregates-only files"
else
	bad "compare.py on aggregates-only files: $(tail -3 "$T/err")"
fi

# The checks can fail: compare.py refuses a file without real_time.
"$PY" - "$T/a.json" "$T/broken.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["benchmarks"]:
    b.pop("real_time", None)
json.dump(d, open(sys.argv[2], "w"))
PYEOF
if compare "$T/broken.json" "$T/b.json"; then
	bad "compare.py accepted a file without real_time"
else
	ok "compare.py refuses a file without real_time"
fi
if "$PY" "$CMBENCH_SOURCE_DIR/tests/interop_gbench.py" "$T/broken.json" "$T/b.json" >/dev/null; then
	bad "the github-action-benchmark checker accepted a file without real_time"
else
	ok "the github-action-benchmark checker refuses a file without real_time"
fi
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
