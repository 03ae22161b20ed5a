#!/usr/bin/env bash
# test_report_gil.sh — the report's "GIL policies side by side" table: one row
# per gil variant measured, with the convoy's round-trips/s and median latency
# and count-down's N÷1 ratio taken from the cells (a dash where no cell
# exists), and no such section in a run without gil cells.
set -u
: "${CMBENCH:?path to the cmbench binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
"$CMBENCH" run -w convoy,countdown -m gil -n 1,2,3 --param gil=modern,bfs,free-threaded \
	--param requests=10 --param delay=100us --param n=200k --param tick=0 --reps 1 --warmup 0 \
	-o "$TMP/r.json" >/dev/null 2>&1 || { echo "FAIL: run"; exit 1; }
"$CMBENCH" report "$TMP/r.json" -o "$TMP/rep" >/dev/null 2>&1 || { echo "FAIL: report"; exit 1; }
table=$(sed -n '/GIL policies side by side/,/^$/p;/^| gil (/p' "$TMP/rep/report.md")
echo "$table"
for g in modern bfs free-threaded; do
	echo "$table" | grep -qE "^\| gil \($g\) \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| - \|$" ||
		{ echo "FAIL: no complete row for gil=$g"; fail=1; }
done
"$CMBENCH" run -w countdown -m threads -n 1 --param n=100k --reps 1 --warmup 0 -o "$TMP/t.json" \
	>/dev/null 2>&1 && "$CMBENCH" report "$TMP/t.json" -o "$TMP/rep2" >/dev/null 2>&1 ||
	{ echo "FAIL: threads run/report"; fail=1; }
grep -q "GIL policies" "$TMP/rep2/report.md" && { echo "FAIL: GIL table without gil cells"; fail=1; }
[ $fail -eq 0 ] && echo "report_gil: all checks passed"
exit $fail
