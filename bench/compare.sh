#!/usr/bin/env bash
# Two leasecalc binaries side by side, interleaved in one session, on the jobs of
# bench/sweep.sh (a 2,503,501-row sweep to CSV) and bench/simulate.sh (10M samples of three
# ranged inputs): is a change no slower? Each job runs ROUNDS times (default 5), alternating
# old and new, and the best time and that run's peak RSS of each are kept.
# Usage: bash bench/compare.sh OLD_BINARY NEW_BINARY   (OUTPUT=differs: skip the output check)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old=$1 new=$2
rounds="${ROUNDS:-5}"
[[ -x /usr/bin/time ]] || apt-get install -y -qq time >/dev/null
source "$root/bench/lib.sh"
runs=1

sweep=(sweep --vary lease.price_per_gpu_hour=1.50:4.00:0.001 --vary lease.occupancy=0.50:1.00:0.0005
       --out lease.annual_revenue,breakeven.coverage)
simulate=(simulate "$root/bench/three-ranges.json" --samples 10000000 --seed 1
          --out breakeven.coverage --format csv)
# The same output first: a refactor must not change what the jobs print. (OUTPUT=differs
# times two versions whose output changed on purpose, such as the 15-digit rule.)
[[ "${OUTPUT:-}" == differs ]] || for job in sweep simulate; do
  declare -n args=$job
  cmp -s <("$old" "${args[@]}") <("$new" "${args[@]}") ||
    { echo "compare: the two binaries print different $job output" >&2; exit 1; }
done

best() {  # best "seconds KB" of the lines on stdin
  sort -n -k1,1 | head -1
}
echo "| job | binary | time (best of $rounds, interleaved) | peak RSS |"
echo "|---|---|---:|---:|"
for job in sweep simulate; do
  declare -n args=$job
  : >"/tmp/compare-$job-old" ; : >"/tmp/compare-$job-new"
  for _ in $(seq "$rounds"); do
    measure "$old" "${args[@]}" >>"/tmp/compare-$job-old"
    measure "$new" "${args[@]}" >>"/tmp/compare-$job-new"
  done
  for side in old new; do
    read -r t m < <(best <"/tmp/compare-$job-$side")
    echo "| $job | $side | $t s | $(awk -v k="$m" 'BEGIN { printf "%.1f MB", k / 1024 }') |"
  done
  rm -f "/tmp/compare-$job-old" "/tmp/compare-$job-new"
done
