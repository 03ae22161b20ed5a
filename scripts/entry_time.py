"""entry_time -- the real_time of a cmbench results entry in seconds,
whatever its time_unit (cmbench writes us; Google Benchmark's files may
say ns, ms or s). Used by scripts/gil-figures and scripts/legacy-checks."""

TO_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def seconds(entry):
    return entry["real_time"] * TO_SECONDS[entry.get("time_unit", "ns")]
