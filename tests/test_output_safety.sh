#!/usr/bin/env bash
# test_output_safety.sh — cmbench never damages what is not its output and
# never loses what it measured: outputs that are devices, FIFOs or symlinks
# are refused (not replaced), -o and --csv naming one file is refused, a
# second writer of a results file is refused, a full disk keeps the journal
# and exits non-zero with the real errno, a stale journal or temporary file
# of a killed run does not leak into the next one.
. "$(dirname "$0")/lib.sh"
marker="$tmp/cache-marker"
cleanup() { pkill -KILL -f "$marker" 2>/dev/null; umount "$tmp/full" 2>/dev/null; }
on_exit cleanup
run() { "$CMBENCH" run --cache-dir "$marker" "$@"; }
quick=(-w countdown -m sequential -n 1 --reps 1 --param n=1M)

# 1. non-regular outputs are refused up front and left alone
mkfifo "$tmp/fifo"
run "${quick[@]}" -o "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
[ $rc -eq 2 ] && [ -p "$tmp/fifo" ] && grep -q "not a regular file" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
	&& say "ok: -o FIFO refused: $(cat "$tmp/err")" || bad "-o FIFO: rc=$rc, $(ls -l "$tmp/fifo") $(cat "$tmp/err")"
if [ "$(id -u)" -eq 0 ]; then # a device node of our own, never the real /dev/null
	mknod "$tmp/null" c 1 3
	run "${quick[@]}" -o "$tmp/null" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ -c "$tmp/null" ] && say "ok: -o DEVICE refused, still a device" \
		|| bad "-o DEVICE: rc=$rc, now $(ls -l "$tmp/null")"
	mknod "$tmp/full-dev" c 1 7
	run "${quick[@]}" -o "$tmp/r1.json" --csv "$tmp/full-dev" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ -c "$tmp/full-dev" ] && [ ! -e "$tmp/r1.json" ] \
		&& say "ok: --csv DEVICE refused before measuring" \
		|| bad "--csv DEVICE: rc=$rc, $(ls -l "$tmp/full-dev"), measured: $(ls "$tmp" | tr '\n' ' ')"
fi
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/link.json"
run "${quick[@]}" -o "$tmp/link.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/victim")" = precious ] && [ -L "$tmp/link.json" ] \
	&& say "ok: -o SYMLINK refused, its target untouched" || bad "-o SYMLINK: rc=$rc $(cat "$tmp/err")"
run "${quick[@]}" -o "$tmp/ok.json" --csv "$tmp/link.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/victim")" = precious ] && say "ok: --csv SYMLINK refused" \
	|| bad "--csv SYMLINK: rc=$rc $(cat "$tmp/err")"

# 2. -o and --csv naming one file, however spelled
mkdir "$tmp/d"
for csv in "$tmp/d/x.json" "$tmp/d/../d/x.json" "$tmp/d/./x.json"; do
	rm -f "$tmp/d/x.json"
	run "${quick[@]}" -o "$tmp/d/x.json" --csv "$csv" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e "$tmp/d/x.json" ] \
		&& say "ok: -o x.json --csv $csv refused: $(cat "$tmp/err")" || bad "same file $csv: rc=$rc $(cat "$tmp/err")"
done
echo '{}' >"$tmp/d/old.json"
ln "$tmp/d/old.json" "$tmp/d/hard.csv"
run "${quick[@]}" -o "$tmp/d/old.json" --csv "$tmp/d/hard.csv" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && say "ok: --csv as a hard link of -o refused" || bad "hard link: $(cat "$tmp/err")"

# 3. a second writer of the same results file is refused while the first runs
# The first run's last cells (20G) outlast any stall of this shell: it is
# still writing when the second starts, however late, and is interrupted
# once its two short cells are in the journal (with one 1-2 s run, a second
# writer started late found it finished and was not refused).
journal_lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
# (cmbench itself in the background, not the function `run`: SIGINT would
# reach a subshell, which ignores it)
"$CMBENCH" run --cache-dir "$marker" -w countdown -m sequential -n 1,2 --param n=300M,20G --reps 3 \
	-o "$tmp/shared.json" >/dev/null 2>"$tmp/err1" &
