#!/usr/bin/env bash
# test_pin_cli.sh — `cmbench topo` and `cmbench run --pin/--topology` from the
# command line: placements printed, bad values refused in one line, and the
# results carry pin, binding and the topology.
set -u
fail=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if ! "$@"; then echo "FAIL: $what" >&2; fail=1; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$("$CMBENCH" topo --topology 'package:2 core:8 pu:2' --pin scatter -n 4)
check "topo exits 0" test $? -eq 0
check "summary counts" grep -q '2 packages, 16 cores, 32 PUs (2 per core)' <<<"$out"
check "binding skipped on a synthetic topology" grep -q 'binding: skipped' <<<"$out"
check "scatter worker 1" grep -Eq 'worker 1 +cpus 8 +package:0 core:4 pu:8' <<<"$out"
check "scatter worker 3 on package 1" grep -Eq 'worker 3 +cpus 24 +package:1 core:12 pu:24' <<<"$out"

out=$("$CMBENCH" topo --topology 'package:2 core:8 pu:2' --pin compact -n 4)
check "compact worker 1 shares core 0" grep -Eq 'worker 1 +cpus 1 +package:0 core:0 pu:1' <<<"$out"
check "compact worker 3 on core 1" grep -Eq 'worker 3 +cpus 3 +package:0 core:1 pu:3' <<<"$out"

out=$("$CMBENCH" topo --topology "$CMBENCH_SOURCE_DIR/tests/data/numa-2pkg-snc.xml" --pin numa:0-3 -n 4)
check "xml topology has 4 NUMA nodes" grep -q '4 NUMA nodes' <<<"$out"
check "numa:3 cpus" grep -Eq 'worker 3 +cpus 12-15,28-31 +package:1 numa:3' <<<"$out"

out=$("$CMBENCH" topo)
check "this machine" grep -q 'topology: this machine' <<<"$out"
check "this machine can bind" grep -q 'binding: supported' <<<"$out"

# Plans stay within the CPUs the process may use (taskset here).
last=$(python3 -c 'import os; print(max(os.sched_getaffinity(0)))')
first=$(python3 -c 'import os; print(min(os.sched_getaffinity(0)))')
if [ "$last" != "$first" ] && command -v taskset >/dev/null; then
	out=$(taskset -c "$last" "$CMBENCH" topo --pin single -n 1)
	check "single under taskset uses the allowed PU" grep -Eq "worker 0 +cpus $last " <<<"$out"
	check "restriction is shown" grep -q "restricted to the 1 of" <<<"$out"
fi

# --speeds times every CPU the process may use, and only those: a line (and
# a cpu_speeds_now entry) each, with a positive speed; under taskset just one.
out=$("$CMBENCH" topo --speeds)
check "speeds: a line per allowed CPU" test "$(grep -Ec '^  cpu [0-9]+ +[0-9]+\.[0-9]{2}$' <<<"$out")" -eq \
	"$(python3 -c 'import os; print(len(os.sched_getaffinity(0)))')"
"$CMBENCH" topo --speeds --json >"$tmp/speeds.json"
check "speeds in json" python3 -c '
import json, os, sys
s = json.load(open(sys.argv[1]))["cpu_speeds_now"]
assert sorted(e["cpu"] for e in s) == sorted(os.sched_getaffinity(0)), s
assert all(e["turns_per_ns"] > 0 for e in s), s' "$tmp/speeds.json"
if [ "$last" != "$first" ] && command -v taskset >/dev/null; then
	out=$(taskset -c "$last" "$CMBENCH" topo --speeds)
	check "speeds under taskset: the allowed CPU only" test "$(grep -Ec '^  cpu ' <<<"$out")" -eq 1
	check "speeds under taskset: that CPU" grep -Eq "^  cpu $last " <<<"$out"
fi
check "no speeds without --speeds" test "$("$CMBENCH" topo --json | grep -c cpu_speeds_now)" -eq 0

# Bad values: exit 2, one line naming the value.
err=$("$CMBENCH" topo --speeds --topology pu:4 2>&1 >/dev/null); rc=$?
check "speeds of another machine exits 2" test $rc -eq 2
check "speeds of another machine: one line naming it" test "$(grep -c "'pu:4'.*allowed" <<<"$err")" -eq 1 -a "$(wc -l <<<"$err")" -eq 1
err=$("$CMBENCH" topo --pin core:99 -n 1 2>&1 >/dev/null); rc=$?
check "missing core exits 2" test $rc -eq 2
check "missing core named" grep -q "no core:99" <<<"$err"
check "one line" test "$(wc -l <<<"$err")" -eq 1
err=$("$CMBENCH" topo --pin wrong -n 1 2>&1 >/dev/null); rc=$?
check "unknown policy exits 2" test $rc -eq 2
check "unknown policy named" grep -q "'wrong'" <<<"$err"
err=$("$CMBENCH" topo --topology 'no such thing' 2>&1 >/dev/null); rc=$?
check "bad topology exits 2" test $rc -eq 2
check "bad topology named" grep -q "'no such thing'" <<<"$err"
err=$("$CMBENCH" run -w countdown -m threads -n 1 --pin pu:9999 -o "$tmp/x.json" 2>&1 >/dev/null); rc=$?
check "run refuses a missing PU before measuring" test $rc -eq 2
check "run names the missing PU" grep -q "no pu:9999" <<<"$err"

# A run records pin and binding per cell, and the topology in its context.
"$CMBENCH" run -w countdown -m threads,processes -n 2 --pin single,pu:0 --reps 2 --warmup 0 \
	--param n=100000 -o "$tmp/r.json" >/dev/null 2>&1
check "pinned run exits 0" test $? -eq 0
check "pinned results are valid" python3 - "$tmp/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
topo = d["context"]["topology"]
assert topo["source"] == "this machine" and topo["pus"] >= 1 and topo["caches"] is not None, topo
names = {b["name"] for b in d["benchmarks"]}
assert "countdown/threads/workers:2/pin:single/n=100000" in names, names
assert "countdown/processes/workers:2/pin:pu:0/n=100000_median" in names, names
for b in d["benchmarks"]:
    assert b["pin"] in ("single", "pu:0"), b["pin"]
    assert sum(w["count"] for w in b["binding"]) == 2, b
    for w in b["binding"]:
        assert w["planned"] == w["applied"], w   # both workers really on PU L#0
PY
exit $fail
