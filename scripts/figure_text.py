"""figure_text.py -- how scripts/gil-figures writes a figure: a sample as
its median and range, its modes, counts in thousands, the control column
and Markdown tables."""
import statistics


def spread(xs, fmt="%.0f"):
    if not xs:
        return "-"
    return (fmt + " (" + fmt + "..." + fmt + ")") % (statistics.median(xs), min(xs), max(xs))


def modes(xs):
    """Every mode of a sample: split wherever one sorted value is over 25 %
    above the one before (a run that never switched, one interval, two)."""
    s = sorted(xs)
    if len(s) < 4:
        return spread(s, "%.2f")
    groups = [[s[0]]]
    for prev, x in zip(s, s[1:]):
        if prev > 0 and x / prev >= 1.25:
            groups.append([])
        groups[-1].append(x)
    if len(groups) == 1:
        return spread(s, "%.2f") + ", one mode"
    return " and ".join("%.2f (%d runs)" % (statistics.median(g), len(g)) for g in groups)


def table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(":---" if i == 0 else "---:" for i in range(len(head))) + "|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print()


def thousands(xs):
    """Counts as median (min...max), in thousands from 10,000: "27k (8.1k...61k)";
    runs that did not say (None) left out."""
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    return "%s (%s...%s)" % (count(statistics.median(xs)), count(min(xs)), count(max(xs)))


def count(x):
    """A count in thousands from 1,000: 27k, 8.1k, 950."""
    return "%.0fk" % (x / 1e3) if x >= 1e4 else "%.1fk" % (x / 1e3) if x >= 1e3 else "%d" % x


def control(halves):
    before, after = halves
    if not before or not after or statistics.median(before) == 0:
        return "-"
    return "%+.0f %%" % ((statistics.median(after) / statistics.median(before) - 1) * 100)
