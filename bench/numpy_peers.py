"""The numpy peers of the benchmarks (issue 26): the jobs as an analyst who knows numpy
would write them, vectorized, with bulk formatting for CSV.

  python3 bench/numpy_peers.py simulate N    bench/three-ranges.json's model, N samples:
      price triangular(2.2, 2.6, 3.0), occupancy uniform(0.85, 1), loss
      lognormal90(5e9, 7e9); coverage = 220,000 x 8,760 x price x occupancy / loss; prints
      mean, sd, p5, p50, p95 (numpy's percentile is linear, Hyndman-Fan type 7, as leasecalc).
  python3 bench/numpy_peers.py sweep         bench/sweep.sh's grid, 2,503,501 rows of CSV.
  python3 bench/numpy_peers.py contract      bench/contract.sh's NPV grid, 1,002,001 rows:
      the 48-month loop over arrays of every row, then CSV.
  python3 bench/numpy_peers.py contract-only the contract's arrays, without the CSV.

CSV is written 65,536 rows at a time with one %-format of a repeated row template (the
formatting runs in C), at 15 significant digits (%.15g), what leasecalc writes.
Debian's python3-numpy; the build never needs it.
"""
import math
import statistics
import sys

import numpy as np


def write_csv(header, columns):
    out = sys.stdout
    out.write(header + "\n")
    n = len(columns[0])
    chunk = 65536
    template = ",".join(["%.15g"] * len(columns)) + "\n"
    for begin in range(0, n, chunk):
        end = min(n, begin + chunk)
        block = np.column_stack([c[begin:end] for c in columns]).ravel().tolist()
        out.write((template * (end - begin)) % tuple(block))


def simulate(n):
    rng = np.random.default_rng(1)
    z95 = statistics.NormalDist().inv_cdf(0.95)
    mu = (math.log(5e9) + math.log(7e9)) / 2
    sigma = (math.log(7e9) - math.log(5e9)) / (2 * z95)
    price = rng.triangular(2.2, 2.6, 3.0, n)
    occupancy = rng.uniform(0.85, 1.0, n)
    loss = rng.lognormal(mu, sigma, n)
    coverage = 220000 * 8760 * price * occupancy / loss
    p5, p50, p95 = np.percentile(coverage, [5, 50, 95])
    print(coverage.mean(), coverage.std(ddof=1), p5, p50, p95)


def sweep():
    price = np.round(1.5 + np.arange(2501) * 0.001, 3)
    occupancy = np.round(0.5 + np.arange(1001) * 0.0005, 4)
    p = np.repeat(price, occupancy.size)
    o = np.tile(occupancy, price.size)
    revenue = 220000 * 8760 * p * o
    write_csv("lease.price_per_gpu_hour,lease.occupancy,lease.annual_revenue,breakeven.coverage",
              [p, o, revenue, revenue / 6e9])


def contract_arrays():
    # bench/contract.sh's arithmetic for neocloud-build.json, month by month over arrays.
    capex, book = 936480000, 374592000
    fixed = (30 * 1000 * 184 * 12 + 16608 * 3000) / 12
    months = np.arange(48)
    on = np.where(months < 2, 0.3, np.where(months < 4, 0.7, 1.0))
    esc = 0.96 ** (months // 12)
    df = 1.12 ** (-(months + 1) / 12)
    h200 = 2 + np.arange(1001) * 0.001
    power_price = 40 + np.arange(1001) * 0.05
    p = np.repeat(h200, power_price.size)
    q = np.tile(power_price, h200.size)
    revenue = (12000 * p + 4608 * 4) * 8760 * 0.9 / 12
    power = 30 * 8760 * 0.8 * q / 12
    npv = np.full(p.size, -capex + book * 1.12 ** -4)
    for m in range(48):
        npv += (revenue * (on[m] * esc[m]) - power * on[m] - fixed) * df[m]
    return p, q, npv


def main():
    job = sys.argv[1] if len(sys.argv) > 1 else ""
    if job == "simulate":
        simulate(int(sys.argv[2]))
    elif job == "sweep":
        sweep()
    elif job == "contract":
        write_csv("lease.price_per_gpu_hour.H200,costs.power_price_per_mwh,contract.npv",
                  list(contract_arrays()))
    elif job == "contract-only":
        contract_arrays()
    else:
        sys.exit(__doc__)


main()
