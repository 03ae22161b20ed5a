#!/usr/bin/env bash
# test_yield_instructions.sh — a coroutine handoff stays short: the yield
# workload's one-way handoff between 2 coroutines (handoff=yield, the full
# ABI switch) costs at most MAX_PER_HANDOFF instructions, counted by
# valgrind (scripts/handoff-instructions: deterministic, so the machine's
# load does not move it). Main before issue 17's cut (dce6bbb) took 208: the
# model's yield went through three calls and checked everything twice, the
# baton re-read what it had just written, counted in memory and called out
# to find the next waiter; now ~90 (the full switch 30 of them, the
# scheduler ~33, the baton's turn ~27). The floor (a bare switch and its
# loop, cmbench limits coro_switch) is 21.
# Skipped without valgrind, off x86-64, for sanitizer builds (valgrind cannot
# run them) and for builds without optimisation (their counts mean nothing).
set -euo pipefail
MAX_PER_HANDOFF=120
[ "$(uname -m)" = x86_64 ] || { echo "skip: instruction counts are x86-64's"; exit 77; }
command -v valgrind >/dev/null || { echo "skip: valgrind is not installed"; exit 77; }
if grep -qa -- '-fsanitize=' "$CMBENCH"; then echo "skip: a sanitizer build"; exit 77; fi
src=${CMBENCH_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
out=$(mktemp); trap 'rm -f "$out"' EXIT
# smaller rounds than the script's default: the same difference per handoff, a shorter test
HANDOFF_ROUNDS="5k 15k" "$src/scripts/handoff-instructions" "$CMBENCH" >"$out" 2>&1 || {
	rc=$?; cat "$out"; [ $rc -eq 77 ] && exit 77; echo "FAIL: scripts/handoff-instructions"; exit 1; }
cat "$out"
flags=$(sed -n 's/^build: //p' "$out")
if ! grep -qE -- '-O[23]' <<<"$flags"; then echo "skip: not an optimised build ($flags)"; exit 77; fi
per=$(awk '$1 == "handoff" {print $2}' "$out")
if awk -v p="$per" -v m="$MAX_PER_HANDOFF" 'BEGIN {exit !(p > 0 && p <= m)}'; then
	echo "ok: $per instructions per handoff (at most $MAX_PER_HANDOFF)"
else
	echo "FAIL: $per instructions per handoff, more than $MAX_PER_HANDOFF"; exit 1
fi
