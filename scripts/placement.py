"""placement.py -- the OS CPU numbers behind hwloc's logical PUs, for
pinning CPython's threads (sched_setaffinity takes OS numbers) where
cmbench's --pin takes hwloc's logical ones. Used by scripts/gil-figures and
scripts/convoy-io-cost.
"""
import subprocess


def os_pus(count=2):
    """OS indexes of PUs L#0 .. L#count-1, or None when the machine has
    fewer PUs or hwloc-calc is missing."""
    try:
        return [int(subprocess.check_output(["hwloc-calc", "--physical-output", "-I", "pu", "pu:%d" % i],
                                            stderr=subprocess.DEVNULL, text=True)) for i in range(count)]
    except (OSError, subprocess.CalledProcessError, ValueError):
        return None
