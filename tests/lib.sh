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
