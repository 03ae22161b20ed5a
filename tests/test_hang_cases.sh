#!/usr/bin/env bash
# test_hang_cases.sh — inputs that used to hang or eat the machine end in
# bounded time: a synthetic --topology of a million PUs is refused at once,
# and yield with handoff=pipe under the gil model completes (it hung to
# --timeout: the GIL was dropped and taken twice around the pipe wait).
. "$(dirname "$0")/lib.sh"

for cmd in "topo" "run -w countdown -m sequential -n 1 --pin compact"; do
	start=$(date +%s)
	timeout 60 "$CMBENCH" $cmd --topology 'package:1000 core:1000 pu:1000' >/dev/null 2>"$tmp/err"
	rc=$?
	took=$(( $(date +%s) - start ))
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "more than 65536 PUs" "$tmp/err" && [ $took -lt 10 ] \
		&& say "ok: $cmd: a 10^9-PU topology refused in ${took} s: $(cat "$tmp/err")" \
		|| bad "$cmd --topology 10^9 PUs: rc=$rc after ${took} s: $(head -c 300 "$tmp/err")"
done
"$CMBENCH" topo --topology 'package:4 core:64 pu:256' >/dev/null 2>"$tmp/err" \
	&& say "ok: 65536 PUs still allowed" || bad "65536 PUs refused: $(cat "$tmp/err")"

timeout 300 "$CMBENCH" run --cache-dir "$tmp/c" -w yield -m gil -n 2 --param handoff=pipe --param stall=5s \
	--reps 1 --warmup 0 --timeout 120 -o "$tmp/y.json" >/dev/null 2>"$tmp/err"
rc=$?
python3 - "$tmp/y.json" <<'PY' && [ $rc -eq 0 ] && say "ok: yield handoff=pipe under gil completes" || bad "yield/gil/pipe: rc=$rc $(grep -m1 ERROR "$tmp/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["benchmarks"] and not any(b.get("error_occurred") for b in d["benchmarks"]), d["benchmarks"]
PY
exit $fail
