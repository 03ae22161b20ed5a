#!/usr/bin/env bash
# cmbench plot and report on a small hand-made results file (tests/data):
# every expected chart is drawn as a real PNG and SVG of the size asked for,
# with the palette's colours; bad input and a missing gnuplot fail clearly.
set -u
: "${CMBENCH:?path to the cmbench binary}" "${CMBENCH_SOURCE_DIR:?path to the repository}"
CMBENCH=$(readlink -f "$CMBENCH")
RESULTS=$CMBENCH_SOURCE_DIR/tests/data/plot_small.json
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# Big-endian 32-bit integer at byte offset $2 of file $1.
be32() { od -An -tu1 -j"$2" -N4 "$1" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}'; }

check_png() { # file width height
	local f=$1
	[[ -s $f ]] || { fail "$f missing"; return; }
	[[ $(od -An -tx1 -N8 "$f" | tr -d ' \n') == 89504e470d0a1a0a ]] || { fail "$f: not a PNG"; return; }
	[[ $(od -An -c -j12 -N4 "$f" | tr -d ' \n') == IHDR ]] || { fail "$f: no IHDR first"; return; }
	local w h size
	w=$(be32 "$f" 16) h=$(be32 "$f" 20) size=$(stat -c %s "$f")
	[[ $w == "$2" && $h == "$3" ]] || fail "$f: ${w}x${h}, asked for $2x$3"
	# A blank image of this size compresses to ~2 KB; a chart with text,
	# axes and lines takes several times that.
	((size > 8000)) || fail "$f: only $size bytes: an empty image?"
}

check_svg() { # file width height
	local f=$1
	[[ -s $f ]] || { fail "$f missing"; return; }
	grep -q "<svg" "$f" || { fail "$f: not SVG"; return; }
	grep -q "width=\"$2\" height=\"$3\"" "$f" || fail "$f: not $2x$3"
	local colours
	colours=$(grep -o "stroke='rgb([ 0-9,]*)'\|fill='rgb([ 0-9,]*)'\|stroke=\"rgb([ 0-9,]*)\"" "$f" | sort -u | wc -l)
	((colours >= 3)) || fail "$f: $colours distinct colours: no content?"
}

# 1. Every chart the small file has data for, PNG and SVG, at 640x400.
out=$TMP/charts
"$CMBENCH" plot "$RESULTS" -o "$out" --size 640x400 >"$TMP/plot.out" 2>"$TMP/plot.err"
rc=$?
[[ $rc == 0 ]] || { fail "plot exited $rc"; cat "$TMP/plot.err"; }
# echo does work per worker: throughput and latency, no speedup or efficiency chart.
expected="overview speedup-countdown time-countdown time-echo
	efficiency-countdown gil_switches-countdown gil_wait-countdown
	io_throughput-echo io_latency-echo memory-echo context_switches-countdown
	context_switches-echo futex-countdown futex-echo"
for chart in $expected; do
	check_png "$out/$chart.png" 640 400
	check_svg "$out/$chart.svg" 640 400
	[[ -s $out/$chart.dat ]] || fail "$chart.dat missing"
done
# The echo workload has no GIL cells: no GIL chart for it.
[[ ! -e $out/gil_switches-echo.png ]] || fail "gil_switches-echo drawn without GIL data"
for chart in speedup-echo efficiency-echo; do
	[[ ! -e $out/$chart.png ]] || fail "$chart drawn: echo's work grows with workers, no speedup"
