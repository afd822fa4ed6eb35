#!/usr/bin/env bash
# Benchmark: the equity IRR of the bundled neocloud deal over debt.share x debt.rate
# (README "Debt and tax"), 1,002,001 rows, each running the 72-month horizon (the
# contract, the tail, the loan and the equity's tax) and a root search; beside the same
# job vectorized in numpy (bench/financing.py), in one run.
#
#   grid: debt.share 0.30..0.60 step 0.0003 x debt.rate 6%..12% step 0.006% = 1,001 x 1,001.
#   First both write the grid and their rows are compared (every IRR to 1e-9, the
#   undefined ones the same); then RUNS (default 5) interleaved rounds are timed, each
#   program writing its CSV to /dev/null, and each program's run with the median wall
#   time is reported (wall, CPU, peak RSS). numpy is timed twice: the whole job, and
#   without writing CSV.
# Usage: bash bench/financing.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start 5 "$@"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || apt-get install -y -qq python3-numpy >/dev/null

scenario="$root/data/scenarios/neocloud-build.json"
lc=("$bin" sweep "$scenario" --vary debt.share=0.3:0.6:0.0003 --vary debt.rate=0.06:0.12:0.00006
    --out equity.irr)
py=(/usr/bin/python3 "$root/bench/financing.py" run)
compute=(/usr/bin/python3 -c "import sys; sys.argv = ['financing.py', 'none']
exec(open('$root/bench/financing.py').read().replace('main()\n', ''))
equity_irr(*grid())")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${lc[@]}" > "$tmp/lc.csv"
"${py[@]}" > "$tmp/py.csv"
[[ $(wc -l < "$tmp/lc.csv") == 1002002 && $(wc -l < "$tmp/py.csv") == 1002002 ]] ||
  { echo "row counts differ" >&2; exit 1; }
/usr/bin/python3 "$root/bench/financing.py" check "$tmp/lc.csv" >&2

sample() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
: > "$tmp/lc" ; : > "$tmp/py" ; : > "$tmp/compute"
for _ in $(seq "$runs"); do
  sample "${lc[@]}" >> "$tmp/lc"
  sample "${py[@]}" >> "$tmp/py"
  sample "${compute[@]}" >> "$tmp/compute"
done
# The run with the median wall time: its wall time, CPU (user + sys) and peak RSS.
median() {
  sort -n "$1" | awk '{ a[NR] = $0 } END { split(a[int((NR + 1) / 2)], f, " ")
    printf "%.2f %.2f %.1f\n", f[1], f[2] + f[3], f[4] / 1024 }'
}
read -r w_lc c_lc m_lc < <(median "$tmp/lc")
read -r w_py c_py m_py < <(median "$tmp/py")
read -r w_cp c_cp m_cp < <(median "$tmp/compute")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
echo "| program | rows | wall (median of $runs) | CPU | peak RSS | leasecalc is faster by (wall, CPU) |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| leasecalc sweep, equity.irr | 1,002,001 | ${w_lc} s | ${c_lc} s | ${m_lc} MB | |"
echo "| numpy, equity.irr and CSV | 1,002,001 | ${w_py} s | ${c_py} s | ${m_py} MB | $(ratio "$w_py" "$w_lc"), $(ratio "$c_py" "$c_lc") |"
echo "| numpy, equity.irr without CSV | 1,002,001 | ${w_cp} s | ${c_cp} s | ${m_cp} MB | $(ratio "$w_cp" "$w_lc"), $(ratio "$c_cp" "$c_lc") |"
