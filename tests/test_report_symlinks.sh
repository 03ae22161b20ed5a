#!/usr/bin/env bash
# test_report_symlinks.sh — `report`, `plot` and `compare -o` never follow a
# symlink planted in their output directory (another user's, with
# fs.protected_symlinks off): the page, the charts, their data files and
# the temporary names are created O_EXCL|O_NOFOLLOW and renamed into place.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null || { echo "skip: no gnuplot"; exit 77; }
"$CMBENCH" run --cache-dir "$tmp/c" -w countdown -m sequential,threads -n 1,2 --reps 2 --param n=1M \
	-o "$tmp/r.json" >/dev/null 2>&1 || { echo "FAIL: run"; exit 1; }
victims() { for v in "$tmp"/victim*; do [ "$(head -c 9 "$v" | tr -d '\0')" = precious ] && [ "$(stat -c %s "$v")" -eq 9 ] || echo "$v"; done; }
plant() { # plant DIR NAME...: NAME -> a victim file
	local d=$1; shift; mkdir -p "$d"
	for n in "$@"; do echo precious >"$tmp/victim-$n"; ln -sf "$tmp/victim-$n" "$d/$n"; done
}

# the old temporary names (predictable) and the final names
plant "$tmp/rep0" report.html.tmp report.md.tmp
"$CMBENCH" report "$tmp/r.json" -o "$tmp/rep0" >/dev/null 2>"$tmp/err"
rc=$?
[ -z "$(victims)" ] && [ $rc -eq 0 ] && [ -s "$tmp/rep0/report.html" ] && say "ok: report beside planted temporary names" \
	|| bad "report with planted .tmp names: rc=$rc changed $(victims) $(cat "$tmp/err")"
plant "$tmp/rep" report.html.tmp report.md.tmp time-countdown.dat overview.png
"$CMBENCH" report "$tmp/r.json" -o "$tmp/rep" >/dev/null 2>"$tmp/err"
rc=$?
[ -z "$(victims)" ] && [ -L "$tmp/rep/overview.png" ] \
	&& say "ok: report: no planted symlink followed (exit $rc: $(head -1 "$tmp/err"))" \
	|| bad "report followed a symlink: changed $(victims)"
[ $rc -ne 0 ] && grep -q "not a regular file" "$tmp/err" && say "ok: report says which output it refused" \
	|| bad "report: rc=$rc, refusal not said: $(cat "$tmp/err")"

plant "$tmp/plot" time-countdown.png speedup-countdown.dat.tmp
"$CMBENCH" plot "$tmp/r.json" -o "$tmp/plot" >/dev/null 2>"$tmp/err"
[ -z "$(victims)" ] && [ -s "$tmp/plot/overview.png" ] && say "ok: plot: no planted symlink followed" \
	|| bad "plot followed a symlink: changed $(victims)"

plant "$tmp/cmp" out.txt
"$CMBENCH" compare "$tmp/r.json" "$tmp/r.json" -o "$tmp/cmp/out.txt" >/dev/null 2>"$tmp/err"
rc=$?
[ -z "$(victims)" ] && [ $rc -ne 0 ] && say "ok: compare -o SYMLINK refused: $(cat "$tmp/err")" \
	|| bad "compare -o followed a symlink: rc=$rc changed $(victims)"
exit $fail