first=$!
for _ in $(seq 1 300); do [ -s "$tmp/shared.json.journal" ] && break; sleep 0.1; done
run "${quick[@]}" -o "$tmp/shared.json" >/dev/null 2>"$tmp/err2"
rc2=$?
for _ in $(seq 1 600); do [ "$(journal_lines "$tmp/shared.json.journal")" -ge 3 ] && break; sleep 0.1; done
kill -INT $first
wait $first
rc1=$?
cells=$(python3 -c "import json; print(len({b['run_name'] for b in json.load(open('$tmp/shared.json'))['benchmarks']}))")
[ $rc2 -eq 2 ] && grep -q "another cmbench run is writing" "$tmp/err2" && [ $rc1 -eq 130 ] && [ "$cells" -eq 2 ] \
	&& say "ok: second writer refused: $(cat "$tmp/err2"); first kept its $cells cells" \
	|| bad "second writer: rc1=$rc1 rc2=$rc2 cells=$cells $(cat "$tmp/err2")"

# 4. a stale journal of a killed run does not join a fresh run, and a
#    journal without this version's run header is not imported by --resume
printf '{"cell":"countdown/sequential/workers:7","entries":[{"name":"countdown/sequential/workers:7","run_name":"countdown/sequential/workers:7","run_type":"iteration","real_time":1}]}\n' >"$tmp/st.json.journal"
run "${quick[@]}" -o "$tmp/st.json" >/dev/null 2>"$tmp/err" || bad "fresh run over a stale journal: $(cat "$tmp/err")"
[ ! -e "$tmp/st.json.journal" ] && ! grep -q "workers:7" "$tmp/st.json" && say "ok: stale journal not mixed into a fresh run" \
	|| bad "stale journal: $(ls "$tmp"/st.json*)"
printf 'garbage' >"$tmp/st.json"
printf '{"cell":"countdown/sequential/workers:1","entries":[{"name":"countdown/sequential/workers:1","run_name":"countdown/sequential/workers:1","run_type":"iteration","real_time":1}]}\n' >"$tmp/st.json.journal"
run "${quick[@]}" --resume "$tmp/st.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "run header" "$tmp/err" && say "ok: a journal of no known run refused: $(tail -1 "$tmp/err")" \
	|| bad "headerless journal: rc=$rc $(cat "$tmp/err")"
# a journal written by a run with other options is refused on --resume
# (its 20G cells: still running when killed, however late the kill)
"$CMBENCH" run --cache-dir "$marker" -w countdown -m sequential -n 1,2 --param n=300M,20G --reps 3 -o "$tmp/k.json" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do [ "$(journal_lines "$tmp/k.json.journal")" -ge 2 ] && break; sleep 0.1; done
kill -KILL $pid; wait $pid 2>/dev/null
printf 'garbage' >"$tmp/k.json"
run -w countdown -m sequential -n 1,2 --param n=300M,20G --reps 2 --resume "$tmp/k.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "reps" "$tmp/err" && say "ok: journal of a run with other options refused: $(tail -1 "$tmp/err")" \
	|| bad "journal of other options: rc=$rc $(cat "$tmp/err")"

# 5. temporary files of killed writers: ours (dead pid) removed, others kept
sleep 1000 & alive=$!
echo x >"$tmp/t.json.tmp.999999999"   # no such process: a killed run's
echo x >"$tmp/t.json.tmp.$alive"      # a live writer's: kept
echo x >"$tmp/t.json.tmp.notapid"
run "${quick[@]}" -o "$tmp/t.json" >/dev/null 2>"$tmp/err" || bad "run: $(cat "$tmp/err")"
kill $alive
[ ! -e "$tmp/t.json.tmp.999999999" ] && [ -e "$tmp/t.json.tmp.$alive" ] && [ -e "$tmp/t.json.tmp.notapid" ] \
	&& say "ok: a dead run's temporary file removed, a live one's kept" || bad "tmp cleanup: $(ls "$tmp" | grep tmp)"

# 6. a full disk mid-run: non-zero exit, the real errno, the journal kept
if [ "$(id -u)" -eq 0 ] && mkdir "$tmp/full" && mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>/dev/null; then
	run -w countdown -m sequential,threads -n 1,2,3,4,5,6,7,8 --param n=1M --reps 2 -o "$tmp/full/r.json" \
		>/dev/null 2>"$tmp/err"
	rc=$?
	j=$(grep -c '"cell"' "$tmp/full/r.json.journal" 2>/dev/null || echo 0)
	[ $rc -ne 0 ] && grep -q "No space left on device" "$tmp/err" && ! grep -q "Success" "$tmp/err" \
		&& [ -e "$tmp/full/r.json.journal" ] \
		&& say "ok: full disk: exit $rc, '$(grep -m1 "No space" "$tmp/err")', journal kept ($j cells)" \
		|| bad "full disk: rc=$rc journal=$(ls "$tmp/full") $(cat "$tmp/err")"
else
	say "skip: full disk (needs root to mount a 64 KiB tmpfs)"
fi
exit $fail
