#!/usr/bin/env bash
# test_cli_strict.sh — the run command line means one thing: numbers in
# plain decimal, no empty list items, options of one value given once,
# bounded lists, checked task arithmetic, cell names never cut; argv is not
# rewritten; --resume refuses files it cannot trust and runs it does not
# continue; runs without -o never share a file; latest.json follows each cell.
. "$(dirname "$0")/lib.sh"
refused() { # refused LABEL PATTERN ARGS...
	local label=$1 pattern=$2; shift 2
	"$CMBENCH" run --cache-dir "$tmp/c" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -- "$pattern" "$tmp/err" \
		&& say "ok: $label: $(cat "$tmp/err")" || bad "$label: rc=$rc $(head -c 300 "$tmp/err")"
}
q=(-w countdown -m sequential --param n=1M --reps 1 --warmup 0)
refused "-n ' 1'" "' 1'" "${q[@]}" -n ' 1' --dry-run
refused "-n +2" "'+2'" "${q[@]}" -n +2 --dry-run
refused "--min-time 0x10" "0x10" "${q[@]}" -n 1 --min-time 0x10 --dry-run
refused "-n 1,,2" "empty item" "${q[@]}" -n 1,,2 --dry-run
refused "-o twice" "given twice" "${q[@]}" -n 1 -o "$tmp/a.json" -o "$tmp/b.json"
refused "--reps twice" "given twice" "${q[@]}" -n 1 --reps 3 --dry-run
refused "--profile twice" "given twice" "${q[@]}" -n 1 --profile quick --profile full --dry-run
refused "-n given 300 times" "more than 256" "${q[@]}" $(for i in $(seq 1 300); do echo -n "-n $i "; done) --dry-run
refused "-w given 257 times" "more than 256" -m sequential $(for i in $(seq 1 257); do echo -n "-w countdown "; done) --dry-run
refused "-n 65536 --tasks-per-worker 65537" "4295032832 tasks" -w countdown -m sequential -n 65536 --tasks-per-worker 65537 --dry-run
refused "-n 3000 --tasks-per-worker 1000000" "3000000000 tasks" -w countdown -m sequential -n 3000 --tasks-per-worker 1000000 --dry-run
# argv is not rewritten in place: ps shows the command as typed
"$CMBENCH" run --cache-dir "$tmp/c" -w countdown -m sequential,threads -n 1,2 --param n=20G --reps 1 -o "$tmp/ps.json" \
	>/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -e "$tmp/ps.json" ] && break; sleep 0.1; done
args=$(tr '\0' ' ' </proc/$pid/cmdline)
kill -INT $pid; wait $pid
case "$args" in *"-m sequential,threads -n 1,2 --param n=20G"*) say "ok: argv intact: $args" ;; *) bad "argv rewritten: $args" ;; esac

# --resume: files it cannot trust, runs it does not continue
"$CMBENCH" run --cache-dir "$tmp/c" "${q[@]}" -n 1,2 -o "$tmp/r.json" >/dev/null 2>&1 || bad "run r.json"
python3 - "$tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1] + "/r.json"))
x = json.loads(json.dumps(d))
for b in x["benchmarks"]:
    b.pop("run_name", None)
json.dump(x, open(sys.argv[1] + "/norun.json", "w"))
x = json.loads(json.dumps(d))
x["benchmarks"][0]["real_time"] = "fast"
json.dump(x, open(sys.argv[1] + "/fast.json", "w"))
PY
refused "--resume of entries without run_name" "run_name" "${q[@]}" -n 1,2 --resume "$tmp/norun.json"
refused "--resume with real_time \"fast\"" '"fast"' "${q[@]}" -n 1,2 --resume "$tmp/fast.json"
refused "--resume with other counters" "counters" "${q[@]}" -n 1,2 --counters none --resume "$tmp/r.json"
refused "--resume with another --min-time" "min_time_s" "${q[@]}" -n 1,2 --min-time 1 --resume "$tmp/r.json"
refused "--resume with another --timeout" "timeout_s" "${q[@]}" -n 1,2 --timeout 7 --resume "$tmp/r.json"
refused "--resume with other workloads" "workloads" -w countdown,integrate -m sequential --param n=1M --reps 1 --warmup 0 -n 1,2 --resume "$tmp/r.json"
python3 -c "
import json; d=json.load(open('$tmp/r.json')); d['context']['host_name']='elsewhere'; json.dump(d, open('$tmp/host.json','w'))"
refused "--resume of another machine's file" "another machine" "${q[@]}" -n 1,2 --resume "$tmp/host.json"

# runs without -o started together: one file each; latest.json after each cell
mkdir "$tmp/cwd"; cd "$tmp/cwd"
for i in 1 2 3; do "$CMBENCH" run --cache-dir "$tmp/c" "${q[@]}" -n 1 >/dev/null 2>&1 & done
wait
n=$(ls results/run-*.json | wc -l)
[ "$n" -eq 3 ] && say "ok: 3 runs without -o at once: 3 files" || bad "runs without -o share files: $(ls results)"
"$CMBENCH" run --cache-dir "$tmp/c" -w countdown -m sequential -n 1,2 --param n=1M,20G --reps 1 --warmup 0 >/dev/null 2>&1 &
pid=$!
got=0
for _ in $(seq 1 600); do
	c=$(python3 -c "import json; print(len({b['run_name'] for b in json.load(open('results/latest.json'))['benchmarks'] if 'n=20G' not in b['run_name']}))" 2>/dev/null || echo 0)
	[ "$c" -ge 2 ] && { got=1; break; }
	sleep 0.1
done
kill -INT $pid; wait $pid
[ $got -eq 1 ] && say "ok: latest.json holds the cells finished so far, mid-run" || bad "latest.json not updated after each cell"
exit $fail
