#!/usr/bin/env bash
# test_pythons.sh — scripts/pythons.py, which finds the CPythons every
# comparison runs, hands out the interpreter itself, never a pyenv shim: a
# shim runs pyenv's shell before the interpreter, in the same process, and
# after it the interpreter's threads end up elsewhere (python2.7's four
# count-down threads end three and one more often through it; docs/GIL.md,
# "Round twenty-five"). A wrapper outside pyenv's layout is the user's own
# choice and is kept. Here the interpreter is Debian's python3, behind a
# stand-in shim in a stand-in pyenv root.
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tests/lib.sh"
PY=/usr/bin/python3
[ -x $PY ] || { echo "FAIL: $PY is needed (Debian's python3)"; exit 1; }
short=$($PY -c 'import sys; print("%d.%d" % sys.version_info[:2])')
real=$($PY -c 'import sys; print(sys.executable)')
wrapper() { # wrapper DIR: DIR/python$short, a bash script that execs the real one
	mkdir -p "$1"
	printf '#!/usr/bin/env bash\nexec %s "$@"\n' "$real" >"$1/python$short"
	chmod +x "$1/python$short"
}
found() { # found DIR: "path env" of pythons.find($short) with DIR first on PATH
	PATH="$1:$PATH" $PY - "$HERE/scripts" "$short" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import pythons
hit = pythons.find(sys.argv[2])
print("%s %s" % (hit[0], "none" if hit[1] is None else "env") if hit else "not found")
PY
}
wrapper "$tmp/root/shims"
mkdir -p "$tmp/root/versions"
got=$(found "$tmp/root/shims")
[ "$got" = "$real none" ] || bad "behind a pyenv shim: found '$got', want the interpreter '$real none'"
# The same script outside pyenv's layout (no versions/ beside shims/, or
# another directory name) is a wrapper of the user's, and stays.
wrapper "$tmp/plain/shims"
got=$(found "$tmp/plain/shims")
[ "$got" = "$tmp/plain/shims/python$short none" ] || bad "a wrapper beside no versions/: found '$got'"
wrapper "$tmp/bin"
got=$(found "$tmp/bin")
[ "$got" = "$tmp/bin/python$short none" ] || bad "a wrapper in bin/: found '$got'"
# A shim whose interpreter does not run is left as found: the caller's
# version check then fails on it, as it would have.
printf '#!/usr/bin/env bash\necho %s.9\n' "$short" >"$tmp/root/shims/python$short"
got=$($PY -c "import sys; sys.path.insert(0, '$HERE/scripts'); import pythons
print(pythons.past_shim('$tmp/root/shims/python$short', None))")
[ "$got" = "('$tmp/root/shims/python$short', None)" ] || bad "a shim that names no interpreter: '$got'"
[ $fail -eq 0 ] && echo "pythons: a pyenv shim gives way to its interpreter; other wrappers stay"
exit $fail
