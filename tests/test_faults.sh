#!/usr/bin/env bash
# test_faults.sh — faults injected into real runs: a hung cell, Ctrl-C
# (SIGINT) and SIGTERM mid-run, resume, a truncated results file, an
# unwritable output. After each: what was measured is kept, and no process
# of the run is left behind.
set -u
fail=0
tmp=$(mktemp -d)
marker="$tmp/cache-marker"   # a unique argument: finds leftover processes of these runs
trap 'pkill -KILL -f "$marker" 2>/dev/null; rm -rf "$tmp"' EXIT
say() { echo "$@"; }
bad() { echo "FAIL: $*"; fail=1; }
leftovers() { # leftovers LABEL
	sleep 0.3
	local n; n=$(pgrep -f -- "$marker" | wc -l)
	[ "$n" -eq 0 ] && say "ok: $1: 0 leftover processes" || { bad "$1: $n leftover processes"; ps -ef | grep -- "$marker" | grep -v grep; }
	local z; z=$(ps -eo stat,args | grep -- "$marker" | grep -c '^Z')
	[ "$z" -eq 0 ] || bad "$1: $z zombies"
}
run() { "$CMBENCH" run --cache-dir "$marker" "$@"; }

# 1. a hung cell (a count-down of 10^12, ~5 minutes) under processes: stopped
#    at --timeout, recorded as timed_out, and the next cell still runs
run -w countdown -m processes -n 2 --param n=1000G,1M --reps 2 --timeout 2 -o "$tmp/hang.json" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || bad "hung cell: exit $rc, wanted 1"
python3 - "$tmp/hang.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
e = [b for b in d["benchmarks"] if b.get("error_occurred")]
assert len(e) == 1 and e[0]["timed_out"] is True and e[0]["ran_s"] >= 2, e
assert "timed out" in e[0]["error_message"]
ok = [b for b in d["benchmarks"] if b["name"] == "countdown/processes/workers:2/n=1M_median"]
assert ok and ok[0]["verified"], "the cell after the hung one was not measured"
print("ok: hung cell recorded as timed_out after %.1f s; next cell measured" % e[0]["ran_s"])
PY
leftovers "hung cell"

# 2. SIGINT mid-run: finished cells kept, context.interrupted, exit 130
"$CMBENCH" run --cache-dir "$marker" -w countdown -m sequential,threads,processes -n 1,2 \
	--param n=300M --reps 3 -o "$tmp/int.json" >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 200); do
	python3 -c "import json,sys; d=json.load(open('$tmp/int.json')); sys.exit(0 if len(d['benchmarks'])>=2 else 1)" 2>/dev/null && break
	sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || bad "SIGINT: exit $rc, wanted 130"
python3 - "$tmp/int.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["context"].get("interrupted") is True
cells = {b["run_name"] for b in d["benchmarks"]}
assert 1 <= len(cells) < 6, cells
print("ok: SIGINT kept %d finished cells, marked interrupted" % len(cells))
PY
grep -q "interrupted by signal 2" "$tmp/err" || bad "SIGINT: no notice"
[ -f "$tmp/int.json.journal" ] || bad "SIGINT: journal removed"
leftovers "SIGINT"

# 3. --resume keeps those cells and measures the rest
run -w countdown -m sequential,threads,processes -n 1,2 --param n=300M --reps 3 \
	--resume "$tmp/int.json" >"$tmp/out" 2>"$tmp/err" || bad "resume failed: $(tail -2 "$tmp/err")"
grep -q "kept from the resumed file" "$tmp/err" || bad "resume kept nothing"
python3 - "$tmp/int.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert "interrupted" not in d["context"]
cells = {b["run_name"] for b in d["benchmarks"]}
assert len(cells) == 6, cells
med = [b for b in d["benchmarks"] if b.get("aggregate_name") == "median"]
assert len(med) == 6 and all("speedup_vs_sequential" in b for b in med)
print("ok: resume completed the matrix: %d cells" % len(cells))
PY
[ ! -f "$tmp/int.json.journal" ] || bad "journal left after a finished run"
# resuming with other options is refused
run -w countdown -m threads -n 1 --reps 4 --resume "$tmp/int.json" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "reps" "$tmp/err" && say "ok: resume with other --reps refused: $(cat "$tmp/err")" || bad "resume with other options accepted"

# 4. SIGTERM: exit 143
"$CMBENCH" run --cache-dir "$marker" -w countdown -m threads -n 1,2 --param n=2G --reps 3 \
	-o "$tmp/term.json" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] && say "ok: SIGTERM -> 143" || bad "SIGTERM: exit $rc, wanted 143"
leftovers "SIGTERM"

# 5. a truncated results file: resume rebuilds from the journal; without one it is refused
head -c 300 "$tmp/hang.json" >"$tmp/trunc.json"
run -w countdown -m threads -n 1 --resume "$tmp/trunc.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "truncated or corrupted" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
	&& say "ok: truncated file refused: $(cat "$tmp/err")" || bad "truncated file: rc=$rc $(cat "$tmp/err")"
# the journal of a run of these options (its header line), torn in its first cell
run -w countdown -m threads -n 1 --profile quick -o "$tmp/trunc.json" >/dev/null 2>&1
python3 - "$tmp/trunc.json" <<'PY'
import json, sys
ctx = json.load(open(sys.argv[1]))["context"]
with open(sys.argv[1] + ".journal", "w") as f:
    f.write(json.dumps({"journal": "cmbench-journal-1", "context": ctx}) + "\n")
    f.write('{"cell":"countdown/threads/workers:1","entries":[{"name":"x","run_name":"countdown/threads/workers:1"')
open(sys.argv[1], "w").write('{"context": {"da')
PY
run -w countdown -m threads -n 1 --profile quick --resume "$tmp/trunc.json" >/dev/null 2>"$tmp/err" \
	&& grep -q "recovered 0 cells" "$tmp/err" && say "ok: damaged journal line dropped, run completed" \
	|| bad "journal recovery: $(cat "$tmp/err")"

# 6. an unwritable output is found before anything is measured
run -w countdown -n 1 -o /nonexistent/dir/r.json >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "/nonexistent/dir/r.json" "$tmp/err" && say "ok: unwritable output: $(cat "$tmp/err")" \
	|| bad "unwritable output: rc=$rc $(cat "$tmp/err")"
exit $fail
