"""ccbench_side.py -- CPython's own concurrency benchmark (Tools/ccbench/ccbench.py,
shipped with CPython 2.7 to 3.11; the user points to a copy, this project
does not carry it) next to cmbench's ccbench-throughput, ccbench-latency and
ccbench-bandwidth workloads under `-m gil`, line by line.
Used by `scripts/cpython-compare --ccbench PATH` and scripts/gil-figures.

cmbench's CPU task is count-down iterations of `iter` units; `iter` is set
so that one cmbench iteration costs what one iteration of ccbench's first
(pure Python) task costs in the interpreter compared: a short 1-thread run
of each gives the scale. ccbench's other CPU tasks (regex, bz2/sha1) run C
code that may release the GIL; their rows are printed for reference only.
"""
import json
import os
import re
import subprocess
import tempfile

WORKLOADS = ["ccbench-throughput", "ccbench-latency", "ccbench-bandwidth"]


def parse(text):
    """{"throughput": [(task, {threads: (speed, pct)})], "latency": [(task, {cpu: (mean, sd)})],
    "bandwidth": [(task, {cpu: (speed, pct)})]} from ccbench's output."""
    out = {"throughput": [], "latency": [], "bandwidth": []}
    section = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("--- Throughput"):
            section = "throughput"
        elif line.startswith("--- Latency"):
            section = "latency"
        elif line.startswith("--- I/O bandwidth"):
            section = "bandwidth"
        elif not line or section is None or line.startswith("=="):
            continue
        else:
            m = re.match(r"(?:CPU )?threads=(\d+): ([\d.]+)(?: ms\. \(std dev: ([\d.]+) ms\.\)|"
                         r" iterations/s\.| packets/s\.| \( *(\d+) ?%\))?", line)
            if m and out[section]:
                n, value = int(m.group(1)), float(m.group(2))
                second = float(m.group(3)) if m.group(3) else (int(m.group(4)) if m.group(4) else 100)
                out[section][-1][1][n] = (value, second)
            elif not m:
                task = line.split(":", 1)[1].strip() if line.startswith("Background CPU task:") else line
                out[section].append((task, {}))
    return out


def run_ccbench(interp, path, threads, switch_s):
    exe, env, _ = interp
    cmd = [exe, path, "-n", str(threads)]
    if switch_s:
        cmd += ["-I", repr(switch_s)]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode, r.stderr[-400:]))
    return r.stdout


def cmbench_cells(cmbench, workloads, workers, params, reps=1):
    with tempfile.TemporaryDirectory(prefix="ccbench-side-") as tmp:
        out = os.path.join(tmp, "cm.json")
        cmd = [cmbench, "run", "-w", ",".join(workloads), "-m", "gil",
               "-n", ",".join(map(str, workers)), "--reps", str(reps), "--warmup", "0", "--counters", "none", "-o", out]
        for k, v in params.items():
            cmd += ["--param", "%s=%s" % (k, v)]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("%s failed: %s" % (" ".join(cmd), r.stderr[-400:]))
        with open(out) as f:
            doc = json.load(f)
    cells = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            raise RuntimeError("cmbench cell %s failed: %s" % (b["name"], b.get("error_message")))
        if b["run_type"] == "iteration":
            cells.setdefault((b["workload"], b["workers"]), []).append(b["workload_stats"])
    return cells


def profile_of(version):
    short = ".".join(version.split(".")[:2])
    return short if short in ("2.7", "3.11", "3.12", "3.13") else "none"


def side_by_side(interp, ccbench_path, cmbench, threads=4, switch_s=None, duration="2s"):
    """The comparison as printable lines."""
    py = parse(run_ccbench(interp, ccbench_path, threads, switch_s))
    if not py["throughput"] or 1 not in py["throughput"][0][1]:
        raise RuntimeError("no throughput figures in ccbench's output (is %s ccbench.py?)" % ccbench_path)
    task, rows = py["throughput"][0]
    params = {"python": profile_of(interp[2])}
    if switch_s:
        params["switch"] = "%dus" % round(switch_s * 1e6)
    probe = cmbench_cells(cmbench, ["ccbench-throughput"], [1],
                          dict(params, iter="10000", duration="500ms"))
    cm_ips = probe[("ccbench-throughput", 1)][0]["iterations_per_s"]
    it = max(1, round(10000 * cm_ips / rows[1][0]))
    params.update(iter=str(it), duration=duration)
    cells = cmbench_cells(cmbench, WORKLOADS, list(range(1, threads + 2)), params)
    cm = lambda w, n, k: cells[(w, n)][0][k]
    lines = ["ccbench (%s %s) vs cmbench -m gil --param python=%s,iter=%d%s" % (
        os.path.basename(interp[0]), interp[2], params["python"], it,
        ",switch=" + params["switch"] if "switch" in params else "")]
    lines.append("")
    lines.append("--- Throughput: %s (cmbench: count-down iterations) ---" % task)
    lines.append("%-8s %22s %6s   %22s %6s" % ("threads", "ccbench iterations/s", "%", "cmbench iterations/s", "%"))
    base = cm("ccbench-throughput", 1, "iterations_per_s")
    for n in sorted(rows):
        if n > threads:
            continue
        c = cm("ccbench-throughput", n, "iterations_per_s")
        lines.append("%-8d %22.0f %6d   %22.0f %6.0f" % (n, rows[n][0], rows[n][1], c, 100 * c / base))
    for name, title, fmt in (("latency", "Latency", "%8.1f ms (sd %6.1f)"),
                             ("bandwidth", "I/O bandwidth", "%10.1f/s %5d %%")):
        if not py[name]:
            continue
        task, rows = py[name][0]
        lines.append("")
        lines.append("--- %s, background CPU task: %s ---" % (title, task))
        if name == "latency":
            lines.append("%-12s %-26s %-26s" % ("CPU threads", "ccbench mean (std dev)", "cmbench mean (std dev)"))
        else:
            lines.append("%-12s %-26s %-26s" % ("CPU threads", "ccbench packets/s  %", "cmbench packets/s  %"))
        base = cm("ccbench-bandwidth", 1, "packets_per_s")
        for n in sorted(rows):
            if n > threads:
                continue
            if name == "latency":
                mine = fmt % (cm("ccbench-latency", n + 1, "latency_mean_ms"),
                              cm("ccbench-latency", n + 1, "latency_stddev_ms"))
                theirs = fmt % (rows[n][0], rows[n][1])
            else:
                c = cm("ccbench-bandwidth", n + 1, "packets_per_s")
                mine = fmt % (c, round(100 * c / base))
                theirs = fmt % (rows[n][0], rows[n][1])
            lines.append("%-12d %-26s %-26s" % (n, theirs, mine))
        for other, orows in py[name][1:]:
            lines.append("  (ccbench, CPU task %s: %s)" % (other, ", ".join(
                "%d: %g" % (n, orows[n][0]) for n in sorted(orows))))
    lines.append("")
    lines.append("ccbench prints latency in whole ms and % rounded down; cmbench runs each cell once, "
                 "as ccbench does")
    return lines
