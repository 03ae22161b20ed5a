#!/usr/bin/env bash
# test_drop_requests.sh — scripts/lock_holds.py's drop_requests reads the
# traces of build/liblock-trace.so and says what became of each drop request
# of CPython 3's GIL (or the emulation's): a timed-out wait for the lock that
# the holder answered by dropping it, who took the lock next, whether the I/O
# thread was waiting, and how soon after the requester waited again the drop
# came. A hand-made trace: thread 1 sends (the I/O thread), 2 and 3 are CPU
# threads. Thread 2 asks at 100 µs, waits again at 101, thread 3 drops at
# 101.5 and 2 takes it back (0.5 µs: the requester); 3 asks at 400, waits
# again at 401, 2 drops at 409 and the waiting I/O thread takes it (8 µs);
# the I/O thread asks at 1000, waits again at 1000.5, 3 drops at 1003 and 2
# takes it (another); a last timed-out wait is followed by no drop within
# 1 ms (the lock changed hands: no request). A second hand-made trace for
# io_releases: the I/O thread takes the lock over at 102 µs, holds it 20 µs,
# releases it for a send, and a CPU thread on its way (not waiting) takes it
# during the send: lost; it takes it over again at 302, holds it 3 µs for
# the recv, and the CPU thread that was waiting takes it: lost; it takes it
# over at 502, holds 1 µs, sends and takes it back: kept; then releases it
# for a recv after taking it back from itself (no take-over hold) and takes
# it back: kept. Then scripts/drop-requests:
# bad input exits 2 with one line before anything runs (a --param cmbench
# refuses included, and one the script sets itself), and with python3.11
# and a build without sanitizers one traced run a side gives a full row
# each, the --param on cmbench's only.
HERE=$(cd "$(dirname "$0")/.." && pwd)
export CMBENCH_SOURCE_DIR=$HERE
. "$HERE/tests/lib.sh"
: "${CMBENCH:?path to the cmbench binary}"
# tid start end call address result (ns); calls: 3 cond_timedwait, 4 cond_signal, 6 send
cat >"$tmp/trace.42" <<'EOF'
1 0 1000 6 5 64
1 2000 200000 3 0xc 0
1 201000 202000 4 0xs 0
2 10000 100000 3 0xc 110
2 101000 160000 3 0xc 0
3 101500 102000 4 0xc 0
2 161000 162000 4 0xs 0
3 110000 400000 3 0xc 110
3 401000 500000 3 0xc 0
2 409000 410000 4 0xc 0
1 300000 420000 3 0xc 0
1 421000 422000 4 0xs 0
1 430000 1000000 3 0xc 110
1 1000500 1100000 3 0xc 0
3 1003000 1004000 4 0xc 0
2 1005000 1006000 4 0xs 0
2 2000000 3000000 3 0xc 110
2 3000100 9000000 3 0xc 0
EOF
python3 - "$tmp/trace" <<'PY' || bad "drop_requests read the hand-made trace wrong"
import os, sys
sys.path.insert(0, os.path.join(os.environ["CMBENCH_SOURCE_DIR"], "scripts"))
import lock_holds
got = lock_holds.drop_requests(lock_holds.io_process(sys.argv[1]))
want = [("cpu", "requester", True, 0.5, 1.0), ("cpu", "io", True, 8.0, 1.0), ("io", "other", True, 2.5, 0.5)]
ok = len(got) == len(want) and all(
    (g["requester"], g["taker"], g["io_waiting"]) == w[:3] and abs(g["delay_us"] - w[3]) < 1e-9
    and abs(g["again_us"] - w[4]) < 1e-9 for g, w in zip(got, want))
# The I/O thread began its wait (at 2 and 300 µs) before each CPU requester waited again.
ok = ok and got[0]["io_first"] and got[1]["io_first"]
if not ok:
    print("got", got, "want", want)
