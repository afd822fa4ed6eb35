#!/usr/bin/env bash
# Every benchmark in one run, for the README's tables (issue 26): sweep, simulate, the
# contract sweep, financing and tenants, each as interleaved pairs with its peers
# (bench/lib.sh), under one heading that names the machine. Takes about 15 minutes on 2
# cores. Run it on an idle machine; paste its output whole.
# Usage: bash bench/all.sh [path/to/leasecalc] > bench-results.md
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start "$@"
echo "### leasecalc benchmarks: bash bench/all.sh, $pairs interleaved pairs a row"
echo
for script in sweep simulate contract financing tenants; do
  bash "$root/bench/$script.sh" "$bin"
  echo
done
