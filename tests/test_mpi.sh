#!/usr/bin/env bash
# test_mpi.sh — the mpi model on this machine (2 to 4 ranks): every CPU-bound
# workload verified at 1, 2, 4 ranks; every workload that can run in
# separate address spaces verified under mpi and every other one skipped
# with its reason; the reductions (dice combine=reduce, the pi of the
# tutorials, primesum split=static) made with MPI_Reduce and verified at 2 to
# 4 ranks, a spoiled reduction rejected; samplesort's exchange by messages
# verified at 1 to 4 ranks, a spoiled exchange rejected; pingpong verified under mpi,
# processes and threads; a killed rank reported with its rank and signal; a hang
# stopped by --timeout with no process left; --dry-run's mpirun line; the
# usage errors (bad hostfile, --pin mpirun cannot express, no mpirun).
# Every reduction kind (u64/i64/double sum, min, max) through MPI_Reduce:
# tests/test_mpi_reduce.c (its own test workload, so its own rank program).
# Skipped (77) only when mpirun cannot start a job here at all.
set -u
fail=0
tmp=$(mktemp -d)
marker="$tmp/cache-marker"   # on every rank's command line (--cache-dir): finds leftovers
trap 'pkill -KILL -f "$marker" 2>/dev/null; rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
run() { "$CMBENCH" run --cache-dir "$marker" "$@"; }
leftovers() {
	sleep 0.5
	local n; n=$(pgrep -f -- "$marker" | wc -l)
	[ "$n" -eq 0 ] && ok "$1: no leftover process" || { bad "$1: $n leftover processes"; ps -ef | grep -- "$marker" | grep -v grep; }
}

# Under a sanitizer build every process (the runner, its cells, the ranks)
# writes its reports to $tmp/san, checked at the end: a rank's report at
# exit (a leak) would otherwise go to mpirun's standard error, which the
# model reads only when a rank dies. Open MPI's own leaks are suppressed
# (tests/mpi.lsan.supp), nothing else.
sanitized=0
if grep -qa -- '-fsanitize=' "$CMBENCH"; then
	sanitized=1
	mkdir -p "$tmp/san"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/san/asan"
	# The ranks unwind malloc's callers the slow way (Open MPI has no frame
	# pointers: the fast unwinder stops before the frames the suppressions
	# name); the runner does not need it and would crawl.
	printf '#!/bin/sh\nASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" exec "%s" "$@"\n' "$CMBENCH" >"$tmp/rank"
	chmod +x "$tmp/rank"
	export CMBENCH_MPI_RANK_EXE="$tmp/rank"
	export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=${CMBENCH_SOURCE_DIR:-$(dirname "$0")/..}/tests/mpi.lsan.supp:print_suppressions=0"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/san/ubsan"
	export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}log_path=$tmp/san/tsan"
