#!/usr/bin/env bash
# test_worker_where.sh — the threads and gil models record where each worker
# ran (model_stats: worker_cpus [first, last] as OS CPU numbers, cpus_at_end,
# workers_moved), and so does scripts/cpython-workloads.py's count-down
# (worker_cpus, cpus_at_end, and voluntary_switches as cmbench's
# voluntary_cs): pinned to one PU every worker reports that
# PU's OS number and one CPU at the end; on two PUs, one worker per PU
# reports two. Unpinned, where the OS put a GIL's threads decides the
# figure (docs/GIL.md, "Round ten"), so the figures need this to be right,
# and their label of it (scripts/where.py) too.
HERE=$(cd "$(dirname "$0")/.." && pwd)
: "${CMBENCH:?path to the cmbench binary}"
. "$HERE/tests/lib.sh"
pu() { hwloc-calc --physical-output -I pu "pu:$1"; }
stats() { # stats FILE WORKERS: "cpus_at_end moved worker_cpus" of that cell
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["benchmarks"]:
    if b.get("run_type") == "iteration" and b["workers"] == int(sys.argv[2]):
        m = b["model_stats"]
        print(m.get("cpus_at_end"), m.get("workers_moved"), json.dumps(m.get("worker_cpus")))
        break
PY
}
p0=$(pu 0)
for model in threads gil; do
	"$CMBENCH" run -w countdown -m "$model" -n 3 --reps 1 --warmup 0 --counters none --pin pu:0 \
		--param n=300000 -o "$tmp/$model.json" >/dev/null 2>"$tmp/err" || bad "$model --pin pu:0: $(cat "$tmp/err")"
	want="1 0 [[$p0, $p0], [$p0, $p0], [$p0, $p0]]"
	[ "$(stats "$tmp/$model.json" 3)" = "$want" ] || bad "$model on pu:0: $(stats "$tmp/$model.json" 3), want $want"
done
"$CMBENCH" run -w countdown -m sequential --reps 1 --warmup 0 --counters none --param n=1000 \
	-o "$tmp/seq.json" >/dev/null 2>&1
grep -q worker_cpus "$tmp/seq.json" && bad "sequential (no workers) reports worker_cpus"
if [ "$(hwloc-calc -N pu all)" -ge 2 ]; then
	p1=$(pu 1)
	"$CMBENCH" run -w countdown -m gil -n 2 --reps 1 --warmup 0 --counters none --pin pu:0,pu:1 \
		--param n=300000 -o "$tmp/apart.json" >/dev/null 2>"$tmp/err" || bad "gil apart: $(cat "$tmp/err")"
	want="2 0 [[$p0, $p0], [$p1, $p1]]"
	[ "$(stats "$tmp/apart.json" 2)" = "$want" ] || bad "gil on pu:0,pu:1: $(stats "$tmp/apart.json" 2), want $want"
	# The figures' label (scripts/where.py) says how many threads each CPU
	# held when one held more than one: four threads three and one run
	# python2.7's count-down about a tenth faster than two and two.
	"$CMBENCH" run -w countdown -m gil -n 2,3,4 --reps 1 --warmup 0 --counters none --pin pu:0,pu:1 \
		--param n=300000 -o "$tmp/split.json" >/dev/null 2>"$tmp/err" || bad "gil split: $(cat "$tmp/err")"
	labels=$(/usr/bin/python3 - "$HERE/scripts" "$tmp/split.json" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import where
d = json.load(open(sys.argv[2]))
print("; ".join(where.label(b["model_stats"]) for b in d["benchmarks"] if b.get("run_type") == "iteration"))
PY
)
	[ "$labels" = "2 CPUs; 2 CPUs (2+1); 2 CPUs (2+2)" ] || bad "where.label of 2, 3, 4 workers on pu:0,pu:1: '$labels'"
fi
# The CPython side: scripts/cpython-workloads.py with place= (any python3).
out=$(python3 "$HERE/scripts/cpython-workloads.py" countdown 2 n=20000 place="$p0")
python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d['worker_cpus'] == [[$p0, $p0]] * 2 and d['cpus_at_end'] == 1 and d['voluntary_switches'] >= 0))" "$out" ||
	bad "cpython-workloads countdown place=$p0: $out"
if [ "$(hwloc-calc -N pu all)" -ge 2 ]; then
	out=$(python3 "$HERE/scripts/cpython-workloads.py" countdown 2 n=20000 place="$p0,$p1")
	python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(not (d['worker_cpus'] == [[$p0, $p0], [$p1, $p1]] and d['cpus_at_end'] == 2))" "$out" ||
		bad "cpython-workloads countdown place=$p0,$p1: $out"
fi
[ $fail -eq 0 ] && echo "worker_where: threads, gil and cpython-workloads report the CPUs their workers ran on"
exit $fail
