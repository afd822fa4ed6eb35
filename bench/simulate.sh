#!/usr/bin/env bash
# Benchmark: simulate (issue 5) beside Python's standard library and Squiggle.
#
#   model: bench/three-ranges.json, three ranged inputs: price triangular(2.2, 2.6, 3.0),
#          occupancy uniform(0.85, 1), loss lognormal90(5e9, 7e9); output
#          breakeven.coverage = 220,000 x 8,760 x price x occupancy / loss; mean, sd, p5, p50, p95.
#   leasecalc: 10,000,000 samples.   Python (bench/mc.py, stdlib random): 1,000,000 samples.
#   Squiggle (@quri/squiggle-lang 0.10.0 through its run() API, bench/squiggle/mc.mjs):
#   10,000,000 samples; installed with npm into bench/squiggle/node_modules (not committed).
#
# Each runs RUNS times (default 3); the best time and that run's peak RSS (GNU time) are
# kept, and compared per sample. First the three must agree on the mean and percentiles.
# Usage: bash bench/simulate.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start 3 "$@"
command -v node >/dev/null || { echo "Squiggle needs node and npm" >&2; exit 2; }
(cd "$root/bench/squiggle" && [[ -d node_modules/@quri/squiggle-lang ]] ||
  npm install --no-audit --no-fund --loglevel=error >/dev/null)

lc=("$bin" simulate "$root/bench/three-ranges.json" --samples 10000000 --seed 1 --out breakeven.coverage --format csv)
py=(python3 "$root/bench/mc.py" 1000000)
sq=(node "$root/bench/squiggle/mc.mjs" 10000000)

# The same answer from all three: mean, p5 and p95 within 0.5%.
a=$("${lc[@]}" | tail -1 | awk -F, '{ print $6, $8, $10 }')
b=$("${py[@]}" | awk '{ print $1, $3, $5 }')
c=$("${sq[@]}" | tr -d '[],' | awk '{ print $1, $3, $5 }')
python3 - "$a" "$b" "$c" <<'PY'
import sys
rows = [list(map(float, s.split())) for s in sys.argv[1:]]
for other in rows[1:]:
    assert all(abs(x - y) <= 0.005 * abs(y) for x, y in zip(rows[0], other)), rows
PY

read -r t_lc m_lc < <(measure "${lc[@]}")
read -r t_py m_py < <(measure "${py[@]}")
read -r t_sq m_sq < <(measure "${sq[@]}")
ns() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.0f ns", t / n * 1e9 }'; }
ratio() { awk -v a="$1" -v na="$2" -v b="$3" -v nb="$4" 'BEGIN { printf "%.1fx", (a / na) / (b / nb) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
echo "| program | samples | time (best of $runs) | per sample | peak RSS | leasecalc is faster per sample by |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| leasecalc simulate (2 threads) | 10,000,000 | ${t_lc} s | $(ns "$t_lc" 1e7) | $(mb "$m_lc") | |"
echo "| Python 3 stdlib | 1,000,000 | ${t_py} s | $(ns "$t_py" 1e6) | $(mb "$m_py") | $(ratio "$t_py" 1e6 "$t_lc" 1e7) |"
echo "| Squiggle 0.10.0 run() | 10,000,000 | ${t_sq} s | $(ns "$t_sq" 1e7) | $(mb "$m_sq") | $(ratio "$t_sq" 1e7 "$t_lc" 1e7) |"

# What correlation and sampled sensitivity add to the same 10M-sample run: Iman-Conover on
# all three inputs (bench/three-ranges-correlated.json), --sensitivity, and both.
base="$root/bench/three-ranges.json" corr="$root/bench/three-ranges-correlated.json"
opts=(--samples 10000000 --seed 1 --out breakeven.coverage --format json)
read -r t_c m_c < <(measure "$bin" simulate "$corr" "${opts[@]}")
read -r t_s m_s < <(measure "$bin" simulate "$base" "${opts[@]}" --sensitivity)
read -r t_cs m_cs < <(measure "$bin" simulate "$corr" "${opts[@]}" --sensitivity)
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.0f%%", (a / b - 1) * 100 }'; }
echo
echo "| leasecalc simulate, 10,000,000 samples | time (best of $runs) | peak RSS | added to the plain run |"
echo "|---|---:|---:|---:|"
echo "| plain | ${t_lc} s | $(mb "$m_lc") | |"
echo "| two correlations (three inputs) | ${t_c} s | $(mb "$m_c") | $(added "$t_c" "$t_lc") |"
echo "| --sensitivity | ${t_s} s | $(mb "$m_s") | $(added "$t_s" "$t_lc") |"
echo "| both | ${t_cs} s | $(mb "$m_cs") | $(added "$t_cs" "$t_lc") |"
