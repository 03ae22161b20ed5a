#!/usr/bin/env bash
# test_cli.sh — the command line: bad input gives one line naming the bad
# value and a non-zero exit; a good run writes a results file of the
# promised shape (Google Benchmark JSON + cmbench fields) and a CSV.
set -u
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_error() { # expect_error NEEDLE ARGS...
	local needle=$1; shift
	"$CMBENCH" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	local lines; lines=$(wc -l <"$tmp/err")
	if [ $rc -eq 0 ] || ! grep -qF -- "$needle" "$tmp/err" || [ "$lines" -ne 1 ]; then
		echo "FAIL: cmbench $* -> rc=$rc, stderr ($lines lines): $(cat "$tmp/err")"
		fail=1
	else
		echo "ok: cmbench $* -> $(cat "$tmp/err")"
	fi
}

expect_error "'nosuch'" run -w nosuch
expect_error "'nosuch'" run -m nosuch
expect_error "'0'" run -n 0
expect_error "'-3'" run -n 2,-3
expect_error "'abc'" run --reps abc
expect_error "'0'" run --reps 0
expect_error "'zzz'" run --param zzz=1
expect_error "n=abc" run -w countdown --param n=abc
expect_error "'fast'" run --profile fast
expect_error "'--bogus'" run --bogus
expect_error "needs a value" run --reps
expect_error "'frobnicate'" frobnicate
# the table of bad inputs (issue: bad input, everywhere)
expect_error "'100000000'" run -n 100000000
expect_error "'abc'" run -n 1,abc
expect_error "empty item" run -n ,
expect_error "empty item" run -n 1,,2
# A matrix with a cell twice would merge them in the summary and compare.
expect_error "'countdown' is given twice" run -w countdown,countdown --dry-run
expect_error "'countdown' is given twice" run -w countdown -w sha512,countdown --dry-run
expect_error "1 workers is given twice" run -n 1,1 --dry-run
expect_error "'threads' is given twice" run -m threads -m threads --dry-run
expect_error "'compact' is given twice" run --pin compact,compact --dry-run
expect_error "value '1M' is given twice" run -w countdown --param n=1M,1M --dry-run
# Every list is bounded (a fixed 256-entry array once overflowed here).
many=$(printf 'countdown,%.0s' $(seq 257)); many=${many%,}
expect_error "-w has more than 256 items" run -w "$many" --dry-run
many_w=(); for i in $(seq 300); do many_w+=(-w countdown); done
expect_error "more than 256 items" run "${many_w[@]}" --dry-run
for bad in "-w countdown,countdown" "-n 1,1"; do
	# shellcheck disable=SC2086
	"$CMBENCH" run $bad --dry-run >/dev/null 2>&1
	rc=$?
	if [ $rc -ne 2 ]; then echo "FAIL: cmbench run $bad exits $rc, not 2"; fail=1; fi
done
expect_error "n=2000G" run -w countdown --param n=2000G
expect_error "n=-1" run -w countdown --param n=-1
expect_error "size=0" run -w sha512 --param size=0
expect_error "size=1T" run -w sha512 --param size=1T
expect_error "stack=5Q" run -m threads --param stack=5Q
expect_error "'0'" run --timeout 0
expect_error "'-1'" run --warmup -1
expect_error "'x'" run --tasks-per-worker x
expect_error "not a usable path" run --cache-dir ''
expect_error "given twice" run -w countdown --param n=1M --param n=2M
expect_error "not KEY=VALUE" run --param n
expect_error "'nope' is not a workload or model" run --param nope:n=4
expect_error "cannot read" run --resume "$tmp/does-not-exist.json"
expect_error "core:99" run --pin core:99 --dry-run
limit=$(python3 -c "
v=[int(open('/proc/sys/kernel/threads-max').read()), int(open('/proc/sys/kernel/pid_max').read())-300,
   int(open('/proc/sys/vm/max_map_count').read())//2-100]
print(min(v))")
if [ "$limit" -lt 100000 ]; then
	expect_error "more workers than this system can create" run -m threads -n 100000 --dry-run
fi
printf '{"context":{"cmbench_format":99},"benchmarks":[]}' >"$tmp/newer.json"
expect_error "newer" compare "$tmp/newer.json" "$tmp/newer.json"
printf '{"context":{},"benchmarks":[{"name":"a"' >"$tmp/trunc.json"
expect_error "truncated or corrupted" compare "$tmp/trunc.json" "$tmp/trunc.json"
expect_error "unexpected argument" list extra

# a good run
"$CMBENCH" run -w countdown,integrate -m sequential,threads,processes -n 1,2 --profile quick \
	--reps 3 -o "$tmp/r.json" --csv "$tmp/r.csv" >"$tmp/out" 2>"$tmp/err" || { echo "FAIL: run: $(cat "$tmp/err")"; fail=1; }
# the summary: countdown's block, threads' row at 2 workers
grep -q "^countdown — time (ms)" "$tmp/out" && grep -Eq "^  threads +2 " "$tmp/out" ||
	{ echo "FAIL: summary lacks a row"; fail=1; }
python3 - "$tmp/r.json" <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1]))
ctx = doc["context"]
for k in ["date", "host_name", "num_cpus", "mhz_per_cpu", "caches", "library_build_type",
          "cmbench_version", "git_revision", "compiler", "options", "profile"]:
    assert k in ctx, "context lacks " + k
names = {b["name"] for b in doc["benchmarks"]}
for n in ["countdown/threads/workers:2", "countdown/threads/workers:2_median",
          "integrate/processes/workers:1_cv", "integrate/sequential/workers:2_stddev"]:
    assert n in names, "missing " + n
iters = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
assert len(iters) == 2 * 3 * 2 * 3, len(iters)
for b in doc["benchmarks"]:
    for k in ["name", "run_name", "run_type", "repetitions", "threads", "iterations", "real_time",
              "cpu_time", "time_unit", "workload", "model", "workers", "workload_params",
              "model_params", "verified", "max_rss_kb"]:
        assert k in b, b["name"] + " lacks " + k
    assert b["verified"] is True
    if b["run_type"] == "iteration":
        assert "repetition_index" in b
    else:
        assert b["aggregate_name"] in ("mean", "median", "stddev", "cv", "min", "max")
    if b.get("aggregate_name") == "median":
        assert b["speedup_vs_sequential"] > 0 and b["speedup_vs_1worker"] > 0
seq = [b for b in doc["benchmarks"] if b["name"] == "countdown/sequential/workers:1_median"][0]
assert abs(seq["speedup_vs_sequential"] - 1) < 1e-9
print("ok: results JSON has the promised shape")
PY
[ "$(head -1 "$tmp/r.csv" | cut -d, -f1)" = "name" ] && [ "$(wc -l <"$tmp/r.csv")" -eq 37 ] \
	|| { echo "FAIL: CSV: $(wc -l <"$tmp/r.csv") lines"; fail=1; }

# a swept parameter adds a dimension and appears in the name
"$CMBENCH" run -w countdown -m threads -n 1 --profile quick --reps 1 --param n=1M,2M \
	-o "$tmp/s.json" >/dev/null 2>&1 || { echo "FAIL: sweep run"; fail=1; }
python3 -c "
import json,sys; d=json.load(open('$tmp/s.json'))
n={b['name'] for b in d['benchmarks']}
assert n=={'countdown/threads/workers:1/n=1M','countdown/threads/workers:1/n=2M'}, n
print('ok: sweep names', sorted(n))" || fail=1

# a truncated results file is refused by readers, not half-read (checked via compare/plot when present)
exit $fail
