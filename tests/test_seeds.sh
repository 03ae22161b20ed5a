#!/usr/bin/env bash
# test_seeds.sh — the tutorials' programs (benches/{sieve,dice,qsort,samplesort,
# primesum,prodcons,race,syncprims}.c) through the command line, as a user runs them:
# every variant verified under every model that can run it; the lost update
# is a figure under lock=none and exact under a lock; coroutines lose no
# update (they switch only at yield points); a model that cannot run a
# program says why (a skipped cell); bad parameters are one-line errors.
set -u
fail=0
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if ! "$@"; then echo "FAIL: $what" >&2; fail=1; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
models=sequential,threads,processes,gil,coroutines
run() { # run NAME ARGS... -> $tmp/NAME.json, exit status in $tmp/NAME.rc
	local name=$1; shift
	"$CMBENCH" run --profile quick --reps 2 --warmup 0 --timeout 60 "$@" -o "$tmp/$name.json" \
		>"$tmp/$name.out" 2>&1
	echo $? >"$tmp/$name.rc"
}

# Few cells, every model: tests/test_contract.c runs every workload under
# every model at 1, 2, 3 and 8 workers already; these check each variant.
run sieve -w sieve -m $models -n 2 --param source=counter,queue --param n=200k
run dice -w dice -m $models -n 2 --param combine=lock,reduce --param batch=7 --param trials=100k
run dicepi -w dice -m threads -n 2 --param experiment=pi --param trials=200k
run qsort -w qsort -m $models -n 3 --param n=50k --param cutoff=8
run samplesort -w samplesort -m $models -n 1,3,4 --param n=50k,7
run primesum -w primesum -m $models -n 2 --param split=static,queue --param max=30k
run prodcons -w prodcons -m sequential,threads,coroutines -n 1,2,3 --param items=5000 --param capacity=4
run race -w race -m $models -n 2 --param race:lock=none,mutex,atomic --param increments=20k
run sync -w syncprims -m $models -n 2 --param prim=lock,rlock,semaphore,event,condition,queue \
	--param share=one --param ops=2000
run syncown -w syncprims -m threads -n 2 --param prim=lock,rlock,semaphore,event,condition,queue \
	--param share=own --param ops=2000
for name in sieve dice dicepi qsort samplesort primesum race sync syncown; do
	check "$name: every cell verified (exit 0)" test "$(cat "$tmp/$name.rc")" -eq 0
	[ "$(cat "$tmp/$name.rc")" -eq 0 ] || cat "$tmp/$name.out" >&2
done

