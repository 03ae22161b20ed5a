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
