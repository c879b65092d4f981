"""Benchmark: spill-in Nash equilibria.

* Scalar θ = 0.6 on ``(10**6, 30)`` Cobb–Douglas alliances (the compiled sort-and-add kernel
  on the transformed equation, as for the pure good), against the pure-public-good
  :func:`burden.nash` on the same arrays in the same run (target: within 2x).
* Matrix θ (geographic Gaussian-kernel spill-ins, symmetric, so the LCP is certified P) on
  ``10**4`` alliances of 30 through the batched LCP.

Run with ``python -m pytest benchmarks/bench_spillover.py --benchmark-enable -s -p no:cacheprovider``.
"""

from __future__ import annotations

import numpy as np
import pytest

import burden as bd
from burden.publicgoods.joint_products import JointProduct

SCENARIOS, MEMBERS = 10**6, 30


@pytest.fixture(scope="module")
def alliances():
    rng = np.random.default_rng(11)
    return rng.lognormal(0, 1, (SCENARIOS, MEMBERS)), rng.uniform(0.2, 0.8, (SCENARIOS, MEMBERS))


def test_scalar_spillover_against_pure_good(benchmark, alliances, best_of):
    w, a = alliances
    prefs = bd.CobbDouglas(a)
    eq = benchmark.pedantic(bd.nash, args=(w, prefs), kwargs={"spillover": 0.6}, rounds=2, iterations=1)
    assert (eq.status == 0).all()
    pure = best_of(lambda: bd.nash(w, prefs))
    impure = best_of(lambda: bd.nash(w, prefs, spillover=0.6))
    print(
        f"\nscalar spill-in closed form {SCENARIOS}x{MEMBERS}: {impure:.2f} s; pure public good "
        f"{pure:.2f} s; ratio {impure / pure:.2f}x (max residual {eq.residual.max():.1e})"
    )


def test_matrix_spillover_lcp(benchmark, best_of):
    rng = np.random.default_rng(5)
    count, n = 10**4, MEMBERS
    x = rng.uniform(0, 1, (count, n, 2))
    d2 = ((x[:, :, None, :] - x[:, None, :, :]) ** 2).sum(-1)
    theta = np.exp(-d2 / (2 * 0.15**2)) * (1 - np.eye(n))
    w, a = rng.lognormal(0, 1, (count, n)), rng.uniform(0.2, 0.8, (count, n))
    eq = benchmark.pedantic(
        bd.nash, args=(w, bd.CobbDouglas(a)), kwargs={"spillover": theta}, rounds=2, iterations=1
    )
    assert (eq.status == 0).all()
    seconds = best_of(lambda: bd.nash(w, bd.CobbDouglas(a), spillover=theta), repeat=1)
    print(f"\nmatrix spill-ins via LCP {count}x{n}: {seconds:.2f} s (max residual {eq.residual.max():.1e})")


def test_joint_products(benchmark):
    """Joint products at scalar θ: batched root finding on the aggregate (10**5 x 30)."""
    rng = np.random.default_rng(3)
    w = rng.lognormal(0, 1, (10**5, MEMBERS))
    prefs = JointProduct(0.3, rng.uniform(0.0, 0.3, (10**5, MEMBERS)))
    eq = benchmark.pedantic(bd.nash, args=(w, prefs), kwargs={"spillover": 0.6}, rounds=2, iterations=1)
    assert (eq.status == 0).all()
