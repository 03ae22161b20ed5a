#!/usr/bin/env bash
# test_coro_model.sh — the coroutines model through `cmbench run`: 10,000
# coroutines complete (yield handoffs and timer sleeps), the model reports
# its statistics, the yield workload its switch cost; M:N countdown is
# verified at threads=2,4 with 1..8 workers; echo and sleep run on every
# backend the kernel allows, with one and two schedulers; a bad context or
# backend parameter is one line naming the value.
set -u
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_json() { # check_json FILE PYTHON-EXPRESSION-ON-ENTRIES DESCRIPTION
	python3 - "$1" "$2" <<'PY' || { echo "FAIL: $3"; fail=1; }
import json, sys
d = json.load(open(sys.argv[1]))
it = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
assert it, "no iterations"
for b in it:
    assert not b.get("error_occurred"), b.get("error_message")
    assert b.get("verified") is not False, "not verified"
ok = eval(sys.argv[2], {"it": it})
assert ok, sys.argv[2]
PY
}

# A ThreadSanitizer build refuses more than ~8000 coroutines (its thread limit).
many=10000
"$CMBENCH" run -w yield -m coroutines -n 9000 --param rounds=1 --reps 1 --warmup 0 \
	-o "$tmp/probe.json" >"$tmp/out" 2>&1
if grep -q "ThreadSanitizer build supports at most" "$tmp/probe.json" 2>/dev/null; then
	many=8000
	echo "note: ThreadSanitizer build: $many coroutines instead of 10,000"
fi

if "$CMBENCH" run -w yield -m coroutines -n $many --param rounds=3 --reps 1 --warmup 0 \
	-o "$tmp/yield.json" >"$tmp/out" 2>&1; then
	check_json "$tmp/yield.json" \
		'all(b["model_stats"]["coroutines"] == '"$many"' and b["workload_stats"]["handoff"] == "yield" and b["workload_stats"]["handoffs"] > 0 and b["workload_stats"]["ns_per_switch"] > 0 and b["model_stats"]["switches"] >= b["workload_stats"]["handoffs"] for b in it)' \
		"yield with $many coroutines" && echo "ok: yield, $many coroutines"
else
	echo "FAIL: yield with $many coroutines: $(tail -3 "$tmp/out")"; fail=1
fi

if "$CMBENCH" run -w sleep -m coroutines -n $many --param duration=1ms --param waits=2 --reps 1 \
	--warmup 0 -o "$tmp/sleep.json" >"$tmp/out" 2>&1; then
	check_json "$tmp/sleep.json" \
		'all(b["model_stats"]["coroutines"] == '"$many"' and b["model_stats"]["timer_wakeups"] == 2 * '"$many"' and b["model_stats"]["parks"] == 2 * '"$many"'  for b in it)' \
		"sleep with $many coroutines" && echo "ok: sleep, $many coroutines"
else
	echo "FAIL: sleep with $many coroutines: $(tail -3 "$tmp/out")"; fail=1
fi

for ctx in full minimal ucontext; do
	"$CMBENCH" list 2>/dev/null | grep -q "one of .*$ctx" || continue
	if "$CMBENCH" run -w yield,countdown -m coroutines -n 3 --param context=$ctx --profile quick \
		--reps 1 --warmup 0 -o "$tmp/ctx.json" >"$tmp/out" 2>&1; then
		check_json "$tmp/ctx.json" 'len(it) == 2' "context=$ctx" && echo "ok: context=$ctx"
	else
		echo "FAIL: context=$ctx: $(tail -3 "$tmp/out")"; fail=1
	fi
done

# M:N: countdown verified (every decrement, every task) at threads=2 and 4
# with 1 to 8 workers; the run says how many schedulers it used.
if "$CMBENCH" run -w countdown -m coroutines -n 1,2,3,5,8 --param threads=2,4 --profile quick \
	--reps 1 --warmup 0 -o "$tmp/mn.json" >"$tmp/out" 2>&1; then
	check_json "$tmp/mn.json" \
		'len(it) == 10 and all(b["model_stats"]["schedulers"] == min(int(b["name"].split("threads=")[1]), b["workers"]) for b in it)' \
		"countdown M:N" && echo "ok: countdown, threads=2,4, 1..8 workers"
else
	echo "FAIL: countdown M:N: $(tail -3 "$tmp/out")"; fail=1
fi

# Both backends, one scheduler and two, under the I/O workloads.
backends=epoll
if "$CMBENCH" run -w sleep -m coroutines -n 2 --param backend=io_uring --param duration=1ms \
	--param waits=1 --reps 1 --warmup 0 -o "$tmp/probe.json" >"$tmp/out" 2>&1; then
	backends=epoll,io_uring
else
	echo "note: io_uring refused here: $(grep -o 'backend=io_uring[^"]*' "$tmp/probe.json" | head -1)"
fi
if "$CMBENCH" run -w echo,sleep -m coroutines -n 1,10,200 --param backend=$backends \
	--param threads=1,2 --param sleep:duration=1ms --param sleep:waits=2 --profile quick --reps 1 \
	--warmup 0 -o "$tmp/io.json" >"$tmp/out" 2>&1; then
	check_json "$tmp/io.json" \
		'all(b["model_stats"]["backend"] in "'"$backends"'" for b in it) and len(it) == 2 * 3 * 2 * len("'"$backends"'".split(","))' \
		"echo, sleep on $backends" && echo "ok: echo, sleep: backend=$backends, threads=1,2"
else
	echo "FAIL: echo, sleep on $backends: $(tail -3 "$tmp/out")"; fail=1
fi

"$CMBENCH" run -w yield -m coroutines --param backend=kqueue >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] || ! grep -qF "kqueue" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
	echo "FAIL: backend=kqueue -> rc=$rc: $(cat "$tmp/err")"; fail=1
else
	echo "ok: backend=kqueue -> $(cat "$tmp/err")"
fi

"$CMBENCH" run -w yield -m coroutines --param context=bogus >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] || ! grep -qF "bogus" "$tmp/err" || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
	echo "FAIL: context=bogus -> rc=$rc: $(cat "$tmp/err")"; fail=1
else
	echo "ok: context=bogus -> $(cat "$tmp/err")"
fi

[ $fail -eq 0 ] && echo "coro_model: all checks passed"
exit $fail
