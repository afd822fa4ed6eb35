#!/usr/bin/env bash
# Benchmark: simulate (issue 5) beside Python's standard library, numpy and Squiggle.
#
#   model: bench/three-ranges.json, three ranged inputs: price triangular(2.2, 2.6, 3.0),
#          occupancy uniform(0.85, 1), loss lognormal90(5e9, 7e9); output
#          breakeven.coverage = 220,000 x 8,760 x price x occupancy / loss; mean, sd, p5, p50, p95.
#   leasecalc: 10,000,000 samples.   Python (bench/mc.py, stdlib random): 1,000,000 samples,
#   so its ratios are per sample.   numpy (bench/numpy_peers.py simulate, vectorized):
#   10,000,000.   Squiggle (@quri/squiggle-lang 0.10.0 through its run() API,
#   bench/squiggle/mc.mjs): 10,000,000; installed with npm into bench/squiggle/node_modules
#   (not committed).
#
# First all four must agree on the mean and percentiles. Interleaved pairs (bench/lib.sh).
# Then what correlation and sensitivity cost (the plain run as the "peer"), and leasecalc
# alone at 1e8 and 1e9 samples: its memory does not grow with the samples.
# Usage: bash bench/simulate.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start "$@"
need_numpy
command -v node >/dev/null || { echo "Squiggle needs node and npm" >&2; exit 2; }
(cd "$root/bench/squiggle" && [[ -d node_modules/@quri/squiggle-lang ]] ||
  npm install --no-audit --no-fund --loglevel=error >/dev/null)

model="$root/bench/three-ranges.json" corr="$root/bench/three-ranges-correlated.json"
lc=("$bin" simulate "$model" --samples 10000000 --seed 1 --out breakeven.coverage --format csv)
python=("$py" "$root/bench/mc.py" 1000000)
np=("$py" "$root/bench/numpy_peers.py" simulate 10000000)
sq=(node "$root/bench/squiggle/mc.mjs" 10000000)

# The same answer from all four: mean, p5 and p95 within 0.5%.
a=$("${lc[@]}" | tail -1 | awk -F, '{ print $6, $8, $10 }')
b=$("${python[@]}" | awk '{ print $1, $3, $5 }')
c=$("${sq[@]}" | tr -d '[],' | awk '{ print $1, $3, $5 }')
d=$("${np[@]}" | awk '{ print $1, $3, $5 }')
"$py" - "$a" "$b" "$c" "$d" <<'PY'
import sys
rows = [list(map(float, s.split())) for s in sys.argv[1:]]
for other in rows[1:]:
    assert all(abs(x - y) <= 0.005 * abs(y) for x, y in zip(rows[0], other)), rows
PY

table_header "simulate: 10,000,000 samples of three ranged inputs (bench/simulate.sh)"
pair "simulate 10M, per sample" "Python 3 stdlib, 1M" 10 "${python[@]}" ::: "${lc[@]}"
pair "simulate 10M" "numpy, vectorized" 1 "${np[@]}" ::: "${lc[@]}"
pair "simulate 10M" "Squiggle 0.10.0 run()" 1 "${sq[@]}" ::: "${lc[@]}"
# The cost of correlation and sensitivity: the richer run as the "peer" of the plain one,
# so the ratio is how many times longer it takes.
opts=(--samples 10000000 --seed 1 --out breakeven.coverage --format json)
plain=("$bin" simulate "$model" "${opts[@]}")
pair "cost: two correlations (ratio = their time / plain)" "leasecalc, correlated" 1 \
  "$bin" simulate "$corr" "${opts[@]}" ::: "${plain[@]}"
pair "cost: --sensitivity (ratio = its time / plain)" "leasecalc, --sensitivity" 1 \
  "$bin" simulate "$model" "${opts[@]}" --sensitivity ::: "${plain[@]}"
solo 1 "simulate 1e8: memory" "$bin" simulate "$model" --samples 100000000 --seed 1 \
  --out breakeven.coverage --format csv
solo 1 "simulate 1e9: memory" "$bin" simulate "$model" --samples 1000000000 --seed 1 \
  --max-samples 1000000000 \
  --out breakeven.coverage --format csv
