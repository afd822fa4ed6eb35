"""The benchmark model with Python's standard library only: price triangular(2.2, 2.6, 3.0),
occupancy uniform(0.85, 1), loss lognormal90(5e9, 7e9); coverage = 220,000 x 8,760 x price x
occupancy / loss. Usage: python3 bench/mc.py SAMPLES"""
import math, random, statistics, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = random.Random(1)
z95 = statistics.NormalDist().inv_cdf(0.95)
mu = (math.log(5e9) + math.log(7e9)) / 2
sigma = (math.log(7e9) - math.log(5e9)) / (2 * z95)
k = 220000 * 8760
coverage = [k * rng.triangular(2.2, 3.0, 2.6) * rng.uniform(0.85, 1.0) / rng.lognormvariate(mu, sigma)
            for _ in range(n)]
coverage.sort()
def pct(p):  # linear interpolation between order statistics, as leasecalc
    h = (n - 1) * p
    lo = math.floor(h)
    return coverage[lo] + (h - lo) * (coverage[min(lo + 1, n - 1)] - coverage[lo])
print(statistics.fmean(coverage), statistics.stdev(coverage), pct(0.05), pct(0.5), pct(0.95))
