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


def find(short):
    """(path, env, full version) of CPython `short` ("3.12"), or None. env is
    None or os.environ with PYENV_VERSION set."""
    names = ["python" + short] + (["python2"] if short.startswith("2") else [])
    for name in names:
        path = shutil.which(name)
        if not path:
            continue
        v = _version(path, None)
        if v and (v == short or v.startswith(short + ".")):
            return path, None, v
        for pv in _pyenv_versions():
            if pv == short or pv.startswith(short + "."):
                env = dict(os.environ, PYENV_VERSION=pv)
                v = _version(path, env)
                if v and v.startswith(short):
                    return path, env, v
    return None


def find_all(wanted=WANTED):
    """{short: (path, env, version)} of those found."""
    found = {}
    for short in wanted:
        hit = find(short)
        if hit:
            found[short] = hit
    return found
