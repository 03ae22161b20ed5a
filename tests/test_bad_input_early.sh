#!/usr/bin/env bash
# test_bad_input_early.sh — bad input is one line naming the value, exit 2,
# before anything is measured: a scoped --param its scope does not have,
# a thread stack below the system's minimum, a duration without a unit, a
# cell name too long to keep whole;
# `compare` refuses non-positive or non-numeric times and a --metric that
# neither file holds (a typo made a 200% slowdown pass the gate).
. "$(dirname "$0")/lib.sh"
refused() { # refused LABEL PATTERN ARGS...: exit 2, one line matching PATTERN, nothing written
	local label=$1 pattern=$2; shift 2
	rm -f "$tmp/o.json"
	"$CMBENCH" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -- "$pattern" "$tmp/err" && [ ! -e "$tmp/o.json" ]; then
		say "ok: $label: $(cat "$tmp/err")"
	else
		bad "$label: rc=$rc, measured=$([ -e "$tmp/o.json" ] && echo yes || echo no): $(head -c 400 "$tmp/err")"
	fi
}
run=(run --cache-dir "$tmp/c" -w countdown --param n=1M --reps 1 -o "$tmp/o.json")
refused "--param gil:stack=64K (gil has no stack)" "gil has no parameter 'stack'" "${run[@]}" -m gil,threads -n 1 --param gil:stack=64K
refused "--param stack=1 (threads)" "stack=1" "${run[@]}" -m threads -n 1 --param stack=1
refused "--param duration=10 (no unit)" "with a unit" run --cache-dir "$tmp/c" -w sleep -m threads -n 1 --param duration=10 -o "$tmp/o.json"
# A cell name longer than the name buffer is refused, never cut (two cut
# names could be equal, and the summary and compare would merge the cells).
Z=$(printf '0%.0s' $(seq 1 44))
refused "a cell name of 560 bytes" "long" run --cache-dir "$tmp/c" -w convoy -m gil -n 1 --reps 1 -o "$tmp/o.json" \
	--param requests=${Z}1000 --param n=${Z}100G --param delay=${Z}0 --param msg=${Z}64 \
	--param tick=${Z}15ns --param switch=${Z}5ms --param check=${Z}100 --param slice=${Z}10ms \
	--param chunk=${Z}1 --param python=3.11
"$CMBENCH" run --cache-dir "$tmp/c" -w countdown -m threads -n 1 --param stack=0 --param n=1M --reps 1 -o "$tmp/z.json" >/dev/null 2>&1 \
	&& say "ok: --param stack=0 (the system default) still allowed" || bad "stack=0 refused"

# compare: times that are not positive numbers, a metric in neither file
"$CMBENCH" run --cache-dir "$tmp/c" -w countdown -m sequential,threads -n 1,2 --param n=1M --reps 6 -o "$tmp/a.json" \
	>/dev/null 2>&1 || bad "run a.json"
python3 - "$tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1] + "/a.json"))
def variant(name, value):
    x = json.loads(json.dumps(d))
    for b in x["benchmarks"]:
        if b["run_type"] == "iteration":
            b["real_time"] = value
            break
    json.dump(x, open(sys.argv[1] + "/" + name, "w"))
variant("neg.json", -3.0)
variant("zero.json", 0)
variant("fast.json", "fast")
x = json.loads(json.dumps(d))      # every time 3x: a 200% slowdown
for b in x["benchmarks"]:
    if "real_time" in b:
        b["real_time"] *= 3
json.dump(x, open(sys.argv[1] + "/slow.json", "w"))
PY
refused "compare with a negative real_time" "real_time -3" compare "$tmp/a.json" "$tmp/neg.json"
refused "compare with a zero real_time" "real_time 0" compare "$tmp/zero.json" "$tmp/a.json"
refused "compare with real_time \"fast\"" 'real_time "fast"' compare "$tmp/a.json" "$tmp/fast.json"
refused "compare --metric real_tmie (typo)" "real_tmie" compare "$tmp/a.json" "$tmp/slow.json" --metric real_tmie --fail-on-regression
"$CMBENCH" compare "$tmp/a.json" "$tmp/slow.json" --fail-on-regression >/dev/null 2>&1
[ $? -eq 1 ] && say "ok: the 200% slowdown itself fails the gate" || bad "200% slowdown passed"
exit $fail