sys.exit(0 if ok else 1)
PY
# tid start end call address result (ns); 7 recv
cat >"$tmp/rel.7" <<'EOF'
2 0 1000 4 0xs 0
1 2000 100000 3 0xc 0
2 99000 99500 4 0xc 0
1 101000 102000 4 0xs 0
1 122000 122500 4 0xc 0
1 123000 170000 6 5 64
2 150000 151000 4 0xs 0
1 171000 300000 3 0xc 0
2 290000 291000 4 0xc 0
1 301000 302000 4 0xs 0
1 305000 305500 4 0xc 0
2 292000 320000 3 0xc 0
1 306000 310000 7 5 64
2 321000 322000 4 0xs 0
1 311000 500000 3 0xc 0
2 499000 499500 4 0xc 0
1 501000 502000 4 0xs 0
1 503000 503500 4 0xc 0
1 504000 510000 6 5 64
1 511000 512000 4 0xs 0
1 515000 515500 4 0xc 0
1 516000 520000 7 5 64
1 521000 522000 4 0xs 0
EOF
python3 - "$tmp/rel" <<'PY' || bad "io_releases read the hand-made trace wrong"
import os, sys
sys.path.insert(0, os.path.join(os.environ["CMBENCH_SOURCE_DIR"], "scripts"))
import lock_holds
got = lock_holds.io_releases(lock_holds.io_process(sys.argv[1]))
want = [("send", True, 20.0, False), ("reply", True, 3.0, True), ("send", False, 1.0, None),
        ("reply", False, None, None)]
ok = len(got) == len(want) and all(
    (g["call"], g["lost"], g["taker_waiting"]) == (w[0], w[1], w[3])
    and (g["hold_us"] is None if w[2] is None else abs(g["hold_us"] - w[2]) < 1e-9) for g, w in zip(got, want))
if not ok:
    print("got", got, "want", want)
sys.exit(0 if ok else 1)
PY
rejects "$HERE/scripts/drop-requests" \
	"--cmbench $CMBENCH --runs 0" "--cmbench $CMBENCH --switch-ms 0" "--cmbench $CMBENCH --cpu 0" "--cmbench $CMBENCH --requests 1" "--cmbench $tmp/no-cmbench" \
	"--cmbench $CMBENCH --param nosuch=1" "--cmbench $CMBENCH --param cold-lines=1,2" "--cmbench $CMBENCH --param cold-lines" \
	"--cmbench $CMBENCH --param switch=1ms"
[ $fail -eq 0 ] || exit 1
if sanitized "$CMBENCH"; then
	echo "drop-requests: trace read right, bad input exit 2 (a sanitizer build cannot preload the tracer: no run)"
	exit 0
fi
need_pythons 3.11
# --param reaches cmbench's side only: a 20 ms reply makes its p50 at least 20 ms, CPython's stays near 2.
"$HERE/scripts/drop-requests" --cmbench "$CMBENCH" --runs 1 --switch-ms 2 --requests 10 --param delay=20ms >"$tmp/out" 2>"$tmp/err" ||
	{ echo "FAIL: drop-requests exited $?: $(cat "$tmp/err")"; exit 1; }
row='[0-9]+ of [0-9]+ \| [0-9]+ / [0-9]+ / [0-9]+ of [0-9]+ \| [0-9]+ of [0-9]+ \| [0-9]+ of [0-9]+ \|$'
grep -Eq "^\| CPython 3\.11\.[0-9]+ \| [0-9.]+ \| ([0-9]|1[0-9])\.[0-9]+ \| $row" "$tmp/out" ||
	bad "no full row for CPython with a p50 under 20 ms: $(cat "$tmp/out")"
grep -Eq "^\| cmbench \(delay=20ms\) \| [0-9.]+ \| ([2-9][0-9]|[0-9]{3,})\.[0-9]+ \| $row" "$tmp/out" ||
	bad "no full row for cmbench (delay=20ms) with a p50 of 20 ms or more: $(cat "$tmp/out")"
for side in "CPython" "cmbench \(delay=20ms\)"; do
	grep -Eq "^$side: the I/O thread lost the lock at its send in [0-9]+ of [0-9]+ .* at its recv of the reply in [0-9]+ of [0-9]+ " "$tmp/out" ||
		bad "no line of the I/O thread's releases for $side: $(cat "$tmp/out")"
done
[ $fail -eq 0 ] && echo "drop-requests: trace read right, a traced run a side with a cmbench --param, bad input exit 2"
exit $fail
