#!/usr/bin/env bash
# test_convoy_io_cost.sh — scripts/convoy-io-cost measures python3.11's
# work between a reply and the next send in count-down units (the source of
# convoy's io-units default): a row with a positive window and a unit count
# in a sane range (a few to a few dozen; not a figure, only the shape and
# the order of magnitude) and the cold lines (with the three take-over holds
# they come from, timed by build/liblock-trace.so; "-" in a sanitizer build,
# or where the probe's lines add no hold or a run holds no take-over, each
# of which the output explains: stand-in cmbench binaries make the last
# two happen), and a one-line error with exit 2 for a bad
# interpreter, --n or --cmbench (not an executable), and from
# cpython-workloads.py (whose convoy gaps=1 it reads) for gaps=1 with fewer
# than 2 requests, which have no gap to report; and gaps=1's split of the
# gaps by the round-trip before each; the cold lines' set-up, placed or
# (--unplaced) not; the own pages (--pages), which runs unplaced and
# refuses --unplaced and --no-cold.
# Skipped (77) without python3.11.
HERE=$(cd "$(dirname "$0")/.." && pwd)
export CMBENCH_SOURCE_DIR=$HERE
. "$HERE/tests/lib.sh"
need_pythons 3.11
fail=0
out=$("$HERE/scripts/convoy-io-cost" --only 3.11 --n 20000 2>&1) || { echo "FAIL: $out"; exit 1; }
row=$(printf '%s\n' "$out" | grep '^| 3\.11\.')
# column K ROW: the K-th |-separated field of a table row, without spaces
column() { printf '%s\n' "$2" | awk -F'|' -v k="$1" '{ gsub(/ /, "", $k); print $k }'; }
window=$(column 5 "$row")
units=$(column 7 "$row")
awk -v w="$window" -v u="$units" 'BEGIN { exit !(w > 0 && u >= 1 && u < 500) }' ||
	{ echo "FAIL: window '$window' ns, '$units' units in: $out"; fail=1; }
# The cold lines: a count (0 or more), or "-" that a line below the table
# explains ("no cold lines: " on one PU or in a sanitizer build, for the
# whole table; "no cold lines: VERSION: " where the probe's lines added no
# hold or a run held no take-over). With a count, the three holds behind it;
# a count above 0 comes from CPython's hold and the probe's (256 lines)
# above the bare emulation's. Not a timing check: the output's consistency.
cold_row_ok() { # $1: a row, $2: the whole output (for the message), $3: "cold lines" or "own pages"
	local holds cold
	holds=$(printf '%s\n' "$1" | awk -F'|' '{ print $8 }')
	cold=$(column 9 "$1")
	if [ "$cold" = "-" ]; then
		printf '%s\n' "$2" | grep -q "^no $3: " || { echo "FAIL: $3 '-' without a reason: $2"; return 1; }
		return 0
	fi
	printf '%s' "$cold" | grep -Eqx '[0-9]+' || { echo "FAIL: $3 '$cold' in: $2"; return 1; }
	printf '%s\n' "$holds" | awk -F/ -v n="$cold" '{ exit !(NF == 3 && $1 > 0 && $2 > 0 && $3 > 0 &&
		(n == 0 || ($3 > $2 && $1 > $2))) }' || { echo "FAIL: take-over holds '$holds' for $cold in: $2"; return 1; }
}
cold=$(column 9 "$row")
cold_row_ok "$row" "$out" "cold lines" || fail=1
# The set-up the cold lines come from is named wherever they were measured:
# placed by default (the profiles' figure), unplaced at 50 ms with
# --unplaced (docs/GIL.md, "Round fifteen"), whose row has the same shape.
if printf '%s\n' "$out" | grep -q '^no cold lines: [^0-9]'; then
	[ "$cold" = "-" ] || { echo "FAIL: a count beside why there is none: $out"; fail=1; }
