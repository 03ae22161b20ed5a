"""pythons.py -- find the CPython interpreters of this machine by version
(python2.7, python3.11, ...), directly on PATH or as pyenv versions (a
pyenv shim answers only when PYENV_VERSION names an installed version).
Used by scripts/gil-calibrate, scripts/cpython-compare and scripts/gil-figures.
"""
import os
import shutil
import subprocess

WANTED = ["2.7", "3.11", "3.12", "3.13"]


def _version(path, env):
    try:
        r = subprocess.run([path, "-c", "import platform; print(platform.python_version())"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                           timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def _pyenv_versions():
    if not shutil.which("pyenv"):
        return []
    r = subprocess.run(["pyenv", "versions", "--bare"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    return r.stdout.split() if r.returncode == 0 else []


def _is_pyenv_shim(path):
    """pyenv's layout: ROOT/shims/NAME beside ROOT/versions."""
    shims = os.path.dirname(os.path.abspath(path))
    return os.path.basename(shims) == "shims" and os.path.isdir(os.path.join(os.path.dirname(shims), "versions"))


def past_shim(path, env):
    """(path, env) of the interpreter itself when path is a pyenv shim. A
    shim is a bash script that runs pyenv, which runs more shell, before it
    execs the interpreter, in the same process; after it the interpreter's
    threads end up elsewhere: python2.7's four count-down threads
    ended three and one on two CPUs in 90 % of the runs through the shim
    and 74 % run directly, and three and one is about a tenth faster
    (docs/GIL.md, "Round twenty-five"). cmbench runs directly, so CPython
    must too."""
    if not _is_pyenv_shim(path):
        return path, env
    try:
        r = subprocess.run([path, "-c", "import sys; print(sys.executable)"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, env=env, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return path, env
    real = r.stdout.strip()
    if r.returncode != 0 or not real or not os.access(real, os.X_OK) or _is_pyenv_shim(real):
        return path, env
    return real, None


def find(short):
    """(path, env, full version) of CPython `short` ("3.12"), or None. env is
    None or os.environ with PYENV_VERSION set; path is the interpreter
    itself, never a pyenv shim."""
    names = ["python" + short] + (["python2"] if short.startswith("2") else [])
    for name in names:
        path = shutil.which(name)
        if not path:
            continue
        v = _version(path, None)
        if v and (v == short or v.startswith(short + ".")):
            return past_shim(path, None) + (v,)
        for pv in _pyenv_versions():
            if pv == short or pv.startswith(short + "."):
                env = dict(os.environ, PYENV_VERSION=pv)
                v = _version(path, env)
                if v and v.startswith(short):
                    return past_shim(path, env) + (v,)
    return None


def find_all(wanted=WANTED):
    """{short: (path, env, version)} of those found."""
    found = {}
    for short in wanted:
        hit = find(short)
        if hit:
            found[short] = hit
    return found
