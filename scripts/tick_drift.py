"""tick_drift -- how far the host's speed moved under cmbench's gil runs.

A VM guest does not see its host slow down (steal time reads 0 here), but
the gil model's busy loop does: each repetition reports the rate it was
timed at the start (tick_loops_per_us, measured once per run) and again
after it (tick_loops_per_us_end). A profile's unit is a fixed count of
turns, so a host that slowed or sped up meanwhile made it cost more or less
time, as it does CPython's iteration; a tick given in ns was sized at the
start, and cost that much more or less than asked (docs/GIL.md, "Round
twenty", "Round twenty-three")."""

DRIFT = 0.10  # more than a quiet machine shows between the two (a few per cent)

_seen = []  # end / calibrated, one per gil cell with a tick


def note(entry):
    """Record one cmbench results entry (its model_stats)."""
    m = entry.get("model_stats") or {}
    cal, end = m.get("tick_loops_per_us"), m.get("tick_loops_per_us_end")
    if cal and end:
        _seen.append(end / cal)


def summary():
    """One Markdown line on the cells recorded so far, or '' for none."""
    if not _seen:
        return ""
    off = [r for r in _seen if abs(r - 1) > DRIFT]
    return ("Host speed: in %d of %d cmbench cells the tick's loop ran more than %d %% off its calibrated "
            "rate after the repetition (end ÷ calibrated %.2f...%.2f): the host's speed moved under them, "
            "and their units (a profile's fixed turns) cost that much more or less time, as CPython's "
            "would in that minute.\n"
            % (len(off), len(_seen), DRIFT * 100, min(_seen), max(_seen)))
