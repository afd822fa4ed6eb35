#!/usr/bin/env bash
# Benchmark: the sweep job of issue 3, timed beside the same job in awk and in Python.
#
#   job: price 1.50..4.00 step 0.001 x occupancy 0.50..1.00 step 0.0005 on the bundled
#        Colossus 1 scenario = 2,501 x 1,001 = 2,503,501 rows; outputs lease.annual_revenue
#        and breakeven.coverage; full-precision CSV (awk: printf "%.17g"; Python: repr via
#        the csv module; leasecalc: shortest round-trip digits).
#
# Every program writes to /dev/null, so the table compares computing and formatting, not
# the disk. Each is run RUNS times (default 3); the best time is reported, with the peak
# RSS of that run (GNU time). Then leasecalc's peak RSS on a 26k-row and a 25M-row grid,
# to show memory does not grow with the grid. Prints a Markdown table.
# Usage: bash bench/sweep.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start 3 "$@"

job=(sweep --vary lease.price_per_gpu_hour=1.50:4.00:0.001 --vary lease.occupancy=0.50:1.00:0.0005
     --out lease.annual_revenue,breakeven.coverage)
awk_prog='BEGIN {
  n = 220000 * 8760
  print "lease.price_per_gpu_hour,lease.occupancy,lease.annual_revenue,breakeven.coverage"
  for (i = 0; i <= 2500; i++) { p = 1.5 + i * 0.001
    for (j = 0; j <= 1000; j++) { o = 0.5 + j * 0.0005; r = n * p * o
      printf "%.17g,%.17g,%.17g,%.17g\n", p, o, r, r / 6e9 } } }'
py_prog='
import csv, sys
w = csv.writer(sys.stdout)
w.writerow(["lease.price_per_gpu_hour", "lease.occupancy", "lease.annual_revenue", "breakeven.coverage"])
for i in range(2501):
    p = round(1.5 + i * 0.001, 3)
    for j in range(1001):
        o = round(0.5 + j * 0.0005, 4)
        r = 220000 * 8760 * p * o
        w.writerow([p, o, r, r / 6e9])
'

# The three produce the same rows: same count, same first and last values.
rows_lc=$("$bin" "${job[@]}" | wc -l)
rows_awk=$(awk "$awk_prog" | wc -l)
[[ "$rows_lc" == 2503502 && "$rows_awk" == 2503502 ]] || { echo "row counts differ: $rows_lc $rows_awk" >&2; exit 1; }
last_lc=$("$bin" "${job[@]}" | tail -1)
last_py=$(python3 -c "$py_prog" | tail -1)
python3 - "$last_lc" "$last_py" <<'PY'
import sys
a = [float(x) for x in sys.argv[1].strip().split(",")]
b = [float(x) for x in sys.argv[2].strip().split(",")]
assert all(abs(x - y) <= 1e-12 * max(1, abs(y)) for x, y in zip(a, b)), (a, b)
PY

read -r t_lc m_lc < <(measure "$bin" "${job[@]}")
read -r t_awk m_awk < <(measure awk "$awk_prog")
read -r t_py m_py < <(measure python3 -c "$py_prog")
read -r _ m_small < <(measure "$bin" sweep --vary lease.price_per_gpu_hour=1.50:4.00:0.1 \
  --vary lease.occupancy=0.50:1.00:0.0005 --out lease.annual_revenue,breakeven.coverage)
read -r t_big m_big < <(RUNS=1 measure "$bin" sweep --vary lease.price_per_gpu_hour=1.50:4.00:0.0001 \
  --vary lease.occupancy=0.50:1.00:0.0005 --out lease.annual_revenue,breakeven.coverage)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
echo "| program | rows | time (best of $runs) | peak RSS | leasecalc is faster by |"
echo "|---|---:|---:|---:|---:|"
echo "| leasecalc sweep | 2,503,501 | ${t_lc} s | $(mb "$m_lc") | |"
echo "| awk (mawk, printf %.17g) | 2,503,501 | ${t_awk} s | $(mb "$m_awk") | $(ratio "$t_awk" "$t_lc") |"
echo "| Python 3 csv module | 2,503,501 | ${t_py} s | $(mb "$m_py") | $(ratio "$t_py" "$t_lc") |"
echo "| leasecalc sweep, small grid | 26,026 | | $(mb "$m_small") | |"
echo "| leasecalc sweep, large grid | 25,027,501 | ${t_big} s | $(mb "$m_big") | |"