else
	printf '%s\n' "$out" | grep -q '^cold lines: placed: ' || { echo "FAIL: no placed set-up line: $out"; fail=1; }
	un=$("$HERE/scripts/convoy-io-cost" --only 3.11 --n 20000 --unplaced 2>&1) || { echo "FAIL: --unplaced: $un"; exit 1; }
	printf '%s\n' "$un" | grep -q '^cold lines: unplaced, 50 ms, 2 CPU threads' ||
		{ echo "FAIL: --unplaced set-up line: $un"; fail=1; }
	cold_row_ok "$(printf '%s\n' "$un" | grep '^| 3\.11\.')" "$un" "cold lines" || fail=1
	# --pages: the own pages, from the same three holds (the probe's 100
	# pages above the bare emulation's), unplaced at 50 ms, said so.
	pg=$("$HERE/scripts/convoy-io-cost" --only 3.11 --n 20000 --pages 2>&1) || { echo "FAIL: --pages: $pg"; exit 1; }
	printf '%s\n' "$pg" | grep -q '^own pages: unplaced, 50 ms, 2 CPU threads' &&
		printf '%s\n' "$pg" | grep -q 'with 100 own pages | own pages |' ||
		{ echo "FAIL: --pages set-up line or header: $pg"; fail=1; }
	cold_row_ok "$(printf '%s\n' "$pg" | grep '^| 3\.11\.')" "$pg" "own pages" || fail=1
	# Where the probe adds no hold there is no unit to count in: a stand-in
	# whose bare runs carry 20000 cold lines, a hold far above the probe's.
	# And a stand-in that runs nothing holds no take-over. Each row is "-",
	# said why, never a count (before, "-" came with no reason).
	real=${CMBENCH:-$HERE/build/cmbench}
	stand_in() { # stand_in NAME BODY WHY: cmbench is BODY; the row is "-", said WHY
		mkdir "$tmp/$1"
		ln -s "$(dirname "$real")/liblock-trace.so" "$tmp/$1/"
		printf '#!/bin/bash\n%s\n' "$2" >"$tmp/$1/cmbench"
		chmod +x "$tmp/$1/cmbench"
		local st
		st=$("$HERE/scripts/convoy-io-cost" --only 3.11 --n 20000 --cmbench "$tmp/$1/cmbench" 2>&1) ||
			{ echo "FAIL: $1 stand-in: $st"; return 1; }
		[ "$(column 9 "$(printf '%s\n' "$st" | grep '^| 3\.11\.')")" = "-" ] &&
			printf '%s\n' "$st" | grep -Eq "^no cold lines: 3\.11\.[0-9]+: $3" ||
			{ echo "FAIL: $1 stand-in: cold lines not '-' with '$3': $st"; return 1; }
	}
	stand_in swapped "exec \"$real\" \"\${@/#cold-lines=0/cold-lines=20000}\"" \
		'the 256 cold lines added no hold \([0-9]+ ns with them, [0-9]+ without\)' || fail=1
	stand_in silent "exit 0" 'a traced run held no take-over \(cmbench, cmbench with 256 cold lines\)' || fail=1
fi
for bad in "--only 9.9" "--n 10" "--pages --unplaced" "--pages --no-cold" "--cmbench /nonexistent" "--cmbench /tmp"; do
	err=$("$HERE/scripts/convoy-io-cost" $bad 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && printf '%s' "$err" | grep -q allowed ||
		{ echo "FAIL: $bad: exit $rc, '$err'"; fail=1; }
done
err=$(python3 "$HERE/scripts/cpython-workloads.py" convoy 1 requests=1 gaps=1 2>&1 >/dev/null)
rc=$?
[ $rc -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && printf '%s' "$err" | grep -q "requests=2 or more.*not 1" ||
	{ echo "FAIL: cpython-workloads convoy requests=1 gaps=1: exit $rc, '$err'"; fail=1; }
# gaps=1 also splits the gaps by their round-trip: alone (no CPU thread to
# take the lock) every one of the 19 gaps follows a round-trip far shorter
# than half of a 50 ms switch interval. (Alone the interval changes nothing
# but the split's threshold; at 5 ms, 2.5 ms, a lone round-trip took 2.8-9 ms
# in 11 of 15 runs here (3 Dec) with the machine otherwise idle; at 50 ms
# the longest of 5 runs was 9.4 ms.)
out=$(python3.11 "$HERE/scripts/cpython-workloads.py" convoy 1 requests=20 transport=tcp switch=50000000 gaps=1)
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(not (d["reply_to_send_warm_n"] == 19 and d["reply_to_send_after_switch_n"] == 0
              and d["reply_to_send_warm_p50_us"] > 0 and "reply_to_send_after_switch_p50_us" not in d))' ||
	{ echo "FAIL: convoy gaps=1 alone, split by round-trip: $out"; fail=1; }
[ $fail -eq 0 ] && echo "convoy-io-cost: python3.11 $window ns = $units units between reply and send"
exit $fail