python3 - "$tmp" <<'PY' || fail=1
import json, sys, os
tmp = sys.argv[1]
ok = True
def expect(cond, what):
    global ok
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        ok = False
def entries(name):
    doc = json.load(open(os.path.join(tmp, name + ".json")))
    return [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"]
def stats(e):
    return e.get("workload_stats", {})

# The lost update: never under sequential or coroutines, never with a lock.
for e in entries("race"):
    n, s = e["name"], stats(e)
    expect("lost_updates" in s, f"{n}: lost_updates reported")
    lost = s.get("lost_updates", -1)
    if "lock=mutex" in n or "lock=atomic" in n:
        expect(lost == 0, f"{n}: a lock loses nothing (lost {lost})")
    if "/sequential/" in n or "/coroutines/" in n:
        expect(lost == 0, f"{n}: no switch between load and store, nothing lost (lost {lost})")
    if "lock=none" in n:
        expect("note" in s and "expected" in s.get("note", "") or "measured result" in s.get("note", ""),
               f"{n}: says lost updates are the result")

# The work queue grew while it was drained.
for e in entries("qsort"):
    s = stats(e)
    expect(s.get("queue_max_depth", 0) >= 1 and s.get("ranges_queued", 0) > 50,
           f"{e['name']}: the queue grew ({s})")

# The sample sort: every bucket under twice its share (regular sampling),
# keys exchanged between tasks; n=7 over 4 tasks: buckets of 1 or 2 keys
# (some may be empty); sequential cannot run tasks that wait for each other.
ss = entries("samplesort")
cells = {e["run_name"] for e in ss}
expect(len(cells) == 5 * 3 * 2, f"samplesort: {len(cells)} cells, 30 expected (5 models x 3 x 2)")
for e in ss:
    s, n = stats(e), e["name"]
    if "/sequential/" in n:
        expect(e.get("skipped") and "concurrent" in e.get("skip_message", ""), f"{n}: skipped for concurrency")
        continue
    expect(e.get("verified") is True, f"{n}: verified")
    if "n=50k" in n:
        expect(0 < s.get("largest_bucket_vs_share", 0) < 2, f"{n}: largest bucket under twice its share ({s})")
    if "workers:1" not in n and "n=50k" in n:
        expect(s.get("keys_exchanged", 0) > 0, f"{n}: keys exchanged ({s})")

# Static split: the last task got the big jobs; both splits did every job.
for e in entries("primesum"):
    s = stats(e)
    expect(s.get("jobs_most_per_task", 0) >= 1, f"{e['name']}: jobs reported ({s})")

for e in entries("dicepi"):
    pi = stats(e).get("pi_estimate", 0)
    expect(abs(pi - 3.14159) < 0.02, f"{e['name']}: pi estimate {pi}")

for e in entries("sync") + entries("syncown"):
    expect(stats(e).get("ns_per_op", 0) > 0, f"{e['name']}: ns_per_op")
sys.exit(0 if ok else 1)
PY

# prodcons: one worker cannot be producer and consumer; sequential cannot
# run two tasks at once: skipped with the reason, the others verified.
check "prodcons: 1-worker and sequential cells skipped, not failed" test "$(cat "$tmp/prodcons.rc")" -eq 0
check "prodcons: the skip says why (2 workers)" grep -q "at least 2 workers" "$tmp/prodcons.json"
check "prodcons: the skip says why (sequential)" grep -q "prodcons needs" "$tmp/prodcons.json"
"$CMBENCH" run --profile quick --reps 1 --warmup 0 -w prodcons -m threads -n 2 --tasks-per-worker 2 \
	-o "$tmp/pc2.json" >"$tmp/pc2.out" 2>&1
check "prodcons with 2 tasks per worker is an error naming the option" grep -q "tasks-per-worker 1" "$tmp/pc2.json"

# A wrong exchange is a wrong answer under every model that runs it: a key
# lost on the way (the count), a bucket delivered to the wrong task (the order).
fault() { # fault NAME WHAT: the spoiled exchange is rejected with WHAT under every model but sequential
	CMBENCH_SAMPLESORT_TEST_FAULT=$1 run "fault-$1" -w samplesort -m $models -n 3 --param n=20k
	check "samplesort fault $1: exit 1" test "$(cat "$tmp/fault-$1.rc")" -eq 1
	# each cell's progress line (a long message goes on under it: lines joined)
	local got; got=$(tr -s ' \n' '  ' <"$tmp/fault-$1.out" |
		grep -oE "\] samplesort/[^ ]* ERROR: wrong answer: samplesort: [^[]*$2" | wc -l)
	check "samplesort fault $1: rejected under the 4 models that run it (got $got)" test "$got" -eq 4
}
fault lose "keys lost or duplicated"
fault misroute "not globally sorted"
"$CMBENCH" run --profile quick --reps 1 --warmup 0 -w samplesort -m threads -n 2 --tasks-per-worker 2 \
	-o "$tmp/ss2.json" >"$tmp/ss2.out" 2>&1
check "samplesort with 2 tasks per worker is an error naming the option" grep -q "tasks-per-worker 1" "$tmp/ss2.json"

# Bad parameters: one line, exit 2, before anything runs.
for bad in "race:lock=maybe" "prim=mutex" "share=some" "source=stack" "combine=add" "split=dynamic" "n=1"; do
	case $bad in
	race:lock=*) w=race ;; prim=*|share=*) w=syncprims ;; source=*|n=*) w=sieve ;; combine=*) w=dice ;;
	split=*) w=primesum ;;
	esac
	out=$("$CMBENCH" run -w $w -m sequential --param "$bad" -o "$tmp/bad.json" 2>&1)
	rc=$?
	check "--param $bad exits 2" test $rc -eq 2
	check "--param $bad: one line naming the value" test "$(wc -l <<<"$out")" -eq 1
	check "--param $bad: nothing written" test ! -e "$tmp/bad.json"
done

# `cmbench list` names each program's source.
list=$("$CMBENCH" list)
for w in sieve dice qsort samplesort primesum prodcons race syncprims; do
	check "list shows $w" grep -q "^ *$w" <<<"$list"
done
check "list names the seeds" grep -q "Matloff" <<<"$list"

[ $fail -eq 0 ] && echo "test_seeds: passed"
exit $fail
