#!/usr/bin/env bash
# test_layers.sh — the layering is enforced by the build: a source file of
# one layer, compiled with exactly the flags the build gives that layer
# (compile_commands.json), can include the headers of the layers below it
# and cannot include those above it or of a sibling it does not build on.
set -euo pipefail
build=$(dirname "$CMBENCH")
db=$build/compile_commands.json
[ -f "$db" ] || { echo "no $db (CMAKE_EXPORT_COMPILE_COMMANDS)"; exit 1; }
src=$CMBENCH_SOURCE_DIR
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# layer folder | a header it may include | headers it must not see
rules=(
"harness/core|err.h|topology.h bench.h corpus.h team.h cell.h results.h compare.h report.h commands.h"
"harness/system|err.h|bench.h model.h corpus.h cell.h results.h report.h"
"harness/contract|topology.h|corpus.h echo_server.h team.h gil.h coro_sched.h cell.h results.h"
"benches/lib|runtime.h|team.h gil.h coro_sched.h cell.h results.h"
"benches|corpus.h|team.h gil.h coro_sched.h cell.h results.h report.h"
"models/lib|model.h|corpus.h gil.h coro_sched.h cell.h results.h"
"models/gil|team.h|coro_sched.h mpi_job.h corpus.h cell.h results.h"
"models/coro|gate.h|gil.h corpus.h cell.h results.h"
"models/mpi|team.h|gil.h coro_sched.h corpus.h cell.h results.h"
"models|mpi_job.h|corpus.h cell.h results.h"
"harness/run|corpus.h|results.h compare.h report.h commands.h"
"harness/results|cell.h|compare.h report.h commands.h"
"harness/analysis|results.h|report.h summary.h commands.h"
"harness/output|compare.h|commands.h"
)

# The compile command (as an argument list) of one .c file directly in $1.
command_for() {
	python3 - "$db" "$src/$1" <<'PY'
import json, os, shlex, sys
db, folder = sys.argv[1], os.path.realpath(sys.argv[2])
for e in json.load(open(db)):
    f = os.path.realpath(os.path.join(e["directory"], e["file"]))
    if os.path.dirname(f) == folder and f.endswith(".c"):
        args = e.get("arguments") or shlex.split(e["command"])
        out, skip = [], False
        for a in args:          # drop -o X, -c FILE and dependency outputs
            if skip: skip = False; continue
            if a in ("-o", "-MF", "-MT", "-MQ"): skip = True; continue
            if a in ("-c", "-MD", "-MMD") or a == e["file"] or os.path.realpath(os.path.join(e["directory"], a)) == f: continue
            out.append(a)
        print(e["directory"]); print("\n".join(out)); break
PY
}

probe() { # folder header -> exit status of compiling '#include "header"'
	local dir=$1 header=$2
	mapfile -t cmd < <(command_for "$dir")
	[ ${#cmd[@]} -gt 1 ] || { echo "no compile command for a file in $dir"; exit 1; }
	local cwd=${cmd[0]}
	printf '#include "%s"\nint layer_probe;\n' "$header" > "$tmp/probe.c"
	(cd "$cwd" && "${cmd[@]:1}" -fsyntax-only "$tmp/probe.c") > "$tmp/out" 2>&1
}

fail=0 pass=0
for r in "${rules[@]}"; do
	IFS='|' read -r dir ok banned <<<"$r"
	if probe "$dir" "$ok"; then pass=$((pass+1)); else
		echo "FAIL: $dir cannot include $ok (a layer below it):"; cat "$tmp/out"; fail=$((fail+1)); fi
	for h in $banned; do
		if probe "$dir" "$h"; then
			echo "FAIL: $dir can include $h (a layer above it or a sibling)"; fail=$((fail+1))
		elif grep -q "No such file" "$tmp/out"; then pass=$((pass+1))
		else echo "FAIL: $dir including $h failed for another reason:"; cat "$tmp/out"; fail=$((fail+1)); fi
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
