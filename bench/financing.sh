#!/usr/bin/env bash
# Benchmark: the equity IRR of the bundled neocloud deal over debt.share x debt.rate
# (README "Debt and tax"), 1,002,001 rows, each running the 72-month horizon (the
# contract, the tail, the loan and the equity's tax) and a root search; beside the same
# job vectorized in numpy (bench/financing.py), in one run.
#
#   grid: debt.share 0.30..0.60 step 0.0003 x debt.rate 6%..12% step 0.006% = 1,001 x 1,001.
#   First both write the grid and their rows are compared (every IRR to 1e-9, the
#   undefined ones the same); then interleaved pairs (bench/lib.sh), each program
#   writing its CSV to /dev/null. numpy is timed twice: the whole job, and without
#   writing CSV.
# Usage: bash bench/financing.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start "$@"
need_numpy

scenario="$root/data/scenarios/neocloud-build.json"
lc=("$bin" sweep "$scenario" --vary debt.share=0.3:0.6:0.0003 --vary debt.rate=0.06:0.12:0.00006
    --out equity.irr)
py_job=("$py" "$root/bench/financing.py" run)
compute=("$py" -c "import sys; sys.argv = ['financing.py', 'none']
exec(open('$root/bench/financing.py').read().replace('main()\n', ''))
equity_irr(*grid())")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${lc[@]}" > "$tmp/lc.csv"
"${py_job[@]}" > "$tmp/py.csv"
[[ $(wc -l < "$tmp/lc.csv") == 1002002 && $(wc -l < "$tmp/py.csv") == 1002002 ]] ||
  { echo "row counts differ" >&2; exit 1; }
"$py" "$root/bench/financing.py" check "$tmp/lc.csv" >&2

table_header "financing: equity.irr over a 1,002,001-row grid (bench/financing.sh)"
pair "equity.irr, 1M rows" "numpy, vectorized, CSV" 1 "${py_job[@]}" ::: "${lc[@]}"
pair "equity.irr, 1M rows" "numpy, without CSV" 1 "${compute[@]}" ::: "${lc[@]}"
