#!/usr/bin/env bash
# test_output_stdout.sh — `run -o -` streams the results JSON to standard
# output (nothing else there: progress, warnings, the summary and the paths
# go to stderr) and creates no file named "-"; `--csv -` does the same for the
# CSV; both at once, or `--resume -`, are refused with one line, exit 2.
. "$(dirname "$0")/lib.sh"
cd "$tmp" || exit 1
common=(-w countdown -m sequential,threads -n 1,2 --profile quick --reps 2 --counters none
	--param n=1M --cache-dir "$tmp/cache")

"$CMBENCH" run "${common[@]}" -o - >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && say "ok: run -o - exits 0" || bad "run -o - exited $rc: $(tail -3 "$tmp/err")"
[ ! -e "$tmp/-" ] && say "ok: no file named '-'" || bad "run -o - wrote a file named '-'"
[ ! -e "$tmp/results" ] && say "ok: no results/ directory" || bad "run -o - wrote results/: $(ls "$tmp/results")"
python3 - "$tmp/out" <<'PY' && say "ok: stdout is the results JSON, and only that" || bad "stdout: $(head -c 300 "$tmp/out")"
import json, sys
doc = json.load(open(sys.argv[1]))  # fails on anything but one JSON document
names = {b["run_name"] for b in doc["benchmarks"]}
assert len(names) == 4, names
assert "load_avg_after" in doc["context"], "the final document (with load_avg_after)"
PY
grep -q "countdown/threads/workers:2" "$tmp/err" && grep -q "^results: standard output" "$tmp/err" &&
	say "ok: progress, summary and where the results went on stderr" ||
	bad "stderr lacks the progress or the results line: $(cat "$tmp/err")"

"$CMBENCH" run "${common[@]}" -o "$tmp/r.json" --csv - >"$tmp/csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && [ ! -e "$tmp/-" ] && say "ok: --csv - exits 0, no file named '-'" ||
	bad "--csv -: exit $rc, $(ls "$tmp")"
python3 - "$tmp/csv" "$tmp/r.json" <<'PY' && say "ok: stdout is the CSV, one row per repetition" || bad "csv on stdout: $(head -c 300 "$tmp/csv")"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
its = [b for b in json.load(open(sys.argv[2]))["benchmarks"] if b["run_type"] == "iteration"]
assert len(rows) == len(its) == 8, (len(rows), len(its))
assert all(r["verified"] == "true" for r in rows), rows
PY

for args in "-o - --csv -" "--resume -"; do
	# shellcheck disable=SC2086
	"$CMBENCH" run -w countdown $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		say "ok: $args refused: $(cat "$tmp/err")" ||
		bad "$args: exit $rc, stderr: $(cat "$tmp/err"), stdout: $(head -c 200 "$tmp/out")"
done
exit $fail
