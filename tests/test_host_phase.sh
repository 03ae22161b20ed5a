#!/usr/bin/env bash
# test_host_phase.sh — scripts/host_phase.py labels each run of a GIL figure
# with the host's phase, from `cmbench topo --speeds` read before and after
# it (here a stand-in cmbench that replays speeds from a file, so that every
# phase can be made): a run whose CPUs kept their speed is "steady", one
# whose readings spread more than 3 % "unsteady", one with a CPU below 85 %
# of the fastest reading seen "a CPU slowed" — unless that CPU is not one
# the run used; back-to-back runs share the reading between them; a probe
# that fails stops with its error; and the column compares the two sides
# within each phase. Run with Debian's python3 and python3-scipy.
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tests/lib.sh"
PY=/usr/bin/python3
"$PY" -c 'import scipy' 2>/dev/null || { echo "FAIL: $PY with scipy is needed (scripts/deps installs python3-scipy)"; exit 1; }
# The stand-in: each call prints the next line of $SPEEDS as cpu_speeds_now.
cat >"$tmp/cmbench" <<'SH'
#!/bin/sh
[ "$1 $2 $3" = "topo --speeds --json" ] || { echo "unexpected: $*" >&2; exit 2; }
n=$(cat "$SPEEDS.n" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$SPEEDS.n"
line=$(sed -n "${n}p" "$SPEEDS")
[ -n "$line" ] || { echo "no speeds left" >&2; exit 1; }
echo "{\"cpu_speeds_now\": $line}"
SH
chmod +x "$tmp/cmbench"
# Readings, in order: 0 before run 1; 1 after run 1 = before run 2; ...
cat >"$tmp/speeds" <<'TXT'
[{"cpu": 0, "turns_per_ns": 3.63}, {"cpu": 1, "turns_per_ns": 3.64}]
[{"cpu": 0, "turns_per_ns": 3.64}, {"cpu": 1, "turns_per_ns": 3.63}]
[{"cpu": 0, "turns_per_ns": 3.45}, {"cpu": 1, "turns_per_ns": 3.70}]
[{"cpu": 0, "turns_per_ns": 3.66}, {"cpu": 1, "turns_per_ns": 2.30}]
[{"cpu": 0, "turns_per_ns": 3.65}, {"cpu": 1, "turns_per_ns": 2.40}]
TXT
out=$(cd "$HERE/scripts" && SPEEDS=$tmp/speeds "$PY" - "$tmp/cmbench" <<'PYEOF' 2>&1
import sys
import host_phase
p = host_phase.Probe(sys.argv[1])
b = [p.around(lambda i=i: i)[1] for i in range(3)]        # readings 0-1, 1-2, 2-3
b.append(p.around(lambda: None, cpus=[0])[1])               # 3-4: CPU 1 slowed, not used
b.append((b[3][0], b[3][1], None))                          # the same readings, every CPU used
print("labels", p.labels(b))
print("shared", b[0][1] is b[1][0] and b[1][1] is b[2][0])
try:
    p.around(lambda: None)
    print("no error")
except RuntimeError as e:
    print("error", e)
cp = [2.9, 2.95, 3.0, 2.85, 4.8, 4.85, 4.9, 4.75]
cm = [3.0, 2.95, 3.05, 4.9, 4.85, 4.95]
print("column", host_phase.column(cp, ["steady"] * 4 + ["a CPU slowed"] * 4, cm,
                                  ["steady"] * 3 + ["a CPU slowed"] * 3, 10))
print("unknown", host_phase.column(cp, ["?"] * 8, cm, ["?"] * 6, 10))
PYEOF
)
grep -qx "labels \['steady', 'unsteady', 'a CPU slowed', 'steady', 'a CPU slowed'\]" <<<"$out" ||
	bad "labels (steady, unsteady, a CPU slowed; a slowed CPU the run did not use is no phase of it): $out"
grep -qx "shared True" <<<"$out" || bad "back-to-back runs do not share the reading between them: $out"
grep -q "^error cmbench topo --speeds failed (exit 1): no speeds left$" <<<"$out" || bad "a failing probe: $out"
grep -q "^column a CPU slowed ×4, steady ×4 / a CPU slowed ×3, steady ×3; a CPU slowed: [-+][0-9]* % ([^)]*), within; steady: [-+][0-9]* % ([^)]*), within$" <<<"$out" ||
	bad "the column does not compare within each phase: $out"
grep -qx "unknown -" <<<"$out" || bad "runs of no known phase: $out"
[ $fail -eq 0 ] && echo "host_phase: steady, unsteady and slowed runs labelled, unused CPUs ignored, readings shared, within-phase column"
exit $fail
