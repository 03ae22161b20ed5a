# common.gp — what every chart shares: terminal, size, title, grid, palette.
# cmbench sets (gnuplot -e): plots_dir, datafile, outfile ('' = stdout), term ('pngcairo' or
# 'svg'), width, height, chart_title, subtitle, and the series of the chart as
# word lists: series (palette keys), models, labels (quoted where needed).
set encoding utf8
if (term eq 'svg') {
    set terminal svg size width, height dynamic font 'Sans,13' background rgb 'white'
} else {
    set terminal pngcairo size width, height font 'Sans,11' background rgb 'white'
}
set termoption noenhanced
# cmbench passes outfile '' and the chart file, created by itself, as stdout
if (strlen(outfile) > 0) set output outfile
set title chart_title."\n".subtitle font ',12'
set grid xtics ytics lc rgb '#e4e4e4' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror
set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.2
set datafile missing 'NaN'
load plots_dir.'/palette.gp'
nseries = words(series)
