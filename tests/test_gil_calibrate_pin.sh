#!/usr/bin/env bash
# test_gil_calibrate_pin.sh — scripts/gil-calibrate runs CPython and cmbench
# on one CPU, the fastest by `cmbench topo --speeds` (unpinned, with the host
# slowing one vCPU, the two sides landed on different vCPUs and 3.11's tick
# came out 7 ns instead of 13), and times that CPU again at the end: if the
# host slowed it meanwhile, --write writes nothing and the script fails.
# A stand-in cmbench replays speeds for `topo` and records the CPUs each
# `run` may use before it runs the real one; a stand-in python3.11 on PATH
# records the same for CPython's runs. Needs a python3.11 and 2 CPUs. Run
# with Debian's python3: a pyenv shim puts its version's bin first on PATH,
# ahead of the stand-in.
HERE=$(cd "$(dirname "$0")/.." && pwd)
: "${CMBENCH:?path to the cmbench binary}"
export CMBENCH_SOURCE_DIR=$HERE
. "$HERE/tests/lib.sh"
need_pythons 3.11
PY=/usr/bin/python3
[ -x $PY ] || { echo "FAIL: $PY is needed (Debian's python3)"; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "skip: needs 2 CPUs"; exit 77; }
# The python3.11 the scripts find, and the pyenv version its shim needs (if any).
read -r real_py real_env < <($PY -c "import sys; sys.path.insert(0, '$HERE/scripts'); import pythons
p, env, _ = pythons.find('3.11'); print(p, (env or {}).get('PYENV_VERSION', ''))")
mkdir -p "$tmp/bin"
cat >"$tmp/cmbench" <<SH
#!/bin/sh
if [ "\$1 \$2 \$3" = "topo --speeds --json" ]; then
	n=\$(cat "\$SPEEDS.n" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"\$SPEEDS.n"
	echo "{\"cpu_speeds_now\": \$(sed -n "\${n}p" "\$SPEEDS")}"
	exit 0
fi
echo "cmbench \$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)" >>"$tmp/cpus"
exec "$CMBENCH" "\$@"
SH
cat >"$tmp/bin/python3.11" <<SH
#!/bin/sh
case "\$*" in *cpython-workloads.py*)
	echo "python \$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)" >>"$tmp/cpus";;
esac
[ -n "$real_env" ] && export PYENV_VERSION=$real_env
exec "$real_py" "\$@"
SH
chmod +x "$tmp/cmbench" "$tmp/bin/python3.11"
calibrate() {
	PATH="$tmp/bin:$PATH" SPEEDS=$tmp/speeds $PY "$HERE/scripts/gil-calibrate" --cmbench "$tmp/cmbench" \
		--n 100000 --reps 1 --only 3.11 --write --profiles "$tmp/p.def" >"$tmp/out" 2>&1
}

# CPU 1 the fastest at both ends: every run on CPU 1, the profile written.
cp "$HERE/models/gil/gil_profiles.def" "$tmp/p.def"
cat >"$tmp/speeds" <<'TXT'
[{"cpu": 0, "turns_per_ns": 2.30}, {"cpu": 1, "turns_per_ns": 3.64}]
[{"cpu": 0, "turns_per_ns": 2.35}, {"cpu": 1, "turns_per_ns": 3.60}]
TXT
calibrate || bad "a steady calibration failed: $(cat "$tmp/out")"
grep -q "^on CPU 1, the fastest of 2 (reference loop: 3.64 turns/ns)$" "$tmp/out" ||
	bad "it does not say which CPU it ran on: $(cat "$tmp/out")"
[ "$(grep -c '^python ' "$tmp/cpus")" -ge 1 ] && [ "$(grep -c '^cmbench ' "$tmp/cpus")" -ge 3 ] ||
	bad "the stand-ins did not see CPython's and cmbench's runs: $(cat "$tmp/cpus")"
grep -v ' 1$' "$tmp/cpus" && bad "a run was not on CPU 1 only (above)"
cmp -s "$tmp/p.def" "$HERE/models/gil/gil_profiles.def" && bad "--write did not rewrite the profiles"

# CPU 1 slowed by the end: nothing written, a non-zero exit, one line why.
cp "$HERE/models/gil/gil_profiles.def" "$tmp/p.def"
rm -f "$tmp/speeds.n" "$tmp/cpus"
cat >"$tmp/speeds" <<'TXT'
[{"cpu": 0, "turns_per_ns": 3.50}, {"cpu": 1, "turns_per_ns": 3.64}]
[{"cpu": 0, "turns_per_ns": 3.62}, {"cpu": 1, "turns_per_ns": 2.40}]
TXT
calibrate && bad "a calibration on a CPU the host slowed meanwhile succeeded: $(cat "$tmp/out")"
grep -q "^gil-calibrate: the host slowed CPU 1 during the calibration (reference loop 3.64, then 2.40 turns/ns): .*; nothing written; run it again$" "$tmp/out" ||
	bad "no line saying the CPU slowed: $(cat "$tmp/out")"
cmp -s "$tmp/p.def" "$HERE/models/gil/gil_profiles.def" || bad "--write wrote profiles measured on a slowed CPU"
[ $fail -eq 0 ] && echo "gil-calibrate: both sides on the fastest CPU; a CPU slowed meanwhile writes nothing"
exit $fail
