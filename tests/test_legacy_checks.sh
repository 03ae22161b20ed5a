#!/usr/bin/env bash
# test_legacy_checks.sh — scripts/lock_holds.py's check_outcomes reads the
# traces of build/liblock-trace.so and says what became of CPython 2's lock
# at each release: taken back by the releasing thread first ("back"), or
# taken over by another ("over"), and how long each overtaken thread's next
# successful sem_wait took. A hand-made trace: four releases, one kept, three
# taken over (a failed sem_trywait is no take; another semaphore, posted less,
# is not the lock), the overtaken waits 1.642 and 28.895 µs. Then
# scripts/legacy-checks: bad input exits 2 with one line before anything
# runs, and with python2.7 and a build without sanitizers, one traced run a
# side gives a row each with every column.
HERE=$(cd "$(dirname "$0")/.." && pwd)
export CMBENCH_SOURCE_DIR=$HERE
. "$HERE/tests/lib.sh"
: "${CMBENCH:?path to the cmbench binary}"
# tid start end call address result; calls: 9 sem_wait, 10 sem_post, 11 sem_trywait
cat >"$tmp/trace.42" <<'EOF'
1 100 150 10 0xa 0
1 160 170 11 0xa 0
1 300 350 10 0xa 0
2 0 360 9 0xa 0
1 355 357 11 0xa -1
1 358 2000 9 0xa 0
2 1000 1100 10 0xa 0
2 1105 30000 9 0xa 0
1 2500 2600 10 0xa 0
3 10 20 10 0xb 0
EOF
python3 - "$tmp/trace" <<'PY' || bad "check_outcomes read the hand-made trace wrong"
import os, sys
sys.path.insert(0, os.path.join(os.environ["CMBENCH_SOURCE_DIR"], "scripts"))
import lock_holds
got = lock_holds.check_outcomes(sys.argv[1])
want = {"releases": 4, "back": 1, "over": 3, "over_waits_us": [1.642, 28.895]}
ok = (got is not None and all(got[k] == want[k] for k in ("releases", "back", "over"))
      and len(got["over_waits_us"]) == 2
      and all(abs(a - b) < 1e-9 for a, b in zip(got["over_waits_us"], want["over_waits_us"])))
if not ok:
    print("got", got, "want", want)
sys.exit(0 if ok else 1)
PY
python3 - "$tmp/none" <<'PY' || bad "check_outcomes of no trace is not None"
import os, sys
sys.path.insert(0, os.path.join(os.environ["CMBENCH_SOURCE_DIR"], "scripts"))
import lock_holds
sys.exit(0 if lock_holds.check_outcomes(sys.argv[1]) is None else 1)
PY
rejects "$HERE/scripts/legacy-checks" \
	"--cmbench $CMBENCH --runs 0" "--cmbench $CMBENCH --n 10" "--cmbench $CMBENCH --n 9000000" "--cmbench $tmp/no-cmbench"
[ $fail -eq 0 ] || exit 1
if sanitized "$CMBENCH"; then
	echo "legacy-checks: trace read right, bad input exit 2 (a sanitizer build cannot preload the tracer: no run)"
	exit 0
fi
need_pythons 2.7
[ "$(hwloc-calc -N pu all 2>/dev/null || echo 1)" -ge 2 ] ||
	{ echo "legacy-checks: trace read right, bad input exit 2 (one PU: no run)"; exit 0; }
"$HERE/scripts/legacy-checks" --cmbench "$CMBENCH" --runs 1 --n 200000 >"$tmp/out" 2>"$tmp/err" ||
	{ echo "FAIL: legacy-checks exited $?: $(cat "$tmp/err")"; exit 1; }
for side in python2.7 cmbench; do
	grep -Eq "^\| $side \| [0-9.]+ \| [0-9]+ \| [0-9]{3,} \| [0-9]+ % \| [0-9]+ % \| [0-9]+ % \(median [0-9.]+ µs\) \|$" "$tmp/out" ||
		bad "no full row for $side: $(cat "$tmp/out")"
done
[ $fail -eq 0 ] && echo "legacy-checks: trace read right, a traced run a side, bad input exit 2"
exit $fail
