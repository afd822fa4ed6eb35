#!/usr/bin/env bash
# Two leasecalc binaries side by side, interleaved in one session, on the jobs of
# bench/sweep.sh (a 2,503,501-row sweep to CSV) and bench/simulate.sh (10M samples of three
# ranged inputs): is a change no slower? Interleaved pairs (bench/lib.sh), the old binary
# as the peer: the ratio is how many times faster the new one is.
# Usage: bash bench/compare.sh OLD_BINARY NEW_BINARY   (OUTPUT=differs: skip the output check)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old=$1 new=$2
source "$root/bench/lib.sh"
bench_start "$new"

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

table_header "compare: $old (peer) and $new (bench/compare.sh)"
for job in sweep simulate; do
  declare -n args=$job
  pair "$job" "old binary" 1 "$old" "${args[@]}" ::: "$new" "${args[@]}"
done
