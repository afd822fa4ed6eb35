#!/usr/bin/env bash
# Benchmark: the sweep job of issue 3, beside the same job in awk, Python and numpy.
#
#   job: price 1.50..4.00 step 0.001 x occupancy 0.50..1.00 step 0.0005 on the bundled
#        Colossus 1 scenario = 2,501 x 1,001 = 2,503,501 rows; outputs lease.annual_revenue
#        and breakeven.coverage; full-precision CSV (awk: printf "%.17g"; Python: repr via
#        the csv module; numpy: arrays, then "%.15g" in bulk (bench/numpy_peers.py);
#        leasecalc: shortest round-trip digits, at most 15).
#
# Every program writes to /dev/null, so the table compares computing and formatting, not
# the disk. Interleaved pairs (bench/lib.sh). Then leasecalc alone on a 26k-row and a
# 25M-row grid: its peak RSS does not grow with the grid.
# Usage: bash bench/sweep.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start "$@"
need_numpy

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
np=("$py" "$root/bench/numpy_peers.py" sweep)

# The four produce the same rows: the same count, and the same last row.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" "${job[@]}" > "$tmp/lc.csv"
"${np[@]}" > "$tmp/np.csv"
[[ $(wc -l < "$tmp/lc.csv") == 2503502 && $(awk "$awk_prog" | wc -l) == 2503502 &&
   $(wc -l < "$tmp/np.csv") == 2503502 ]] || { echo "row counts differ" >&2; exit 1; }
"$py" - "$(tail -1 "$tmp/lc.csv")" "$("$py" -c "$py_prog" | tail -1)" "$(tail -1 "$tmp/np.csv")" <<'PY'
import sys
rows = [[float(x) for x in s.strip().split(",")] for s in sys.argv[1:]]
for other in rows[1:]:
    assert all(abs(x - y) <= 1e-12 * max(1, abs(y)) for x, y in zip(rows[0], other)), rows
PY
# numpy's %.15g and leasecalc's 15 digits: the same text on most rows.
same=$(tr -d '\r' < "$tmp/lc.csv" | paste -d'|' - "$tmp/np.csv" | awk -F'|' '$1 == $2' | wc -l)
rm -f "$tmp"/*.csv

table_header "sweep: 2,503,501 rows of CSV (bench/sweep.sh)"
pair "sweep, 2.5M rows" "awk (mawk, %.17g)" 1 awk "$awk_prog" ::: "$bin" "${job[@]}"
pair "sweep, 2.5M rows" "Python 3 csv module" 1 "$py" -c "$py_prog" ::: "$bin" "${job[@]}"
pair "sweep, 2.5M rows" "numpy, bulk %.15g" 1 "${np[@]}" ::: "$bin" "${job[@]}"
solo 3 "sweep, 26,026 rows: memory" "$bin" sweep --vary lease.price_per_gpu_hour=1.50:4.00:0.1 \
  --vary lease.occupancy=0.50:1.00:0.0005 --out lease.annual_revenue,breakeven.coverage
solo 1 "sweep, 25,027,501 rows: memory" "$bin" sweep \
  --vary lease.price_per_gpu_hour=1.50:4.00:0.0001 --vary lease.occupancy=0.50:1.00:0.0005 \
  --out lease.annual_revenue,breakeven.coverage
echo
echo "numpy's %.15g and leasecalc wrote the same text on $same of 2,503,502 lines."
