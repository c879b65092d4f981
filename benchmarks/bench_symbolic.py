"""Benchmark: bound symbolic preferences in `burden.nash`, against the built-ins and a scipy loop.

Measured in the same run, on the same scenarios:

* **closed form** — Cobb–Douglas written as a sympy expression and bound to the same ``a``
  takes the sort-and-add path like ``burden.CobbDouglas``; target: within 3x of the built-in on
  a ``(10**5, 30)`` batch.
* **numeric root finding** — ``ln x + a ln G + b G`` has no linear consumption line, so the
  batched replacement-function path solves it; baseline: a per-scenario loop of
  ``scipy.optimize.brentq`` on the aggregate equation ``G = Σ r_i(G)`` with the same closed-form
  replacement functions (what a user without the batched solver writes), timed on
  ``N_LOOP`` scenarios and compared per scenario.

Run with ``python -m pytest benchmarks/bench_symbolic.py --benchmark-enable -s``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import brentq

import burden as bd
from burden.symbolic import derive

N_SCENARIOS, N_MEMBERS, N_NUMERIC, N_LOOP = 10**5, 30, 10**4, 200
x, G, a, b = sp.symbols("x G a b", positive=True)


@pytest.fixture(scope="module")
def wealth():
    return np.random.default_rng(2026).lognormal(3.0, 1.0, (N_SCENARIOS, N_MEMBERS))


def test_symbolic_cobb_douglas_against_builtin(benchmark, wealth, best_of):
    alpha = np.random.default_rng(7).uniform(0.2, 0.8, N_MEMBERS)
    symbolic = derive((1 - a) * sp.log(x) + a * sp.log(G), x, G).bind(a=alpha)
    builtin = bd.CobbDouglas(alpha)
    np.testing.assert_allclose(bd.nash(wealth, symbolic).G, bd.nash(wealth, builtin).G, rtol=1e-12)
    ours = benchmark.pedantic(lambda: bd.nash(wealth, symbolic), rounds=3, iterations=1)
    assert ours.success.all()
    t_symbolic = benchmark.stats.stats.min
    t_builtin = best_of(lambda: bd.nash(wealth, builtin))
    ratio = t_symbolic / t_builtin
    print(f"\nsymbolic CD {t_symbolic:.3f} s, built-in {t_builtin:.3f} s: {ratio:.2f}x (target <= 3x)")


def test_numeric_root_finding_against_scipy_loop(benchmark, wealth):
    w = wealth[:N_NUMERIC]
    prefs = derive(sp.log(x) + a * sp.log(G) + b * G, x, G).bind(a=0.5, b=0.002)
    eq = benchmark.pedantic(lambda: bd.nash(w, prefs), rounds=2, iterations=1)
    assert eq.success.all()
    t_ours = benchmark.stats.stats.min / N_NUMERIC

    def loop():
        out = np.empty(N_LOOP)
        for k in range(N_LOOP):
            wk = w[k]
            out[k] = brentq(lambda Gt, wk=wk: Gt - prefs.replacement(Gt, wk).sum(), 1e-12, wk.sum())
        return out

    start = time.perf_counter()
    G_loop = loop()
    t_loop = (time.perf_counter() - start) / N_LOOP
    np.testing.assert_allclose(G_loop, eq.G[:N_LOOP], rtol=1e-8)
    print(
        f"\nnumeric path: {1 / t_ours:,.0f} scenarios/s; brentq loop {1 / t_loop:,.0f}/s: "
        f"{t_loop / t_ours:.0f}x"
    )