fi
sanitizer_reports() { # sanitizer_reports LABEL: fail on any report written so far, then forget them
	[ $sanitized -eq 1 ] || return 0
	local f
	for f in "$tmp"/san/*; do
		[ -s "$f" ] || continue
		bad "$1: sanitizer report $(basename "$f"):"; head -40 "$f"
	done
	rm -f "$tmp"/san/*
}

root=(); [ "$(id -u)" = 0 ] && root=(--allow-run-as-root)
if ! command -v mpirun >/dev/null; then echo "skip: no mpirun on PATH"; exit 77; fi
if ! timeout 60 mpirun "${root[@]}" --oversubscribe -n 2 --mca btl self,vader \
	--mca btl_vader_single_copy_mechanism none --mca btl_tcp_if_include lo \
	--mca oob_tcp_if_include lo true >"$tmp/probe" 2>&1; then
	echo "skip: mpirun cannot start 2 processes here:"; cat "$tmp/probe"; exit 77
fi

# 1. CPU-bound workloads at 1, 2, 4 ranks: verified, region time and start-up recorded
run -w countdown,integrate,sha512 -m mpi -n 1,2,4 --profile quick --reps 2 --warmup 1 \
	-o "$tmp/cpu.json" >"$tmp/out" 2>&1 || { bad "cpu workloads under mpi: exit $?"; tail -5 "$tmp/out"; }
python3 - "$tmp/cpu.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
it = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
assert not [b for b in d["benchmarks"] if b.get("error_occurred")], "errors"
cells = {b["run_name"] for b in it}
assert len(cells) == 9, cells
for b in it:
    assert b["verified"] and b["real_time"] > 0, b["run_name"]
    s = b["model_stats"]
    assert s["mpirun_startup_ns"] > 0, b["run_name"]
    assert len(s["ranks"]) == b["workers"], b["run_name"]
    assert "mpi-rank" in s["mpirun_command"]
    # one mpirun ran the warm-up and both repetitions: none was launched for them
    assert s["mpirun_launched_this_rep"] is False, b["run_name"]
    assert "task-clock" in b["counters_unsupported"] or not b["counters"], b["run_name"]
print("ok: countdown, integrate, sha512 verified under mpi at 1, 2, 4 ranks, one mpirun per cell")
PY

# 1b. every workload: verified under mpi, or skipped because it needs memory
# shared by every worker (never run wrong); primesum's and dice's variants
# that reduce instead of sharing a counter or a total run
all=$("$CMBENCH" list | awk '/^workloads/{f=1;next} /^[a-z]/{f=0} f && /^  [a-z]/{print $1}' | paste -sd,)
run -w "$all" -m mpi -n 2 --profile quick --reps 1 --warmup 0 --timeout 120 \
	--param primesum:split=static,queue --param dice:combine=reduce,lock \
	-o "$tmp/all.json" >"$tmp/out" 2>&1 || { bad "every workload under mpi: exit $?"; grep ERROR "$tmp/out"; }
python3 - "$tmp/all.json" "$all" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
bs = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
errors = [(b["run_name"], b.get("error_message")) for b in bs if b.get("error_occurred")]
assert not errors, errors
ran = {b["run_name"] for b in bs if not b.get("skipped")}
skipped = {b["run_name"]: b.get("skip_message", "") for b in bs if b.get("skipped")}
assert all(b["verified"] for b in bs if not b.get("skipped")), "unverified cells"
assert {b["workload"] for b in bs} == set(sys.argv[2].split(",")), "a workload is missing"
for want in ["countdown", "integrate", "sha512", "echo", "sleep", "pingpong", "samplesort",
             "dice/mpi/workers:2/combine=reduce", "primesum/mpi/workers:2/split=static"]:
    assert any(r.startswith(want + "/") or r == want for r in ran), (want, "did not run", skipped.get(want))
for want in ["sieve", "qsort", "race", "prodcons", "syncprims", "convoy", "yield",
             "ccbench-throughput", "dice/mpi/workers:2/combine=lock", "primesum/mpi/workers:2/split=queue"]:
    hit = [r for r in skipped if r == want or r.startswith(want + "/")]
    assert hit, (want, "not skipped")
for r, why in skipped.items():
    assert "shared" in why, (r, "skipped without the shared-memory reason:", why)
print("ok: %d cells verified under mpi (%s); %d skipped, each for memory shared by every worker"
      % (len(ran), ", ".join(sorted(ran)), len(skipped)))
PY

# 1c. the reductions at 2, 3, 4 ranks (3: tasks shared out unevenly): the pi
# of the tutorials and primesum's sums, by MPI_Reduce inside the region
run -w dice,primesum -m mpi -n 2,3,4 --profile quick --reps 2 --warmup 1 --param dice:experiment=pi \
	--param primesum:split=static -o "$tmp/reduce.json" >"$tmp/out" 2>&1 ||
	{ bad "reductions under mpi: exit $?"; grep ERROR "$tmp/out"; }
python3 - "$tmp/reduce.json" <<'PY' || fail=1
import json, sys
bs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("run_type") == "iteration"]
assert len(bs) == 12, [b["run_name"] for b in bs]
for b in bs:
    assert not b.get("skipped") and not b.get("error_occurred") and b["verified"], b["run_name"]
    assert len(b["model_stats"]["ranks"]) == b["workers"], b["run_name"]
pi = [b["workload_stats"]["pi_estimate"] for b in bs if b["workload"] == "dice"]
assert all(abs(p - 3.14159) < 0.02 for p in pi), pi
print("ok: dice (pi ~ %.4f) and primesum reduced with MPI and verified at 2, 3, 4 ranks" % pi[0])
PY

# What run printed, its lines joined: a long message is broken at spaces to
# fit 100 columns (summary, progress), the continuation indented.
joined() { tr -s ' \n' '  ' <"$1"; }

# 1d. a reduction that does not fold the tasks' results: a wrong answer, an error
CMBENCH_MPI_TEST_SPOIL_REDUCTION=1 run -w dice -m mpi -n 3 --profile quick --reps 1 --warmup 0 \
	-o "$tmp/spoil.json" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || bad "spoiled reduction: exit $rc, wanted 1"
joined "$tmp/out" | grep -q "ERROR: wrong answer: reduction: field 0 (offset 0) is 300001, the tasks' results fold to 300000" &&
	ok "spoiled reduction rejected" || { bad "spoiled reduction not rejected"; cat "$tmp/out"; }

# 1e. samplesort: its exchange as MPI messages, verified at 1 to 4 ranks (3:
# a bye in every round of the tournament); a spoiled exchange (a key lost, a
# bucket sent to the wrong rank) is a wrong answer
run -w samplesort -m mpi -n 1,2,3,4 --profile quick --reps 2 --warmup 0 -o "$tmp/ss.json" >"$tmp/out" 2>&1 ||
	{ bad "samplesort under mpi: exit $?"; grep ERROR "$tmp/out"; }
python3 - "$tmp/ss.json" <<'PY' || fail=1
import json, sys
bs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("run_type") == "iteration"]
assert len({b["run_name"] for b in bs}) == 4, [b["run_name"] for b in bs]
for b in bs:
    assert not b.get("skipped") and not b.get("error_occurred") and b["verified"], b["run_name"]
    s = b["workload_stats"]
    assert 0 < s["largest_bucket_vs_share"] < 2, (b["run_name"], s)
    assert (s["keys_exchanged"] > 0) == (b["workers"] > 1), (b["run_name"], s)
print("ok: samplesort exchanged by MPI messages and verified at 1, 2, 3, 4 ranks")
PY
for fault in lose misroute; do
	CMBENCH_SAMPLESORT_TEST_FAULT=$fault run -w samplesort -m mpi -n 3 --profile quick --reps 1 --warmup 0 \
		-o "$tmp/ssf.json" >"$tmp/out" 2>&1
	rc=$?
	[ $rc -eq 1 ] || bad "samplesort fault $fault: exit $rc, wanted 1"
	joined "$tmp/out" | grep -Eq "ERROR: wrong answer: samplesort: .*(keys lost or duplicated|not globally sorted)" &&
		ok "samplesort fault $fault rejected" || { bad "samplesort fault $fault not rejected"; cat "$tmp/out"; }
done

# 2. pingpong: the same workload under mpi (MPI_Send/Recv), processes (pipes), threads (condvar)
run -w pingpong -m mpi,processes -n 2 --reps 1 --warmup 0 --param max_size=64K \
	--param iters=50 -o "$tmp/pp.json" >"$tmp/out" 2>&1 || { bad "pingpong: exit $?"; tail -5 "$tmp/out"; }
run -w pingpong -m threads -n 2 --reps 1 --warmup 0 --param max_size=64K \
	--param iters=50 --param transport=condvar -o "$tmp/pp2.json" >"$tmp/out" 2>&1 ||
	{ bad "pingpong condvar: exit $?"; tail -5 "$tmp/out"; }
python3 - "$tmp/pp.json" "$tmp/pp2.json" <<'PY' || fail=1
import json, sys
it = [b for p in sys.argv[1:] for b in json.load(open(p))["benchmarks"] if b.get("run_type") == "iteration"]
assert len(it) == 3 and all(b["verified"] for b in it), [b["run_name"] for b in it]
for b in it:
    rows = b["workload_stats"]["osu"]
    assert [r["size"] for r in rows] == [1 << i for i in range(17)], b["run_name"]
    assert all(r["latency_us"] > 0 and r["MBps"] > 0 for r in rows), b["run_name"]
print("ok: pingpong verified under mpi, processes, threads (condvar); 1 B..64 KiB")
PY

# 2b. a task that fails in a rank: an error naming the rank and the reason
run -w pingpong -m mpi -n 2 --reps 1 --warmup 0 --param transport=pipe -o "$tmp/fail.json" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || bad "failing task: exit $rc, wanted 1"
joined "$tmp/out" | grep -q "ERROR: mpi: rank [01]: pingpong: transport=pipe needs tasks that share" &&
	ok "failing task in a rank reported" || { bad "failing task not reported"; cat "$tmp/out"; }

# 2c. mpirun that cannot start the job: its own first words in the error
printf 'localhost slots=1\n' >"$tmp/hosts1"
run -w countdown -m mpi -n 2 --param "hostfile=$tmp/hosts1" --profile quick --reps 1 -o "$tmp/slots.json" >"$tmp/out" 2>&1
joined "$tmp/out" | grep -q "ERROR: mpi: mpirun ended while starting: There are not enough slots" &&
	ok "mpirun refusing the job reported" || { bad "mpirun's refusal not reported"; cat "$tmp/out"; }

# 2d. a workload that needs memory shared by every worker: a skipped cell with the reason
run -w convoy -m mpi -n 2 --profile quick --reps 1 -o "$tmp/convoy.json" >"$tmp/out" 2>&1
grep -qi "shared memory" "$tmp/out" && ok "convoy under mpi skipped: shared memory" ||
	{ bad "convoy under mpi not skipped with its reason"; cat "$tmp/out"; }
# the summary's line of a skipped cell: the reason, neither a time nor "verified"
# (its block's heading names the workload, the row the model and the workers)
grep -Eq "^  mpi +2  skipped: convoy needs shared memory" "$tmp/out" &&
	ok "summary: convoy's line says skipped" || { bad "summary line of a skipped cell"; cat "$tmp/out"; }

sanitizer_reports "before the killed rank"
# 3. a rank killed mid-region: an error naming the rank and the signal, nothing left
run -w countdown -m mpi -n 2 --param n=1000G --reps 1 --warmup 0 --timeout 120 \
	-o "$tmp/kill.json" >"$tmp/out" 2>&1 &
runner=$!
victim=""
for _ in $(seq 200); do
	for p in $(pgrep -f -- "mpi-rank.*$marker"); do
		tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && victim=$p
	done
	[ -n "$victim" ] && break
	sleep 0.1
done
# In the plain build a second is enough for the ranks to be inside the
# region; under a sanitizer their start-up takes seconds and the signal may
# land in MPI_Init. Either way a rank killed while the job runs must be
# named, which is what is checked below (not where in the rank it died).
sleep 1
[ -n "$victim" ] && kill -SEGV "$victim"
wait $runner
rc=$?
[ $rc -eq 1 ] || bad "killed rank: exit $rc, wanted 1"
# A sanitizer build catches the SIGSEGV itself and exits (TSan: status 66):
# there the rank must still be named, with how it ended.
died="killed by signal SIGSEGV"
[ $sanitized -eq 1 ] && died="(killed by signal|exited with status)"
joined "$tmp/out" | grep -Eq "ERROR: mpi: rank 1 .*$died" && ok "killed rank reported: $(grep -m1 -o 'mpi: rank 1.*' "$tmp/out")" ||
	{ bad "killed rank not reported as rank 1 / SIGSEGV"; cat "$tmp/out"; }
leftovers "killed rank"
rm -f "$tmp"/san/* # the killed rank's own report of its SIGSEGV

# 4. a hang: --timeout kills the cell, mpirun and every rank
run -w countdown -m mpi -n 2 --param n=1000G --reps 1 --warmup 0 --timeout 3 \
	-o "$tmp/hang.json" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || bad "hang: exit $rc, wanted 1"
grep -q "timed out after 3 s" "$tmp/out" && ok "hang stopped by --timeout" || { bad "hang not timed out"; cat "$tmp/out"; }
leftovers "hang"

# 5. --dry-run prints the exact mpirun command line
out=$(run -w countdown -m mpi -n 4 --pin cores --profile quick --dry-run) || bad "dry-run: exit $?"
echo "$out" | grep -q "^countdown/mpi/workers:4/pin:cores$" || bad "dry-run: no cell name: $out"
line=$(echo "$out" | grep "mpirun")
for want in " -n 4 " "--mca btl self,vader " "btl_vader_single_copy_mechanism none" \
	"oob_tcp_if_include lo" "--map-by core --bind-to core" "${CMBENCH_MPI_RANK_EXE:-$CMBENCH} mpi-rank --workload countdown --ntasks 4" \
	"--param n=20M"; do
	[[ "$line" == *"$want"* ]] || bad "dry-run line lacks '$want': $line"
done
[ "$(id -u)" != 0 ] || [[ "$line" == *"--allow-run-as-root"* ]] || bad "dry-run as root lacks --allow-run-as-root"
printf 'localhost slots=4\n' >"$tmp/hosts"
line=$(run -w countdown -m mpi -n 4 --param "hostfile=$tmp/hosts" --dry-run | grep mpirun)
[[ "$line" == *"--hostfile $tmp/hosts"* && "$line" != *"if_include lo"* ]] || bad "hostfile dry-run: $line"
ok "dry-run: $line"

# 6. usage errors: one line, exit 2, before anything runs
usage() { # usage LABEL PATTERN ARGS...
	local label=$1 pattern=$2; shift 2
	local err; err=$("$@" 2>&1 >/dev/null); local rc=$?
	[ $rc -eq 2 ] || bad "$label: exit $rc, wanted 2"
	[ "$(echo "$err" | wc -l)" -eq 1 ] || bad "$label: not one line: $err"
	[[ "$err" == *$pattern* ]] && ok "$label: $err" || bad "$label: '$err' lacks '$pattern'"
}
usage "missing hostfile" "hostfile=$tmp/none: cannot read it" run -w countdown -m mpi -n 2 --param "hostfile=$tmp/none"
usage "hostfile a directory" "not a regular file" run -w countdown -m mpi -n 2 --param "hostfile=$tmp"
usage "--pin single" "cannot be expressed" run -w countdown -m mpi -n 2 --pin single
usage "pingpong at 4" "exactly 2 tasks" run -w pingpong -m mpi -n 4
usage "no mpirun" "mpirun not found" env PATH=/nonexistent "$CMBENCH" run -w countdown -m mpi -n 2
PATH=/nonexistent "$CMBENCH" list | grep -A1 "^  mpi " | grep -q "unavailable: mpirun not found" &&
	ok "list: mpi unavailable without mpirun" || bad "list does not say why mpi is unavailable"
# the default model set does not include mpi (it runs when asked for)
run -w countdown -n 1 --dry-run | grep -q "/mpi/" && bad "mpi in the default model set"

sanitizer_reports "after the killed rank"
[ $fail -eq 0 ] && echo "mpi: all checks passed"
exit $fail
