#!/usr/bin/env bash
# test_bench_ci.sh — the gate's decisions in scripts/bench-ci, on hand-made
# results instead of timings: `cmbench run` of this build and of the
# reference build are replaced by copies of crafted files, everything else
# is the real cmbench. A 50% slowdown that shows up in every round fails the
# gate; a quiet A/A pair, a different profile, a comparison with files
# measured at another time, and a reference that cannot be had do not.
set -u
: "${CMBENCH:?path to the built cmbench}" "${CMBENCH_SOURCE_DIR:?repository root}"
D=$CMBENCH_SOURCE_DIR/tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0 passed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

# fake NAME VAR — a cmbench whose `run` writes the file named by $VAR to
# the -o file, and logs its arguments to NAME.args.
fake() {
	cat >"$T/$1" <<WRAP
#!/usr/bin/env bash
if [ "\$1" = run ]; then
	echo "\$*" >>"$T/$1.args"
	while [ \$# -gt 0 ]; do [ "\$1" = -o ] && cp "\$$2" "\$2"; shift; done
	exit 0
fi
exec "$CMBENCH" "\$@"
WRAP
	chmod +x "$T/$1"
}
fake cmbench FAKE_RUN
fake ref-cmbench FAKE_REF

# gate WHAT WANT_EXIT REFERENCE RUN [BUSY_LIMIT] — run the gate, keep its
# stderr and summary. Every part of the matrix (ci, ci-gil) gets the same
# crafted files. REFERENCE is what the reference build measures (the
# default, MODE=ab) or, with MODE=file, the committed baseline files.
gate() {
	local what=$1 want=$2 ref=
	rm -rf "$T/base" "$T"/*.args
	if [ "${MODE:-ab}" = ab ]; then ref=$T/ref-cmbench
	elif [ -f "$3" ]; then
		mkdir -p "$T/base"
		for part in ci ci-gil; do cp "$3" "$T/base/$part.json"; done
	fi
	CMBENCH=$T/cmbench FAKE_RUN=$4 FAKE_REF=$3 REF_CMBENCH=$ref BASELINE_DIR=$T/base \
		CI_DIR=$T/ci CI_SUMMARY=$T/summary.md BUSY_LIMIT=${5:-1000000000} \
		bash "$CMBENCH_SOURCE_DIR/scripts/bench-ci" 2>"$T/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else
		bad "$what: exit $got, want $want"; sed 's/^/     /' "$T/err"; fi
}
has() { if grep -Eq -- "$3" "$2"; then ok "$1"; else bad "$1: no /$3/ in $2:"; sed 's/^/     /' "$2" | head -30; fi; }

gate "planted 50% slowdown fails the gate" 1 "$D/compare_base.json" "$D/compare_slow50.json"
has "summary says FAILED" "$T/summary.md" '^\*\*FAILED\*\*'
has "summary names the cell" "$T/summary.md" '^- `countdown/threads/workers:2` — speedup_vs_sequential$'
has "stderr names the cell" "$T/err" 'countdown/threads/workers:2,cpu_time'
has "confirmed by re-runs" "$T/err" 're-run 2 of 2 to confirm'

# A slowdown spent waiting (wall time only): caught by the speedups on a
# quiet machine; on a busy one (BUSY_LIMIT -1: every run counts as busy) a
# warning. CPU-time regressions fail even on a busy machine.
gate "a sleep-like slowdown fails on a quiet machine" 1 "$D/compare_base.json" "$D/compare_sleep50.json"
has "sleep: the speedup is flagged" "$T/summary.md" '^- `countdown/threads/workers:2` — speedup_vs_1worker$'
if grep -q 'workers:2,cpu_time' "$T/err"; then bad "sleep: cpu_time flagged"; else ok "sleep: cpu_time not flagged"; fi
gate "a sleep-like slowdown on a busy machine is a warning" 0 "$D/compare_base.json" "$D/compare_sleep50.json" -1
has "busy: warned, with the cell" "$T/err" 'speedups slower in every run but the machine was busy'
has "busy: summary says not failed" "$T/summary.md" '^\*\*Warning, not failed\*\*'
gate "a CPU-time slowdown fails on a busy machine too" 1 "$D/compare_base.json" "$D/compare_slow50.json" -1
has "busy cpu_time: the cell" "$T/err" 'countdown/threads/workers:2,cpu_time'

# The workload's sequential reference moved: every other model's speedup
# against it drops together. Set aside with a warning, not a failure.
gate "a moved reference is a warning" 0 "$D/compare_base.json" "$D/compare_refmoved.json"
has "moved reference: said" "$T/err" 'speedups against sequential moved together'
has "moved reference: the rows" "$T/summary.md" '^- `countdown/processes/workers:2` — speedup_vs_sequential$'

gate "A/A pair passes" 0 "$D/compare_base.json" "$D/compare_aa.json"
has "A/A: passed" "$T/summary.md" '^Passed: no gated metric is slower'
has "A/A: unsupported metric is a warning with its reason" "$T/summary.md" \
	'instructions is not gated: BASE: instructions unsupported: no hardware PMU'

gate "different profile is a warning" 0 "$D/compare_base.json" "$D/compare_quick.json"
has "different profile: said" "$T/summary.md" 'different profile: ci in BASE, quick in NEW — nothing was gated'

gate "cells missing from the baseline are a warning" 0 "$D/compare_base.json" "$D/compare_missing.json"
has "missing cells: said" "$T/summary.md" 'rows are not in the reference'

# Both builds ran, back to back, pinned, the order alternating by round.
gate "planted slowdown, for the order of the runs" 1 "$D/compare_base.json" "$D/compare_slow50.json"
if [ -s "$T/ref-cmbench.args" ] && [ "$(wc -l <"$T/ref-cmbench.args")" -eq "$(wc -l <"$T/cmbench.args")" ]; then
	ok "the reference build ran as often as this one ($(wc -l <"$T/cmbench.args") runs)"
else bad "the reference build ran $(wc -l <"$T/ref-cmbench.args" 2>/dev/null || echo 0) times, this one $(wc -l <"$T/cmbench.args")"; fi
has "workers pinned" "$T/cmbench.args" '--pin compact'
has "summary names the reference" "$T/summary.md" 'Measured against the reference binary .*ref-cmbench, side by side'

# Without a reference build: the committed files, measured at another
# time, are compared, and a slowdown is only reported.
MODE=file gate "against files: a planted slowdown is reported, not failed" 0 "$D/compare_base.json" "$D/compare_slow50.json"
has "files: the reference revision was looked for" "$T/err" 'no reference revision'
has "files: stderr says not gated" "$T/err" 'not gated \(measured at another time\)'
has "files: summary says not gated" "$T/summary.md" '^\*\*Not gated\*\*'
MODE=file gate "no baseline at all is a warning" 0 "$T/none.json" "$D/compare_aa.json"
has "no baseline: said" "$T/summary.md" 'no baseline .*/base/ci.json: the ci part is not compared'
# The revision is read from the baseline's context and looked up in git.
mkdir -p "$T/revbase"
sed 's/"context": *{/"context": {"git_revision": "0123456789ab",/' "$D/compare_base.json" >"$T/rev.json"
MODE=file gate "a reference revision not in the clone: files" 0 "$T/rev.json" "$D/compare_aa.json"
has "unknown revision: named" "$T/err" 'reference revision 0123456789ab is not in this clone'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
