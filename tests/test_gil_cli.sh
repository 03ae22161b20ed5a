#!/usr/bin/env bash
# test_gil_cli.sh — bad gil parameters are refused before anything runs: one
# line naming the value and what is allowed, exit 2 (an unknown interpreter
# profile, an unknown policy, an overhead out of range); a good profile runs.
set -u
: "${CMBENCH:?path to the cmbench binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
expect_refused() { # what-it-must-say param...
	local want=$1
	shift
	out=$("$CMBENCH" run -w countdown -m gil -n 1 --param n=1000 "$@" -o "$TMP/x.json" 2>&1)
	rc=$?
	[ $rc -eq 2 ] || { echo "FAIL: $* exited $rc, 2 expected: $out"; fail=1; }
	[ "$(echo "$out" | wc -l)" -eq 1 ] || { echo "FAIL: $*: more than one line: $out"; fail=1; }
	echo "$out" | grep -q -- "$want" || { echo "FAIL: $*: message lacks '$want': $out"; fail=1; }
	[ -e "$TMP/x.json" ] && { echo "FAIL: $*: results written"; fail=1; }
	echo "refused: $out"
}
expect_refused "python=3.10.*none,2.7,3.11,3.12,3.13" --param python=3.10
expect_refused "gil=nope.*io-priority" --param gil=nope
expect_refused "ft-overhead=2000" --param ft-overhead=2000
"$CMBENCH" run -w countdown -m gil -n 1,2 --param n=100k --param python=2.7,3.14t --reps 1 \
	--warmup 0 -o "$TMP/ok.json" >/dev/null 2>&1 || { echo "FAIL: python=2.7,3.14t did not run"; fail=1; }
[ $fail -eq 0 ] && echo "gil_cli: all checks passed"
exit $fail
