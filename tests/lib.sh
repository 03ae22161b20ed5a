# tests/lib.sh — what the shell tests share (sourced, not a test itself):
# strict variables, a failure flag, a private temporary directory removed
# at exit (a test adds its own clean-up with on_exit), say/bad.
set -u
fail=0
tmp=$(mktemp -d)
cleanups=()
on_exit() { cleanups+=("$1"); }
run_cleanups() { for c in "${cleanups[@]}"; do eval "$c"; done; rm -rf "$tmp"; }
trap run_cleanups EXIT
say() { echo "$@"; }
bad() { echo "FAIL: $*"; fail=1; }
# Skip (77) unless every CPython named ("3.11" "2.7") is found on PATH or
# under pyenv (scripts/pythons.py, as the scripts that run them look).
need_pythons() {
	python3 - "$@" <<'PY' || { echo "skip: needs python $*"; exit 77; }
import os, sys
sys.path.insert(0, os.path.join(os.environ.get("CMBENCH_SOURCE_DIR", "."), "scripts"))
import pythons
sys.exit(0 if all(pythons.find(v) for v in sys.argv[1:]) else 77)
PY
}
# rejects SCRIPT ARGS...: each ARGS (one string, split on spaces) makes SCRIPT
# exit 2 with one line on stderr saying what is allowed, and nothing on stdout.
rejects() {
	local script=$1 args rc
	shift
	for args in "$@"; do
		# shellcheck disable=SC2086
		"$script" $args >"$tmp/rejects.out" 2>"$tmp/rejects.err"
		rc=$?
		[ $rc -eq 2 ] && [ ! -s "$tmp/rejects.out" ] && [ "$(wc -l <"$tmp/rejects.err")" -eq 1 ] &&
			grep -q "allowed" "$tmp/rejects.err" ||
			bad "$(basename "$script") $args: exit $rc, stdout $(wc -c <"$tmp/rejects.out") bytes, stderr: $(cat "$tmp/rejects.err")"
	done
}
# A sanitizer build cannot take build/liblock-trace.so (its runtime must load first).
sanitized() { grep -qa -- '-fsanitize=' "$1"; }
