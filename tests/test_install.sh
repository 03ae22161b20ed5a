#!/usr/bin/env bash
# test_install.sh — `cmake --install` (what `make install` runs) into a
# DESTDIR: the binary, the plot scripts where the binary finds them
# (PREFIX/share/cmbench/plots), the man page (help2man, at build time) and
# bash completion for commands, workloads, models and parameters.
set -u
: "${CMBENCH:?path to the built cmbench}" "${CMBENCH_SOURCE_DIR:?repository root}"
BUILD=$(dirname "$CMBENCH")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

DESTDIR=$T/stage cmake --install "$BUILD" --prefix /usr/local >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; echo "FAIL: cmake --install"; exit 1; }
P=$T/stage/usr/local
for f in bin/cmbench share/cmbench/plots/palette.gp share/cmbench/plots/speedup.gp \
	share/bash-completion/completions/cmbench share/man/man1/cmbench.1; do
	[[ -s $P/$f ]] || bad "not installed: $f"
done
[[ -x $P/bin/cmbench ]] || bad "bin/cmbench not executable"
[[ $("$P/bin/cmbench" --version) == $("$CMBENCH" --version) ]] || bad "installed --version differs"
echo "ok: installed $(cd "$P" && find . -type f | wc -l) files under DESTDIR/usr/local"

# 1. plot and report of the installed binary find PREFIX/share/cmbench/plots
# (run from / with no CMBENCH_PLOTS_DIR). Proof that it is the installed
# copy and not the source tree: a broken installed script breaks its chart.
RESULTS=$CMBENCH_SOURCE_DIR/tests/data/plot_small.json
(cd / && env -u CMBENCH_PLOTS_DIR "$P/bin/cmbench" plot "$RESULTS" -o "$T/charts" --format svg \
	>/dev/null 2>"$T/err") || { bad "installed plot failed"; cat "$T/err"; }
[[ -s $T/charts/speedup-countdown.svg ]] || bad "installed plot drew no speedup chart"
(cd / && env -u CMBENCH_PLOTS_DIR "$P/bin/cmbench" report "$RESULTS" -o "$T/report" \
	>/dev/null 2>"$T/err") || { bad "installed report failed"; cat "$T/err"; }
[[ -s $T/report/report.html ]] || bad "installed report wrote no report.html"
echo "set nosuchoption" >>"$P/share/cmbench/plots/efficiency.gp"
(cd / && env -u CMBENCH_PLOTS_DIR "$P/bin/cmbench" plot "$RESULTS" -o "$T/charts2" --format svg \
	>/dev/null 2>"$T/err")
grep -q nosuchoption "$T/err" || bad "the installed binary did not use the installed plot scripts"
echo "ok: installed plot and report use share/cmbench/plots"

# 2. The man page: renders, names every command and the exit status.
MANWIDTH=100 man -P cat -l "$P/share/man/man1/cmbench.1" >"$T/man.txt" 2>"$T/man.err" ||
	{ bad "man -l failed"; cat "$T/man.err"; }
for want in NAME SYNOPSIS "cmbench run" "cmbench compare" "cmbench report" "EXIT STATUS" \
	"--workload LIST" "CMBENCH_PLOTS_DIR"; do
	grep -qF -- "$want" "$T/man.txt" || bad "man page lacks '$want'"
done
[[ -s $T/man.err ]] && { bad "man page warnings"; cat "$T/man.err"; }
echo "ok: man page ($(wc -l <"$T/man.txt") lines)"

# 3. Completion: the installed script registers _cmbench; completions come
# from the installed binary. COMP_WORDS split as bash splits (':' and '='
# are word breaks); the expected replies are what readline inserts.
cat >"$T/complete.sh" <<'SH'
source /usr/share/bash-completion/bash_completion
source "$P/share/bash-completion/completions/cmbench"
complete -p cmbench | grep -q -- "-F _cmbench" || { echo "FAIL: complete -p: $(complete -p cmbench)"; exit 1; }
PATH=$P/bin:/usr/bin:/bin
check() { # check LINE WANT... : the completions of the last word of LINE
	local line=$1; shift
	COMP_LINE=$line COMP_POINT=${#line}
	local words=${line//:/ : } && words=${words//=/ = }
	read -ra COMP_WORDS <<<"$words"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_cmbench cmbench "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	local got="${COMPREPLY[*]}" want="$*"
	if [[ $got != "$want" ]]; then echo "FAIL: '$line' -> '$got', want '$want'"; return 1; fi
	echo "ok: '$line' -> $got"
}
rc=0
check "cmbench r" run report || rc=1
check "cmbench run -w co" countdown convoy || rc=1
check "cmbench run -w countdown,in" countdown,integrate || rc=1
check "cmbench run -m coro" coroutines || rc=1
check "cmbench run --param gi" gil= gil: || rc=1
check "cmbench run --param gil:sw" switch= || rc=1
check "cmbench run --param gil:gil=mo" modern || rc=1
check "cmbench run --profile q" quick || rc=1
check "cmbench run --counters task-clock,fu" task-clock,futex || rc=1
check "cmbench run --dry" --dry-run || rc=1
check "cmbench compare --fail" --fail-on-regression || rc=1
exit $rc
SH
P=$P bash "$T/complete.sh" 2>&1 || bad "completion"
exit $fail
