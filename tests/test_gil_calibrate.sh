#!/usr/bin/env bash
# test_gil_calibrate.sh — scripts/gil-calibrate --write rewrites only the
# profile lines of the interpreters it measured (a bug erased the others
# when --only named a subset), keeps the rest, and gives the free-threaded
# profiles (3.13t, 3.14t) 3.13's new tick and rate, keeps each line's cold lines (measured
# by convoy-io-cost, not by it) and working set, writes the tick loop's rate it
# calibrated at (a unit's turns: tick x rate); the file it writes is the one the
# build compiles unless --profiles names another. A short count-down: the
# tick it prints is not a figure, only the file's shape is checked. Skipped
# (77) when no python3.12 / python3.13 is found.
HERE=$(cd "$(dirname "$0")/.." && pwd)
: "${CMBENCH:?path to the cmbench binary}"
export CMBENCH_SOURCE_DIR=$HERE
. "$HERE/tests/lib.sh"
need_pythons 3.12 3.13
TMP=$tmp
grep -q 'default=PROFILES' "$HERE/scripts/gil-calibrate" &&
	grep -q '"gil_profiles.def"' "$HERE/models/gil/gil_config.c" ||
	{ echo "FAIL: gil-calibrate's default file is not the one gil_config.c compiles"; fail=1; }
cp "$HERE/models/gil/gil_profiles.def" "$TMP/p.def"
# A working set on 3.12's line (no profile sets one yet): --write keeps it,
# and calibrates the tick with it.
sed -i 's/^\(GIL_PROFILE("3\.12", [0-9]*, "modern", 5000000, 100, 0, [0-9]*, [0-9]*, \)0,/\18192,/' "$TMP/p.def"
grep -q '^GIL_PROFILE("3\.12", [0-9]*, "modern", 5000000, 100, 0, [0-9]*, [0-9]*, 8192,' "$TMP/p.def" ||
	{ echo "FAIL: could not set 3.12's working set in the copy"; exit 1; }
# The CPUs' speeds are read once and replayed to the script (a stand-in
# cmbench answers `topo --speeds`, the real one runs): a host that slows the
# CPU in mid-test would otherwise make it refuse to write, which
# test_gil_calibrate_pin.sh checks on its own.
"$CMBENCH" topo --speeds --json >"$TMP/speeds.json" || { echo "FAIL: cmbench topo --speeds --json"; exit 1; }
cat >"$TMP/cmbench" <<SH
#!/bin/sh
[ "\$1 \$2 \$3" = "topo --speeds --json" ] && exec cat "$TMP/speeds.json"
exec "$CMBENCH" "\$@"
SH
chmod +x "$TMP/cmbench"
for only in 3.12 3.13; do
	"$HERE/scripts/gil-calibrate" --cmbench "$TMP/cmbench" --n 100000 --reps 1 --only $only --write \
		--profiles "$TMP/p.def" >"$TMP/out" 2>&1 || { echo "FAIL: --only $only: $(cat "$TMP/out")"; fail=1; }
done
# The emulation's own cost per unit (tick=0) is a few ns (~200 ns under
# ThreadSanitizer, which instruments every access): read in the wrong time
# unit (cmbench writes us, the script assumed ms) it was 1000x that, ~3,000
# ns in a plain build and every calibrated tick came out 0. The bound sits
# between the two, far from both: a bound of 200 failed CI under TSan.
per_unit=$(sed -n 's/.*cmbench gil=modern tick=0: *\([0-9.]*\) ns\/unit.*/\1/p' "$TMP/out" | head -1)
awk -v v="$per_unit" 'BEGIN { exit !(v > 0 && v < 1000) }' ||
	{ echo "FAIL: cmbench's cost per unit read as '$per_unit' ns (a few ns expected)"; fail=1; }
for v in 2.7 3.11; do
	grep -F "GIL_PROFILE(\"$v\"," "$HERE/models/gil/gil_profiles.def" >"$TMP/want"
	grep -qxFf "$TMP/want" "$TMP/p.def" || { echo "FAIL: the $v line was not kept"; fail=1; }
done
for v in 3.12 3.13; do
	cold=$(sed -n "s/^GIL_PROFILE(\"$v\", [0-9]*, \"modern\", 5000000, 100, 0, \([0-9]*, [0-9]*\),.*/\1/p" "$HERE/models/gil/gil_profiles.def")
	ws=0
	[ $v = 3.12 ] && ws=8192
	grep -q "GIL_PROFILE(\"$v\", [0-9]*, \"modern\", 5000000, 100, 0, $cold, $ws, [1-9][0-9]*, \"python $v\.[0-9]*, " "$TMP/p.def" ||
		{ echo "FAIL: no calibrated $v line:"; grep "\"$v\"" "$TMP/p.def"; fail=1; }
done
tick313=$(sed -n 's/^GIL_PROFILE("3\.13", \([0-9]*\),.*/\1/p' "$TMP/p.def")
rate313=$(sed -n 's/^GIL_PROFILE("3\.13", [0-9]*, "modern", [0-9]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*, \([0-9]*\),.*/\1/p' "$TMP/p.def")
for v in 3.13t 3.14t; do
	grep -q "GIL_PROFILE(\"$v\", $tick313, \"free-threaded\", [0-9]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*, $rate313, " "$TMP/p.def" ||
		{ echo "FAIL: $v does not carry 3.13's tick $tick313 and rate $rate313:"; grep "\"$v\"" "$TMP/p.def"; fail=1; }
done
[ "$(grep -c '^GIL_PROFILE(' "$TMP/p.def")" -eq "$(grep -c '^GIL_PROFILE(' "$HERE/models/gil/gil_profiles.def")" ] ||
	{ echo "FAIL: profile count changed:"; cat "$TMP/p.def"; fail=1; }
[ $fail -eq 0 ] && echo "gil-calibrate --write: kept 2.7 and 3.11, rewrote 3.12 and 3.13 (cold lines, own pages and working set kept), 3.13t/3.14t follow 3.13 (tick $tick313 ns at $rate313 loops/us)"
exit $fail
