#!/usr/bin/env bash
# test_limits.sh — `cmbench limits`: every floor is in the table, either
# with a positive figure or marked unavailable with a reason; --json has
# the schema results' context.floors uses; on a synthetic one-PU topology
# the cross-CPU floors are unavailable (there is no second core), not
# faked; bad options exit 2 before anything is measured.
set -euo pipefail
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
quick=(--rounds 3 --round-ms 2)

"$CMBENCH" limits "${quick[@]}" > "$tmp/table"
cat "$tmp/table"
names=$("$CMBENCH" limits --help | awk '/^Floors:/{f=1;next} f&&NF{print $1}')
check "the help lists 15 floors" '[ "$(echo "$names" | wc -l)" -eq 15 ]'
for n in $names; do
	line=$(grep -E "^$n " "$tmp/table" || true)
	check "$n is in the table" '[ -n "$line" ]'
	fig=$(echo "$line" | awk '{print $2}')
	if [ "$fig" = unavailable ]; then
		check "$n says why it is unavailable" '[ "$(echo "$line" | awk "{print NF}")" -ge 5 ]'
	else
		check "$n has a positive figure ($fig)" 'awk -v v="$fig" "BEGIN{exit !(v > 0)}"'
	fi
done
check "the same-process floors are always measured" \
	'! grep -E "^(coro_switch|futex_unpinned|sha512_evp|countdown|thread_create_join) +unavailable" "$tmp/table"'

"$CMBENCH" limits "${quick[@]}" --json > "$tmp/floors.json"
python3 - "$tmp/floors.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["machine"], str) and d["machine"], "machine"
assert d["coro_switch_impl"], "coro_switch_impl"
f = d["floors"]
assert len(f) == 15, sorted(f)
for name, o in f.items():
    assert o["unit"] in ("ns", "us", "MB/s"), (name, o)
    assert isinstance(o["higher_is_better"], bool), (name, o)
    if o.get("available") is False:
        assert o["why"], (name, o)
        assert "median" not in o, (name, o)
    else:
        assert 0 < o["min"] <= o["median"] <= o["max"], (name, o)
        assert o["rounds"] == 3 and o["ops_per_round"] >= 1, (name, o)
        assert o["spread_pct"] >= 0, (name, o)
assert f["sha512_evp"]["unit"] == "MB/s" and f["sha512_evp"]["higher_is_better"]
print("ok: --json schema")
PY

# A one-PU machine: nothing to hand over to across cores; and a synthetic
# topology cannot be bound, so the pinned same-PU floors say so too.
"$CMBENCH" limits "${quick[@]}" --topology pu:1 --only futex_cross_cpu,condvar_cross_cpu,pipe_cross_cpu,futex_same_cpu,futex_unpinned > "$tmp/one"
cat "$tmp/one"
for n in futex_cross_cpu condvar_cross_cpu pipe_cross_cpu; do
	check "pu:1: $n unavailable, no second core" 'grep -Eq "^$n +unavailable .*1 core .*no second core" "$tmp/one"'
done
check "pu:1: futex_same_cpu cannot be pinned on a synthetic topology" \
	'grep -Eq "^futex_same_cpu +unavailable .*cannot pin" "$tmp/one"'
check "pu:1: futex_unpinned is measured" 'grep -Eq "^futex_unpinned +[0-9]" "$tmp/one"'
check "pu:1: a floor not selected is marked so" 'grep -Eq "^countdown +unavailable .*not selected" "$tmp/one"'
"$CMBENCH" limits "${quick[@]}" --topology "core:2 pu:1" --only futex_cross_cpu > "$tmp/two"
check "core:2 synthetic: cross is unavailable because it cannot pin" \
	'grep -Eq "^futex_cross_cpu +unavailable .*cannot pin" "$tmp/two"'

