#!/usr/bin/env python3
"""Write the hand-made results pairs that tests/test_compare.sh reads.

Run once from this directory; the JSON files are committed. Every file has
the shape of docs/RESULTS.md. Noise is a seeded, uniform +-1.5% per
repetition, so two files made with different seeds differ the way two quiet
runs do, and a planted change is the only real difference.
"""
import copy
import json
import random
import statistics

# (workload, model, workers, median real time in ms, cpu/real ratio)
CELLS = [
    ("countdown", "sequential", 1, 100.0, 1.0),
    ("countdown", "threads", 1, 101.0, 1.0),
    ("countdown", "threads", 2, 52.0, 1.9),
    ("countdown", "processes", 1, 102.0, 1.0),
    ("countdown", "processes", 2, 53.0, 1.9),
    ("integrate", "sequential", 1, 80.0, 1.0),
    ("integrate", "processes", 1, 81.0, 1.0),
    ("integrate", "processes", 2, 42.0, 1.9),
]
PARAMS = {"countdown": {"n": "20M"}, "integrate": {"steps": "10M"}}


def context(profile="ci", num_cpus=2):
    return {
        "date": "2026-11-23T20:00:00+00:00",
        "host_name": "vm",
        "executable": "build/cmbench",
        "num_cpus": num_cpus,
        "mhz_per_cpu": 2596,
        "cpu_scaling_enabled": False,
        "caches": [{"type": "Data", "level": 1, "size": 65536, "num_sharing": 1}],
        "load_avg": [1.0, 1.0, 1.0],
        "library_build_type": "release",
        "cmbench_version": "0.1.0",
        "cmbench_format": 1,
        "git_revision": "test",
        "profile": profile,
    }


def make(seed, reps=5, slow=None, factor=1.0, profile="ci", num_cpus=2, cells=CELLS,
         other_cpus=0.0, cpu_too=True, slow_cpu=None):
    rnd = random.Random(seed)
    entries, medians, by_name = [], {}, {}
    for wl, model, workers, ms, cpu_ratio in cells:
        name = f"{wl}/{model}/workers:{workers}"
        if name == slow:
            ms *= factor
            if not cpu_too:  # the added time is spent waiting (a sleep), not computing
                cpu_ratio /= factor
        times = [ms * (1 + rnd.uniform(-0.015, 0.015)) for _ in range(reps)]
        common = {
            "run_name": name, "threads": workers, "iterations": 1, "time_unit": "ms",
            "repetitions": reps, "workload": wl, "model": model, "workers": workers,
            "tasks": 4, "params": PARAMS[wl], "verified": True, "max_rss_kb": 4000,
            "model_stats": {}, "workload_stats": {},
            "counters_unsupported": {"instructions": "no hardware PMU (ENOENT)"},
        }
        for i, t in enumerate(times):
            e = {"name": name, "run_type": "iteration", "repetition_index": i,
                 "real_time": t, "cpu_time": t * cpu_ratio,
                 "counters": {"context-switches": 10 + i % 3}}
            e.update(copy.deepcopy(common))
            entries.append(e)
        med = statistics.median(times)
        medians[(wl, model, workers)] = med
        by_name[name] = (wl, model, workers, med, cpu_ratio, common)
    for name, (wl, model, workers, med, cpu_ratio, common) in by_name.items():
        agg = {"name": name + "_median", "run_type": "aggregate", "aggregate_name": "median",
               "real_time": med, "cpu_time": med * cpu_ratio,
               "counters": {"context-switches": 11},
               "load": {"seconds": 1.0, "other_cpus": other_cpus, "steal_fraction": 0.0}}
        if slow_cpu is not None:  # the host slowed the CPU by the planted cell's end
            agg["load"].update({"cpu_speed_start": 1.0, "cpu_speed_end": slow_cpu if name == slow else 1.0,
                                "cpu_speed_cpus": [0, 0]})
        agg.update(copy.deepcopy(common))
        seq = medians.get((wl, "sequential", 1))
        one = medians.get((wl, model, 1))
        if seq:
            agg["speedup_vs_sequential"] = seq / med
        if one:
            agg["speedup_vs_1worker"] = one / med
        entries.append(agg)
    return {"context": context(profile, num_cpus), "benchmarks": entries}


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


write("compare_base.json", make(1))
write("compare_aa.json", make(2))  # another quiet run of the same build
write("compare_slow20.json", make(2, slow="countdown/threads/workers:2", factor=1.2))
write("compare_slow20_busy.json",
      make(2, slow="countdown/threads/workers:2", factor=1.2, other_cpus=1.2))
write("compare_slow20_slowcpu.json",
      make(2, slow="countdown/threads/workers:2", factor=1.2, slow_cpu=0.6))
write("compare_sleep50.json",
      make(2, slow="countdown/threads/workers:2", factor=1.5, cpu_too=False))
# The workload's one speedup reference got faster: every countdown
# speedup_vs_sequential drops by a third although no cell changed.
write("compare_refmoved.json", make(2, slow="countdown/sequential/workers:1", factor=1 / 1.5))
write("compare_slow50.json", make(2, slow="countdown/threads/workers:2", factor=1.5))
write("compare_fast20.json", make(2, slow="countdown/threads/workers:2", factor=1 / 1.2))
write("compare_fewreps.json", make(3, reps=3))
write("compare_quick.json", make(2, profile="quick"))
write("compare_4cpus.json", make(2, num_cpus=4))
missing = make(2, cells=CELLS[:7] + [("countdown", "threads", 4, 30.0, 1.9)])
write("compare_missing.json", missing)
failed = make(2)
failed["benchmarks"] = [b for b in failed["benchmarks"]
                        if b["run_name"] != "integrate/processes/workers:2"]
failed["benchmarks"].append({"name": "integrate/processes/workers:2",
                             "run_name": "integrate/processes/workers:2",
                             "run_type": "iteration", "error_occurred": True,
                             "error_message": "verification failed: 333.2 != 333.3"})
write("compare_failed.json", failed)
other = make(2)
for b in other["benchmarks"]:
    b["name"] = "other_" + b["name"]
    b["run_name"] = "other_" + b["run_name"]
write("compare_other_names.json", other)
write("compare_no_benchmarks.json", {"context": context()})
with open("compare_not_json.json", "w") as f:
    f.write("{\"context\": {}, \"benchmarks\": [\n")
