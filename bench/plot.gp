# Time, gap and placed replicas against size, from the CSV of `bench scale`.
#   gnuplot -e "csv='bench/results/scale.csv'; out='bench/results/scale.png'" bench/plot.gp
# (out ending in .svg gives an SVG). The x axis is the instances in the order
# of the CSV (run.sh writes them by size: T x 12 x N workload x target pairs).
if (!exists("csv")) csv = 'bench/results/scale.csv'
if (!exists("out")) out = 'bench/results/scale.png'

if (out[strlen(out)-3:] eq '.svg') {
    set terminal svg size 1100,1200 dynamic font 'Sans,11'
} else {
    set terminal pngcairo size 1100,1200 font 'Sans,10'
}
set output out
set datafile separator ','
set key autotitle columnhead
set key outside right top box opaque
set grid
set xtics rotate by -30 left font ',9'
set offsets 0.3, 0.3, 0, 0
set lmargin 10
set rmargin 30
set multiplot layout 3,1 title "libplace vs a kube-scheduler-like greedy and PuLP + CBC, generated storefront federations (columns of scale.csv)" font ',11'

# x tick: instance and its size in workload x target pairs
tic(i, w, n) = w * n >= 1e6 ? sprintf('%s (%.3gM)', i, w * n / 1e6) : sprintf('%s (%.3gk)', i, w * n / 1e3)

set logscale y
set ylabel 'seconds (log)'
set format y '%g'
set title 'time per instance (gray: the time limit per solve)'
plot csv using 0:($14+$15):xtic(tic(strcol(1), $7, $9)) with linespoints lw 2 pt 7 lc rgb '#9400d3' title 'libplace parse+solve', \
     ''  using 0:($17 > 0 ? $17 : 1/0) with linespoints lw 1 pt 6 dt 2 lc rgb '#b070e0' title 'libplace prep (no search)' , \
     ''  using 0:($16 > 0 ? $16 : 1/0) with linespoints lw 1 pt 4 dt 3 lc rgb '#b070e0' title 'libplace write JSON', \
     ''  using 0:($32 > 0 ? $32 : 1/0) with linespoints lw 2 pt 5 lc rgb '#1f77b4' title 'PuLP + CBC (process)', \
     ''  using 0:($25 > 0 ? $25 : 1e-6) with linespoints lw 1 pt 9 lc rgb '#2ca02c' title 'greedy', \
     ''  using 0:6 with lines lc rgb 'gray' dt 3 lw 2 title 'time limit'

unset logscale y
set ylabel '% of the bound'
set format y '%.0f'
set yrange [0:105]
set title "soft score below libplace's bound, % of the bound\n(libplace's gap on one scale; loose bound when the placement stage hit the limit)"
plot csv using 0:($23 > 0 ? 100*($23-$21)/$23 : 0):xtic(tic(strcol(1), $7, $9)) with linespoints lw 2 pt 7 lc rgb '#9400d3' title 'libplace', \
     ''  using 0:($23 > 0 ? 100*($23-$29)/$23 : 0) with linespoints lw 1 pt 9 lc rgb '#2ca02c' title 'greedy', \
     ''  using 0:($36 > 0 && $23 > 0 ? 100*($23-$38)/$23 : 1/0) with linespoints lw 1 pt 5 lc rgb '#1f77b4' title 'PuLP + CBC'

set ylabel '% of the replicas'
set yrange [0:105]
set title 'replicas placed, % of all replicas'
plot csv using 0:(100.0*$19/$8):xtic(tic(strcol(1), $7, $9)) with linespoints lw 2 pt 7 lc rgb '#9400d3' title 'libplace', \
     ''  using 0:(100.0*$27/$8) with linespoints lw 1 pt 9 lc rgb '#2ca02c' title 'greedy', \
     ''  using 0:($36 > 0 ? 100.0*$36/$8 : 1/0) with linespoints lw 1 pt 5 lc rgb '#1f77b4' title 'PuLP + CBC'
unset multiplot
