# counters.gp — one kernel counter (context switches, futex calls) per cell of
# one workload, as grouped bars on a log scale: one group per worker count, one
# bar per model variant; whiskers are min..max of the repetitions.
# datafile: as time.gp (workers, then median min max per series).
# cmbench also sets: counter_label, ymin (a power of ten below the smallest
# bar or whisker end: bars grow from the bottom of a log axis).
load plots_dir.'/common.gp'
set style data histogram
set style histogram errorbars gap 1 lw 1.2
set style fill solid 0.85 border lc rgb '#333333'
set boxwidth 0.9
set logscale y 10
if (exists('ymin')) { set yrange [ymin : *] }
set format y '%.0s%c'
set xlabel 'workers'
set ylabel counter_label.' per repetition (log scale)'
plot for [i = 1 : nseries] datafile using (column(3 * i - 1)):(column(3 * i)):(column(3 * i + 1)):xtic(1) \
        lc rgb series_color(i) title word(labels, i)