done
grep -q '^"echo' "$out/overview.dat" && fail "the overview puts echo on the speedup axis"
n=$(ls "$out"/*.png | wc -l)
[[ $n == 14 ]] || fail "$n PNGs drawn, expected 14"
pass "plot drew $n charts"

# A run without gil cells draws no "GIL switches" chart (coroutines count
# switches too, of another kind).
python3 - "$RESULTS" "$TMP/nogil.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["benchmarks"] = [b for b in d["benchmarks"] if b.get("model") != "gil"]
json.dump(d, open(sys.argv[2], "w"))
PYEOF
"$CMBENCH" plot "$TMP/nogil.json" -o "$TMP/nogil" >/dev/null 2>&1 || fail "plot of a file without gil cells"
if ls "$TMP/nogil"/gil_switches-* >/dev/null 2>&1; then
	fail "GIL switches charted for a run without gil cells"
else
	pass "no GIL switches chart without gil cells"
fi

# 2. One colour per model in every chart (palette.gp): threads #0072B2,
# gil (legacy) #D55E00, processes #009E73, as gnuplot's SVG writes them.
for chart in speedup-countdown time-countdown efficiency-countdown context_switches-countdown; do
	for rgb in "rgb(  0, 114, 178)" "rgb(213,  94,   0)" "rgb(  0, 158, 115)"; do
		grep -qF "$rgb" "$out/$chart.svg" || fail "$chart.svg lacks palette colour $rgb"
	done
done
pass "palette colours consistent"

# 3. The plot scripts are found from the build tree, the repository root and
# a copy of the binary elsewhere (compiled-in source directory).
cp "$CMBENCH" "$TMP/cmbench-copy"
for where in "$CMBENCH_SOURCE_DIR" "$(dirname "$CMBENCH")" "$TMP"; do
	(cd "$where" && "$TMP/cmbench-copy" plot "$RESULTS" -o "$TMP/from-dir" --format svg >/dev/null 2>&1) ||
		fail "plot from $where failed"
done
pass "plots directory found from anywhere"

# 4. Missing gnuplot: a clear error, exit 1.
mkdir -p "$TMP/empty"
env -u CMBENCH_GNUPLOT PATH="$TMP/empty" "$CMBENCH" plot "$RESULTS" -o "$TMP/nognuplot" 2>"$TMP/err"
rc=$?
[[ $rc == 1 ]] || fail "missing gnuplot: exit $rc, expected 1"
grep -q "gnuplot not found in PATH" "$TMP/err" || { fail "missing gnuplot: unclear message"; cat "$TMP/err"; }
pass "missing gnuplot: $(head -1 "$TMP/err")"

# 5. Malformed results: one line naming the problem, exit 2.
printf '{"context": {}, "benchmarks": [' >"$TMP/truncated.json"
printf '[1, 2, 3]\n' >"$TMP/array.json"
printf '{"context": {"cmbench_format": 99}, "benchmarks": []}\n' >"$TMP/future.json"
for case in "truncated.json:JSON error at line" "array.json:is not a results file" \
	"future.json:newer than this cmbench" "absent.json:cannot read"; do
	file=${case%%:*} want=${case#*:}
	"$CMBENCH" plot "$TMP/$file" -o "$TMP/bad" 2>"$TMP/err"
	rc=$?
	[[ $rc == 2 ]] || fail "$file: exit $rc, expected 2"
	[[ $(wc -l <"$TMP/err") == 1 ]] || fail "$file: error is not one line"
	grep -q "$want" "$TMP/err" && grep -q "$file" "$TMP/err" || { fail "$file: unclear error"; cat "$TMP/err"; }
	pass "$file: $(cat "$TMP/err")"
done
"$CMBENCH" plot "$RESULTS" --size 10x10 2>"$TMP/err"
[[ $? == 2 ]] && grep -q "allowed" "$TMP/err" || fail "--size 10x10 not refused"

# 6. A script that gnuplot rejects: the error names the script, exit 1.
cp -r "$CMBENCH_SOURCE_DIR/plots" "$TMP/broken-plots"
echo "set nosuchoption" >>"$TMP/broken-plots/efficiency.gp"
CMBENCH_PLOTS_DIR=$TMP/broken-plots "$CMBENCH" plot "$RESULTS" -o "$TMP/broken" 2>"$TMP/err" >/dev/null
rc=$?
[[ $rc == 1 ]] || fail "broken script: exit $rc, expected 1"
grep -q "efficiency.gp" "$TMP/err" && grep -q "nosuchoption" "$TMP/err" ||
	{ fail "broken script: error does not name the script and gnuplot's complaint"; cat "$TMP/err"; }
[[ -s $TMP/broken/speedup-countdown.png ]] || fail "broken script stopped the other charts"
[[ ! -e $TMP/broken/efficiency-countdown.png ]] || fail "a failed chart left an image"
pass "broken script: $(head -1 "$TMP/err")"

# 7. The report: HTML with every chart inline and nothing from the network,
# Markdown with every chart beside it.
"$CMBENCH" report "$RESULTS" -o "$TMP/report" >"$TMP/report.out" 2>"$TMP/err"
rc=$?
[[ $rc == 0 ]] || { fail "report exited $rc"; cat "$TMP/err"; }
html=$TMP/report/report.html md=$TMP/report/report.md
grep -qx "$html" "$TMP/report.out" || fail "report did not print the page's path"
n=$(grep -o 'src="data:image/png;base64,' "$html" | wc -l)
[[ $n == 14 ]] || fail "report.html inlines $n charts, expected 14"
! grep -qiE '(src|href)="(https?:)?//' "$html" || fail "report.html refers to the network"
for text in "Context" "Warnings" "At a glance" "Workload countdown" "Workload echo" \
	"gil (legacy)" "no hardware PMU" "Kernel counters" "Model statistics" "wait_ns_total"; do
	grep -qF "$text" "$html" || fail "report.html lacks '$text'"
done
for chart in $expected; do
	grep -qF "]($chart.png)" "$md" || fail "report.md lacks $chart.png"
done
pass "report written"

if ((failures)); then
	echo "$failures failed"
	exit 1
fi
echo "all passed"
