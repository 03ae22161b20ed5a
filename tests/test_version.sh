#!/usr/bin/env bash
# test_version.sh — `cmbench --version` names the release, the git revision
# and a dirty mark; the revision is read at BUILD time by cmake/version.cmake,
# which rewrites its header only when the revision or the dirty state
# changes; the results context records the same; `run --help` lists the exit
# codes.
set -u
: "${CMBENCH:?path to the built cmbench}" "${CMBENCH_SOURCE_DIR:?repository root}"
fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
bad() { echo "FAIL: $*"; fail=1; }

# 1. The format.
v=$("$CMBENCH" --version)
[[ $v =~ ^cmbench\ [0-9]+\.[0-9]+\.[0-9]+\ \(git\ ([0-9a-f]{12}|unknown)(-dirty)?\)$ ]] ||
	bad "--version prints '$v'"
echo "ok: $v"

# 2. The binary's revision is the source tree's (at the time it was built: a
# test run after an uncommitted edit may differ only in the dirty mark).
if head=$(git -C "$CMBENCH_SOURCE_DIR" rev-parse --short=12 HEAD 2>/dev/null); then
	[[ $v == *"git $head"* ]] || bad "--version '$v' is not HEAD $head (a stale binary: rebuild)"
fi

# 3. The generator: a clean tree, an edit (dirty), a commit (new revision);
# the header is not rewritten when nothing changed (its mtime is kept).
gen() { cmake -DSRC="$T/repo" -DOUT="$T/h" -P "$CMBENCH_SOURCE_DIR/cmake/version.cmake"; }
git init -q "$T/repo" && cd "$T/repo" && echo a >f && git add f &&
	git -c user.name=t -c user.email=t@t commit -qm one || bad "cannot make a git repository"
gen
rev1=$(git rev-parse --short=12 HEAD)
grep -q "CMBENCH_GIT_REV \"$rev1\"" "$T/h" && grep -q "CMBENCH_GIT_DIRTY 0" "$T/h" ||
	bad "clean tree: $(cat "$T/h")"
touch -d '2000-01-01' "$T/h"
gen
[[ $(stat -c %Y "$T/h") == $(date -d 2000-01-01 +%s) ]] || bad "header rewritten with nothing changed"
echo untracked >g
gen
grep -q "CMBENCH_GIT_DIRTY 0" "$T/h" || bad "an untracked file marked the tree dirty"
echo b >f
gen
grep -q "CMBENCH_GIT_DIRTY 1" "$T/h" || bad "an edited file did not mark the tree dirty"
git -c user.name=t -c user.email=t@t commit -qam two
gen
rev2=$(git rev-parse --short=12 HEAD)
grep -q "CMBENCH_GIT_REV \"$rev2\"" "$T/h" && grep -q "CMBENCH_GIT_DIRTY 0" "$T/h" ||
	bad "after a commit: $(cat "$T/h")"
cmake -DSRC="$T/nogit" -DOUT="$T/h2" -P "$CMBENCH_SOURCE_DIR/cmake/version.cmake"
grep -q 'CMBENCH_GIT_REV "unknown"' "$T/h2" || bad "outside git: $(cat "$T/h2")"
echo "ok: generator (clean, untracked, dirty, commit, no git)"
cd "$T"

# 4. The results context records the same revision and dirty mark.
"$CMBENCH" run -w countdown -m sequential -n 1 --profile quick --reps 1 --warmup 0 \
	-o "$T/r.json" >/dev/null 2>&1 || bad "tiny run failed"
python3 - "$T/r.json" "$v" <<'PY' || fail=1
import json, sys
ctx = json.load(open(sys.argv[1]))["context"]
line = "cmbench %s (git %s%s)" % (ctx["cmbench_version"], ctx["git_revision"],
                                   "-dirty" if ctx["git_dirty"] else "")
if line != sys.argv[2]:
    sys.exit("FAIL: context says %r, --version %r" % (line, sys.argv[2]))
print("ok: context", line)
PY

# 5. run --help lists the exit codes.
h=$("$CMBENCH" run --help)
for code in "  0 " "  1 " "  2 " "  128+N "; do
	grep -q "^$code" <<<"${h#*exit status:}" || bad "run --help lacks exit code '$code'"
done
echo "ok: run --help lists exit codes"
exit $fail
