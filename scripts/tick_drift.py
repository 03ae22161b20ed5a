"""tick_drift -- how far the host's speed moved under cmbench's gil runs.

A VM guest does not see its host slow down (steal time reads 0 here), but
the gil model's busy loop does: each repetition reports the rate it was
sized with (tick_loops_per_us, measured once per run) and the rate timed
again after it (tick_loops_per_us_end). A run calibrated in a slow minute
spends too few loops per unit, and its units cost less time than the
profile says, for every cell (docs/GIL.md, "Round twenty")."""

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
            "rate after the repetition (end ÷ calibrated %.2f...%.2f); those cells' units cost that much "
            "more or less time than the profile says.\n"
            % (len(off), len(_seen), DRIFT * 100, min(_seen), max(_seen)))
