#!/usr/bin/env bash
# Benchmark: a sweep whose outputs are contract figures (README "Costs, margin and the
# contract"), which run the contract's months on every row, beside the same job in awk and
# in numpy.
#
#   job: on data/scenarios/neocloud-build.json (48 months, a ramp, an escalator,
#        take-or-pay, a 12% discount rate), the H200 price 2.00..3.00 step 0.001 x the
#        power price 40..90 step 0.05 = 1,001 x 1,001 = 1,002,001 rows; outputs
#        contract.npv, then contract.npv and contract.irr (a root search on every row).
#   awk: the same NPV, month by month, from the scenario's figures written into the
#        program (printf "%.17g"); awk has no IRR, so it runs the NPV job only.
#   numpy (bench/numpy_peers.py contract): the month loop over arrays of all rows, then
#        CSV in bulk; and its arrays alone, without the CSV.
#
# Every program writes to /dev/null. Interleaved pairs (bench/lib.sh).
# Usage: bash bench/contract.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start "$@"
need_numpy

scenario="$root/data/scenarios/neocloud-build.json"
grid=(--vary lease.price_per_gpu_hour.H200=2:3:0.001 --vary costs.power_price_per_mwh=40:90:0.05)
npv=(sweep "$scenario" "${grid[@]}" --out contract.npv)
npv_irr=(sweep "$scenario" "${grid[@]}" --out contract.npv,contract.irr)
# neocloud-build.json, by hand: 12,000 H200 at p and 4,608 GB200 at $4.00, billed 90%
# (take-or-pay above 85% occupancy); ramp 30% / 70% from month 2 / 100% from month 4;
# -4% a year; 30 MW at 80% load and q USD/MWh; colocation 30 x 1,000 x 184 x 12; other
# 16,608 x 3,000; capex 12,000 x 55,000 + 4,608 x 60,000 = 936,480,000, book value at 48
# of 72 months with 10% residual: x (1 - 0.9 x 48/72) = 374,592,000; r = 12%.
awk_prog='BEGIN {
  capex = 936480000; book = 374592000; fixed = (30 * 1000 * 184 * 12 + 16608 * 3000) / 12
  for (m = 0; m < 48; m++) {
    on[m] = m < 2 ? 0.3 : m < 4 ? 0.7 : 1; esc[m] = 0.96 ^ int(m / 12)
    df[m] = 1.12 ^ (-(m + 1) / 12) }
  end = book * 1.12 ^ -4
  print "lease.price_per_gpu_hour.H200,costs.power_price_per_mwh,contract.npv"
  for (i = 0; i <= 1000; i++) { p = 2 + i * 0.001
    revenue = (12000 * p + 4608 * 4) * 8760 * 0.9 / 12
    for (j = 0; j <= 1000; j++) { q = 40 + j * 0.05; power = 30 * 8760 * 0.8 * q / 12
      npv = -capex + end
      for (m = 0; m < 48; m++) npv += (revenue * on[m] * esc[m] - power * on[m] - fixed) * df[m]
      printf "%.17g,%.17g,%.17g\n", p, q, npv } } }'

# The same rows: the same count, and the last row's NPV to 1e-9.
np=("$py" "$root/bench/numpy_peers.py" contract)
rows_lc=$("$bin" "${npv[@]}" | wc -l)
rows_awk=$(awk "$awk_prog" | wc -l)
[[ "$rows_lc" == 1002002 && "$rows_awk" == 1002002 ]] || { echo "row counts differ: $rows_lc $rows_awk" >&2; exit 1; }
"$py" - "$("$bin" "${npv[@]}" | tail -1)" "$(awk "$awk_prog" | tail -1)" "$("${np[@]}" | tail -1)" <<'PY'
import sys
rows = [[float(x) for x in s.split(",")] for s in sys.argv[1:]]
for other in rows[1:]:
    assert all(abs(x - y) <= 1e-9 * max(1, abs(y)) for x, y in zip(rows[0], other)), rows
PY

table_header "contract NPV sweep: 1,002,001 rows of 48 months (bench/contract.sh)"
pair "contract.npv, 1M rows" "awk (mawk, %.17g)" 1 awk "$awk_prog" ::: "$bin" "${npv[@]}"
pair "contract.npv, 1M rows" "numpy, month loop over arrays, CSV" 1 "${np[@]}" ::: "$bin" "${npv[@]}"
pair "contract.npv, 1M rows" "numpy, arrays only (no CSV)" 1 \
  "$py" "$root/bench/numpy_peers.py" contract-only ::: "$bin" "${npv[@]}"
solo 3 "contract.npv and contract.irr, 1M rows" "$bin" "${npv_irr[@]}"
