"""Benchmark: pledged Nash and Nash bargaining, against plain Nash and a per-scenario scipy loop.

Measured in the same run, on the same scenarios:

* **pledged Nash** on a ``(10**6, 30)`` Cobb–Douglas batch with a 2 % floor, against plain
  ``burden.nash`` on the same batch (target: within 2x).
* **bargaining** on ``10**4`` alliances of 10 Cobb–Douglas members (Nash threat point), against
  what a user without `burden` writes: per scenario, ``scipy.optimize.minimize`` (SLSQP) on
  the Nash product over ``(x, G)`` with the budget constraint, started from the
  equal-split point; timed on ``N_LOOP`` scenarios and compared per scenario (target ≥ 50x).

Run with ``python -m pytest benchmarks/bench_sharing.py --benchmark-enable -s``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy.optimize import minimize

import burden as bd

N_SCENARIOS, N_MEMBERS = 10**6, 30
N_BARGAIN, N_ALLIES, N_LOOP = 10**4, 10, 30


def test_pledged_nash_against_plain_nash(benchmark, best_of):
    rng = np.random.default_rng(2026)
    w = rng.lognormal(3.0, 1.0, (N_SCENARIOS, N_MEMBERS))
    prefs = bd.CobbDouglas(rng.uniform(0.2, 0.8, N_MEMBERS))
    out = benchmark.pedantic(lambda: bd.pledged_nash(w, prefs, 0.02), rounds=3, iterations=1)
    assert out.success.all()
    t_pledged = benchmark.stats.stats.min
    t_plain = best_of(lambda: bd.nash(w, prefs))
    print(f"\npledged {t_pledged:.2f} s, plain {t_plain:.2f} s: {t_pledged / t_plain:.2f}x (target <= 2x)")


def _slsqp_bargain(w, prefs, d):
    n, total = w.size, w.sum()
    start = np.append(np.full(n, total / (2 * n)), total / 2)

    def objective(z):
        with np.errstate(all="ignore"):
            surplus = prefs.utility(z[:n], z[n]) - d
        return -np.sum(np.log(surplus)) / n if np.all(surplus > 0) else 1e6

    res = minimize(
        objective,
        start,
        method="SLSQP",
        constraints=[{"type": "eq", "fun": lambda z: z[:n].sum() + z[n] - total}],
        bounds=[(1e-9, total)] * (n + 1),
        options={"ftol": 1e-12, "maxiter": 500},
    )
    return res.x[n]


@pytest.fixture(scope="module")
def alliances():
    return np.random.default_rng(7).lognormal(3.0, 0.5, (N_BARGAIN, N_ALLIES))


def test_bargaining_against_scipy_loop(benchmark, alliances):
    prefs = bd.CobbDouglas(0.5)
    deal = benchmark.pedantic(lambda: bd.bargain(alliances, prefs), rounds=2, iterations=1)
    assert deal.success.all()
    t_ours = benchmark.stats.stats.min / N_BARGAIN
    threat = deal.threat
    start = time.perf_counter()
    G_loop = [_slsqp_bargain(alliances[k], prefs, threat[k]) for k in range(N_LOOP)]
    t_loop = (time.perf_counter() - start) / N_LOOP
    agree = np.abs(np.asarray(G_loop) / deal.G[:N_LOOP] - 1.0)
    print(
        f"\nbargain: {1 / t_ours:,.0f} alliances/s; SLSQP loop {1 / t_loop:,.0f}/s: {t_loop / t_ours:.0f}x "
        f"(target >= 50x); loop agrees to {agree.max():.1e} relative in G"
    )