# A run's cells against the floors recorded in its context: the cells that
# have a floor carry "floor" {name, unit, floor, figure, ratio} in their
# median entry, consistent with the context and with their own figures;
# the others none; the summary says "x floor", the report has the section.
"$CMBENCH" run -w yield,countdown -m sequential,threads -n 1,2 --profile quick --reps 2 \
	--param yield:handoff=condvar --cache-dir "$tmp/cache" -o "$tmp/run.json" > "$tmp/summary" 2>/dev/null
check "run with floors: the summary shows x floor" 'grep -q "x floor\$" "$tmp/summary" && grep -Eq "^  threads/handoff=condvar +2 .* [0-9.]+\$" "$tmp/summary"'
check "run with floors: each ratio is its figure against the context's floor" "python3 - '$tmp/run.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
floors = d['context']['floors']['floors']
med = {b['run_name']: b for b in d['benchmarks'] if b.get('aggregate_name') == 'median'}
# unpinned: held against the cheapest condvar placement (floor_bound)
lowest = min((n for n in ('condvar_same_cpu', 'condvar_cross_cpu', 'condvar_unpinned')
              if floors[n].get('available', True) and 'median' in floors[n]),
             key=lambda n: floors[n]['median'])
want = {'yield/threads/workers:2/handoff=condvar': (lowest, 'ns_per_switch'),
        'countdown/sequential/workers:1': ('countdown', 'ns_per_unit'),
        'countdown/sequential/workers:2': ('countdown', 'ns_per_unit')}
for name, b in med.items():
    f = b.get('floor')
    if name not in want:
        assert f is None, (name, f)
        continue
    fname, key = want[name]
    assert f and f['name'] == fname, (name, f)
    assert abs(f['floor'] - floors[fname]['median']) < 1e-9 * f['floor'], f
    assert abs(f['figure'] - b['workload_stats'][key]) < 1e-9 * f['figure'], (f, b['workload_stats'])
    assert abs(f['ratio'] - f['figure'] / f['floor']) < 1e-9 * f['ratio'], f
    assert f['unit'] == floors[fname]['unit']
PY"
"$CMBENCH" report "$tmp/run.json" -o "$tmp/report" > /dev/null 2>&1
check "the report has the floors section with the cells' ratios" \
	'grep -q "Against this machine" "$tmp/report/report.html" && grep -Eq "yield/threads/workers:2/handoff=condvar</td>.*condvar_(same_cpu|cross_cpu|unpinned)" "$tmp/report/report.html"'
"$CMBENCH" run -w yield -m threads -n 2 --pin single --profile quick --reps 2 --param handoff=futex \
	--cache-dir "$tmp/cache" -o "$tmp/single.json" > /dev/null 2>&1
check "both workers bound to one PU: the same-CPU floor" "python3 - '$tmp/single.json' <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = [b['floor'] for b in d['benchmarks'] if b.get('aggregate_name') == 'median'][0]
assert f['name'] == 'futex_same_cpu', f
PY"
"$CMBENCH" run -w yield -m threads -n 2 --profile quick --reps 2 --no-floors --cache-dir "$tmp/cache" \
	-o "$tmp/nofloors.json" > "$tmp/summary2" 2>/dev/null
check "--no-floors: no floor in the cells, none in the summary" \
	'! grep -q "\"floor\"" "$tmp/nofloors.json" && ! grep -q "x floor" "$tmp/summary2"'

# Bad input: one line naming the value, exit 2, nothing measured.
for bad in "--rounds 2" "--round-ms 0" "--only nope" "--only futex_same_cpu,x" "--topology nonsense:9:9" "extra"; do
	set +e; "$CMBENCH" limits $bad > "$tmp/out" 2> "$tmp/err"; rc=$?; set -e
	check "limits $bad exits 2" '[ $rc -eq 2 ]'
	check "limits $bad: one line, nothing measured" '[ "$(wc -l < "$tmp/err")" -ge 1 ] && ! grep -q floor "$tmp/out"'
done
exit $fail
