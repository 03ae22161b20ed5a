#!/usr/bin/env bash
# test_equivalence.sh — scripts/equivalence.py judges a difference between
# cmbench's runs and CPython's against a target with the difference's 95 %
# bootstrap interval (gil-figures' "target" column): two samples that agree
# closely are "within" 10 %, one twice the other is "outside", two that
# scatter by ±30 % around the same median are "undecided" (7 runs cannot
# tell, and say how many runs would), fewer than 3 runs give no interval,
# and the same runs print the same interval every time (a fixed seed); each
# cmbench run judged against the CPython runs before and after it (paired)
# tells a difference the mixed modes of the unpaired medians hide. Run with Debian's python3 and
# python3-scipy (scripts/deps installs them).
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
"$PY" -c 'import scipy' 2>/dev/null || { echo "FAIL: $PY with scipy is needed (scripts/deps installs python3-scipy)"; exit 1; }
out=$(cd "$HERE/scripts" && "$PY" - <<'PYEOF'
import equivalence as e
base = [1.00, 1.01, 0.99, 1.00, 1.02, 0.98, 1.00] * 2
close = [1.01, 1.00, 0.99, 1.02, 1.00, 0.99, 1.01]
double = [2 * x for x in close]
wide_a = [0.7, 1.3, 1.0, 0.8, 1.2, 0.9, 1.1]
wide_b = [1.0, 0.7, 1.3, 1.1, 0.9, 0.8, 1.2] * 2
print("close", e.cell(close, base, 10)[1])
print("double", e.cell(double, base, 10)[1], e.cell(double, base, 10)[0])
print("wide", e.cell(wide_a, wide_b, 10)[1])
print("wide-cell", e.cell(wide_a, wide_b, 10)[0])
print("more", e.runs_to_tell(0.0, (-20.0, 20.0), 10, 14, 7), e.runs_to_tell(20.0, (5.0, 35.0), 10, 14, 7),
      e.runs_to_tell(10.2, (0.0, 20.0), 10, 14, 7))
print("few", e.cell([1.0, 2.0], base, 10)[1], e.cell([1.0, 2.0], base, 10)[0])
print("again", e.cell(wide_a, wide_b, 10)[0] == e.cell(wide_a, wide_b, 10)[0])
print("summary", e.summary(["within", "outside", "undecided", "undecided"], 15))
# Paired: CPython ran before and after each cmbench run. Its runs move
# between two modes for minutes (2.9, then 5.3), and so do cmbench's a few
# per cent above: against all CPython runs the medians mix the modes and
# cannot tell; pair by pair it is +3 %, within.
py = [2.9, 2.92, 2.88, 2.9, 2.91, 2.89, 5.3, 5.32, 5.28, 5.3, 5.31, 5.29, 5.3, 5.3]
cm = [2.99, 2.98, 3.0, 5.46, 5.47, 5.45, 5.46]
print("unpaired", e.cell(cm, py, 10)[1])
print("paired", e.paired_cell(e.pair_ratios(cm, py), 10)[0])
print("pairs", [round(x, 3) for x in e.pair_ratios([1.1, 2.0], [1.0, 1.0, 1.0, 4.0])], e.pair_ratios([1.0], [1.0]),
      e.pair_ratios([1.0], [0.0, 1.0]))
print("onepair", e.paired_cell(e.pair_ratios([1.1], [1.0, 1.0]), 10)[0], e.paired_cell([], 10)[0])
print("pairs-far", e.paired_cell(e.pair_ratios([x * 1.3 for x in cm], py), 10)[1])
PYEOF
) || { echo "FAIL: equivalence.py: $out"; exit 1; }
fail=0
expect() { grep -q -- "$1" <<<"$out" || { echo "FAIL: expected '$1' in: $out"; fail=1; }; }
expect "^close within$"
expect "^double outside +100 % (+9[0-9]...+10[0-9]), outside$"
expect "^wide undecided$"
expect "^wide-cell [-+][0-9]* % ([-+][0-9]*...[-+][0-9]*), undecided (about [0-9]* + [0-9]* runs would tell, if the spread held)$"
# An interval as wide as the target's either side needs 4 times the runs to
# fit inside it; one reaching halfway back past the bound, 2.25 times to
# clear it; a difference on the bound, any number.
expect "^more (56, 28) (32, 16) None$"
expect "^few - +50 %$"
expect "^again True$"
expect "^summary Within 15 % .*: 1 rows; outside .*: 1; undecided .*: 2\.$"
expect "^unpaired undecided$"
expect "^paired +3 % (+[0-9]...+[0-9]), within, 7 pairs$"
# each cmbench run over the geometric mean of the CPython runs around it;
# no pairs unless CPython ran twice per cmbench run, every run above 0
expect "^pairs \[0.1, 0.0\] \[\] \[\]$"
expect "^onepair +10 % (1 pair) -$"
expect "^pairs-far outside$"
[ $fail -eq 0 ] && echo "equivalence: within, outside, undecided, no interval under 3 runs, reproducible, paired runs judged pair by pair"
exit $fail
