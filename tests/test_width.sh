#!/usr/bin/env bash
# test_width.sh — every line `cmbench run` prints to a person fits 100
# columns (issue 16: "rows fit 100 columns"): the start lines, the progress
# lines, the grouped warnings, the summary, its legends and the answer, with
# long cell names (a scoped parameter and both GIL policies in the name, as
# make bench's gil cells) and a failing cell's long message; nothing is cut:
# the message is there whole once the lines are joined, every cell has its
# row under its workload's heading.
. "$(dirname "$0")/lib.sh"

"$CMBENCH" run --profile quick -w countdown,integrate,yield,echo -m sequential,gil,threads -n 1,2 \
	--reps 3 --param gil:gil=legacy,modern --param gil:n=200k --param gil:steps=200k \
	--param yield:handoff=condvar --param gil:switch=10ms --cache-dir "$tmp/cache" \
	-o "$tmp/run.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { bad "the run: exit $rc"; cat "$tmp/err"; }
# a cell that fails with a long message (the server closes every connection)
"$CMBENCH" run --profile quick -w echo -m threads -n 2 --reps 1 --param server-close-after=1 \
	--param requests=3 --cache-dir "$tmp/cache" -o "$tmp/fail.json" >"$tmp/fout" 2>"$tmp/ferr"
[ $? -eq 1 ] || bad "the failing run: exit 1 wanted"

python3 - "$tmp" <<'PY' || fail=1
import json, sys
tmp = sys.argv[1]
ok = True
for name in ("out", "err", "fout", "ferr"):
    for i, line in enumerate(open(f"{tmp}/{name}", encoding="utf-8").read().splitlines()):
        if len(line) > 100:
            print(f"FAIL: {name} line {i + 1} has {len(line)} columns: {line}")
            ok = False
out = open(f"{tmp}/out", encoding="utf-8").read()
# the summary: a heading per workload, a row per cell (label = name without
# the workload and workers), the legends
d = json.load(open(f"{tmp}/run.json"))
cells = {(b["run_name"], b["workload"], b["workers"]) for b in d["benchmarks"]}
lines = out.splitlines()
for wl in ("countdown", "integrate", "yield", "echo"):
    if not any(l.startswith(wl + " — ") for l in lines):
        print(f"FAIL: no heading for {wl}")
        ok = False
for name, wl, w in cells:
    label = name[len(wl) + 1:].replace(f"/workers:{w}", "", 1)
    rows = [l for l in lines if l.split()[:2] == [label, str(w)]]
    own = [k for k, l in enumerate(lines) if l.strip() == label]  # a line of its own
    if not rows and not any(lines[k + 1].split()[:1] == [str(w)] for k in own):
        print(f"FAIL: no summary row for {name} ({label}, {w})")
        ok = False
for want in ("work per worker", "x floor", "ran "):
    if want not in out:
        print(f"FAIL: '{want}' missing from the output")
        ok = False
# the failing cell's message whole, joined across the broken lines
msg = json.load(open(f"{tmp}/fail.json"))["benchmarks"][0]["error_message"]
for name in ("fout", "ferr"):
    joined = " ".join(open(f"{tmp}/{name}", encoding="utf-8").read().split())
    if " ".join(msg.split()) not in joined:
        print(f"FAIL: {name}: the error message is not there whole: {msg}")
        ok = False
sys.exit(0 if ok else 1)
PY
[ $fail -eq 0 ] && say "ok: every line within 100 columns, nothing cut" || { cat "$tmp/err" "$tmp/out"; }
exit $fail
