#!/usr/bin/python3
"""The peer of bench/financing.sh: the neocloud deal's equity IRR over debt.share x
debt.rate, vectorized in numpy (what an analyst would write), month by month over the
72-month horizon: the contract, the tail at the market price, the loan (annuity after
six interest-only months), the equity's tax with losses carried forward, and a Newton
search for the monthly IRR on every row at once.

Usage: financing.py run            -> the rows as CSV on stdout (the timed job)
       financing.py check FILE     -> compares leasecalc's CSV with this model, row by row
Every figure below is data/scenarios/neocloud-build.json's, written out by hand.
"""
import sys
import numpy as np

MONTHS, TERM = 72, 48
CAPEX = 12000 * 55000 + 4608 * 60000  # 936,480,000
TERMINAL = CAPEX * 0.1  # book value after the six-year life: the residual


def ebitda_and_ebit():
    m = np.arange(MONTHS)
    online = np.where(m < 2, 0.3, np.where(m < 4, 0.7, 1.0))
    # the contract: (12,000 x 2.80 + 4,608 x 4.00) x 730 hours x 90% billed, -4% a year
    contract = (12000 * 2.80 + 4608 * 4.00) * 730 * 0.9 * online * 0.96 ** (m // 12)
    # the tail, months 48 .. 71, all online at 70%: the H200 flat at $1.65 (its last point,
    # 2031-01, is month 47), the GB200 at 4.00 x 0.85^(m / 12)
    tail = (12000 * 1.65 + 4608 * 4.00 * 0.85 ** (m / 12)) * 730 * 0.7
    revenue = np.where(m < TERM, contract, tail)
    on = np.where(m < TERM, online, 1.0)
    power = 30 * 8760 * 0.8 * 70 / 12 * on
    fixed = (30 * 1000 * 184 * 12 + 16608 * 3000) / 12
    ebitda = revenue - power - fixed
    depreciation = CAPEX * 0.9 / 6 / 12  # while m < 72: every month here
    return ebitda, ebitda - depreciation


def equity_irr(share, rate):
    ebitda, ebit = ebitda_and_ebit()
    loan = share * CAPEX
    i = rate / 12
    payment = loan * i / (1 - (1 + i) ** -(TERM - 6))
    n = share.size
    flows = np.empty((MONTHS + 1, n))
    flows[0] = -(CAPEX - loan + 0.02 * loan)
    balance = loan.copy()
    income = np.zeros(n)  # the equity's taxable income to date
    taxed = np.zeros(n)  # what was taxed before
    for m in range(MONTHS):
        interest = balance * i
        if m < 6:
            principal = np.zeros(n)
        elif m < TERM - 1:
            principal = payment - interest
        elif m == TERM - 1:
            principal = balance
        else:
            principal = np.zeros(n)
        balance = balance - principal
        pretax = ebit[m] - interest
        taxable = np.maximum(0, income + pretax - taxed)
        income += pretax
        taxed += taxable
        flows[m + 1] = ebitda[m] - interest - principal - 0.21 * taxable
    flows[MONTHS] += TERMINAL - balance
    # Undefined, as leasecalc's, unless the flows change sign exactly once.
    signs = np.sign(flows)
    changes = np.zeros(n, dtype=int)
    last = signs[0]
    for k in range(1, MONTHS + 1):
        s = signs[k]
        flip = (s != 0) & (last != 0) & (s != last)
        changes += flip
        last = np.where(s != 0, s, last)
    # Newton on the monthly rate, from 1% a month.
    k = np.arange(MONTHS + 1)[:, None]
    r = np.full(n, 0.01)
    for _ in range(50):
        x = (1 + r) ** -k
        f = (flows * x).sum(axis=0)
        df = (-k * flows * x / (1 + r)).sum(axis=0)
        step = f / df
        r = r - step
        if np.all(np.abs(step) < 1e-15 * np.maximum(1, np.abs(r))):
            break
    annual = (1 + r) ** 12 - 1
    return np.where(changes == 1, annual, np.nan)


def grid():
    share = np.round(0.3 + np.arange(1001) * 0.0003, 4)
    rate = np.round(0.06 + np.arange(1001) * 0.00006, 5)
    return np.repeat(share, rate.size), np.tile(rate, share.size)


def main():
    if sys.argv[1] == "run":
        share, rate = grid()
        irr = equity_irr(share, rate)
        out = sys.stdout
        out.write("debt.share,debt.rate,equity.irr\n")
        out.writelines(f"{s:.15g},{r:.15g},{'' if np.isnan(v) else f'{v:.15g}'}\n"
                       for s, r, v in zip(share, rate, irr))
        return
    rows = np.genfromtxt(sys.argv[2], delimiter=",", skip_header=1)
    share, rate, theirs = rows[:, 0], rows[:, 1], rows[:, 2]
    ours = equity_irr(share, rate)
    both = ~np.isnan(ours) & ~np.isnan(theirs)
    assert np.array_equal(np.isnan(ours), np.isnan(theirs)), "undefined in one, not the other"
    worst = np.max(np.abs(ours[both] - theirs[both]) / np.maximum(1e-3, np.abs(ours[both])))
    assert worst < 1e-9, worst
    print(f"{rows.shape[0]} rows agree: {both.sum()} IRRs within {worst:.1e} relative, "
          f"{(~both).sum()} undefined in both")


main()
