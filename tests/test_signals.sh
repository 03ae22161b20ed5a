#!/usr/bin/env bash
# test_signals.sh — signals and dead streams around a run: SIGKILL or SIGHUP
# of the runner leaves no cell running; SIGHUP stops like SIGINT (exit 129,
# interrupted); a reader that goes away (`| head`) does not kill the run; a
# closed stderr does not send progress into the journal; SIGKILL of a cell
# process is noticed at once, not at --timeout; a runner stopped longer than
# --timeout does not call a finished cell timed out.
. "$(dirname "$0")/lib.sh"
marker="$tmp/cache-marker"
on_exit 'pkill -KILL -f "$marker" 2>/dev/null'
# no process of these runs within a bounded wait (they die asynchronously)
gone() { # gone LABEL
	for _ in $(seq 1 50); do
		pgrep -f -- "$marker" >/dev/null || { say "ok: $1: no process left"; return; }
		sleep 0.1
	done
	bad "$1: processes left: $(pgrep -af -- "$marker" | head -3)"
	pkill -KILL -f -- "$marker"
}
cells_in() { python3 -c "import json,sys; print(len({b['run_name'] for b in json.load(open(sys.argv[1]))['benchmarks']}))" "$1"; }
wait_for_cells() { # wait_for_cells FILE N: until FILE holds N cells (bounded)
	for _ in $(seq 1 600); do
		[ "$(cells_in "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
long=(-w countdown -m sequential,processes -n 1,2 --param n=20G --reps 2 --timeout 600)

# 1. SIGKILL of the runner: its cell process and the cell's workers end too
"$CMBENCH" run --cache-dir "$marker" "${long[@]}" -o "$tmp/k.json" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do pgrep -P $pid >/dev/null && break; sleep 0.1; done
sleep 0.5
kill -KILL $pid
wait $pid 2>/dev/null
gone "SIGKILL of the runner"

# 2. SIGHUP: like SIGINT — finished cells kept, interrupted, exit 128+1, no orphan
"$CMBENCH" run --cache-dir "$marker" -w countdown -m sequential,processes -n 1,2 --param n=1M,20G \
	--reps 2 --timeout 600 -o "$tmp/h.json" >/dev/null 2>"$tmp/err" &
pid=$!
wait_for_cells "$tmp/h.json" 1 || bad "SIGHUP: no cell finished"
kill -HUP $pid
wait $pid
rc=$?
[ $rc -eq 129 ] && python3 -c "import json; d=json.load(open('$tmp/h.json')); assert d['context']['interrupted'] is True" \
	&& grep -q "interrupted by signal 1" "$tmp/err" && say "ok: SIGHUP -> 129, interrupted, $(cells_in "$tmp/h.json") cells kept" \
	|| bad "SIGHUP: rc=$rc $(tail -2 "$tmp/err")"
gone "SIGHUP"

# 3. the reader of the output goes away: the run goes on, results complete
"$CMBENCH" run --cache-dir "$marker" -w countdown -m sequential,threads -n 1,2 --param n=1M --reps 2 \
	-o "$tmp/p.json" 2>&1 | head -2 >/dev/null
rc=${PIPESTATUS[0]}
[ $rc -eq 0 ] && [ "$(cells_in "$tmp/p.json")" -eq 4 ] && [ ! -e "$tmp/p.json.journal" ] \
	&& say "ok: run | head -2: exit 0, 4 cells written, journal done" \
	|| bad "SIGPIPE: rc=$rc cells=$(cells_in "$tmp/p.json" 2>&1) $(ls "$tmp")"

# 4. a closed stderr: progress does not land in the journal (or anywhere of ours)
"$CMBENCH" run --cache-dir "$marker" -w countdown -m sequential -n 1,2,3 --param n=1M,20G --reps 2 \
	--timeout 600 -o "$tmp/c.json" >/dev/null 2>&- &
pid=$!
wait_for_cells "$tmp/c.json" 3 || bad "2>&-: cells did not finish"
kill -INT $pid
wait $pid
python3 - "$tmp/c.json.journal" <<'PY' && say "ok: 2>&-: the journal holds only JSON lines" || bad "2>&-: journal damaged: $(head -c 300 "$tmp/c.json.journal")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 2, lines
for l in lines:
    json.loads(l)
PY
gone "2>&-"

# 5. SIGKILL of a processes cell process: recorded at once (not at --timeout
#    600) with its signal, and its workers gone
"$CMBENCH" run --cache-dir "$marker" -w countdown -m processes -n 2 --param n=20G --reps 1 --timeout 600 \
	-o "$tmp/ck.json" >/dev/null 2>"$tmp/err" &
pid=$!
cell=""
for _ in $(seq 1 300); do cell=$(pgrep -P $pid | head -1); [ -n "$cell" ] && [ "$(pgrep -P "$cell" | wc -l)" -ge 2 ] && break; sleep 0.1; done
t0=$(date +%s)
kill -KILL "$cell"
for _ in $(seq 1 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
t1=$(date +%s)
kill -0 $pid 2>/dev/null && { bad "SIGKILL of the cell: the runner still waits after $((t1 - t0)) s"; kill -INT $pid; }
wait $pid
python3 - "$tmp/ck.json" <<'PY' && say "ok: SIGKILL of the cell process recorded in $((t1 - t0)) s" || bad "SIGKILL of the cell: $(tail -2 "$tmp/err")"
import json, sys
d = json.load(open(sys.argv[1]))
e = [b for b in d["benchmarks"] if b.get("error_occurred")]
assert len(e) == 1 and "signal KILL" in e[0]["error_message"] and not e[0].get("timed_out"), e
PY
gone "SIGKILL of the cell"

# 6. the runner stopped (SIGSTOP) longer than --timeout while its cell finishes.
#    The cell sleeps (3 x 2 x 0.5 s): a CPU-bound one (count-down of 1G) took
#    over 10 s of its own on a loaded machine and timed out for that reason.
"$CMBENCH" run --cache-dir "$marker" -w sleep -m sequential -n 1 --param duration=500ms --param waits=2 \
	--reps 3 --warmup 0 --timeout 10 -o "$tmp/s.json" >/dev/null 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 300); do pgrep -P $pid >/dev/null && break; sleep 0.01; done
sleep 0.2
kill -STOP $pid
sleep 14
kill -CONT $pid
wait $pid
rc=$?
python3 - "$tmp/s.json" <<'PY' && [ $rc -eq 0 ] && say "ok: a runner stopped 14 s > --timeout 10: the finished cell is kept" || bad "SIGSTOP: rc=$rc $(tail -2 "$tmp/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert not any(b.get("error_occurred") for b in d["benchmarks"]), [b.get("error_message") for b in d["benchmarks"]]
PY
exit $fail
