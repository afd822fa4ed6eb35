#!/usr/bin/env bash
# Benchmark: scenarios of 1, 100, 1,000 and 10,000 tenants (issue 25: time and memory grow
# in proportion to the tenants; 10,000 under 1 s and 200 MB).
#
#   file: generated here. Each tenant leases 10 H100 at its own ranged price, occupancy
#         90%, for 24 months from 2027-01 with a 3% escalator; the cluster has 10 per
#         tenant and 1 MW per 1,000 GPUs, with power, colocation, capex, a 6-year life
#         and a 10% discount rate: every tenant's month runs through the contract, its
#         EBITDA and NPV. 10,000 tenants are a 2.6 MB file (the limit is 16 MiB).
#   jobs: report (the text table), report --format csv, explain of the contract's
#         revenue (a formula over every tenant), and, beside them, the peer: Python's
#         json.load of the same file, the floor of any tool that reads it.
#
# Interleaved pairs (bench/lib.sh), json.load as the peer of each job. Prints Markdown.
# Usage: bash bench/tenants.sh [path/to/leasecalc]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib.sh"
bench_start "$@"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A scenario of $1 tenants, on one line per tenant.
scenario() {
  awk -v n="$1" 'BEGIN {
    printf "{\"schema\": \"leasecalc/scenario/v1\", \"name\": \"%d tenants\", \"as_of\": \"2026-12-01\",\n", n
    printf "\"cluster\": {\"name\": \"C\", \"gpus\": {\"H100\": {\"count\": %d}}, \"power_mw\": %.3f},\n", 10 * n, n / 100
    printf "\"leases\": [\n"
    for (i = 0; i < n; i++)
      printf "{\"tenant\": \"Tenant %d\", \"id\": \"T%d\", \"gpus\": {\"H100\": 10}, \"price_per_gpu_hour\": {\"value\": %.2f, \"tag\": \"assumption\", \"low\": 1.5, \"high\": 3.5}, \"occupancy\": 0.9, \"hours_per_year\": 8760, \"start\": \"2027-01-01\", \"term_months\": 24, \"escalator\": 0.03}%s\n", i, i, 2 + (i % 7) * 0.1, i + 1 < n ? "," : ""
    printf "],\n"
    printf "\"costs\": {\"power_price_per_mwh\": 60, \"power_load\": 0.85, \"colocation_per_kw_month\": 150},\n"
    printf "\"capex\": {\"per_gpu\": 50000, \"life_years\": 6, \"residual\": 0.1},\n"
    printf "\"finance\": {\"discount_rate\": 0.1}}\n"
  }'
}

table_header "tenants: scenarios of 1 to 10,000 tenants (bench/tenants.sh)"
for n in 1 100 1000 10000; do
  file="$work/t$n.json"
  scenario "$n" > "$file"
  "$bin" report "$file" > /dev/null  # refused files fail here, not in the table
  load=("$py" -c 'import json, sys; json.load(open(sys.argv[1]))' "$file")
  pair "report, $n tenants" "Python json.load" 1 "${load[@]}" ::: "$bin" report "$file"
  pair "report --format csv, $n tenants" "Python json.load" 1 "${load[@]}" ::: \
    "$bin" report "$file" --format csv
  pair "explain contract.revenue_total, $n tenants" "Python json.load" 1 "${load[@]}" ::: \
    "$bin" explain contract.revenue_total "$file"
done
