"""Benchmark: batched LCP (`burden.lcp.solve`) against a loop of QuantEcon's `lcp_lemke`.

Problem: 10**4 spill-in games with n = 30 allies (DESIGN §2.5), the LCP
``q >= 0, M q - w/p >= 0`` with ``M = I + diag(c)(I + Θ)``, ``c = (1 - a)/a``,
``a ~ U(0.2, 0.8)``, incomes ``w ~ lognormal(0, 1)``, ``p = 1``.

Generator choice: with Θ entries i.i.d. U(0, 1) some matrices are not P-matrices (about
4 in 10**4 at n = 30: a principal minor is negative and the game can have several Nash
equilibria), which is not a sensible model of an alliance.  We use geographic spill-ins
instead: allies sit at uniform random points of the unit square and
``θ_ij = exp(-d_ij² / (2 · 0.15²))``.  Then ``diag(1/c) M = diag(1/(1 - a)) - I + I + Θ``
``= diag(a/(1 - a)) + K`` with ``K`` a Gaussian-kernel Gram matrix (positive
semidefinite), so ``diag(1/c) M`` is symmetric positive definite and ``M`` is a P-matrix:
the equilibrium is unique (Bramoullé, Kranton & D'Amours 2014 make the same point for
network games).  We pass the symmetric form ``(diag(1/c) M, -w/(p c))`` -- same solutions
-- so that `solve` certifies the P-property too; Lemke gets the same matrices.

The Lemke loop is timed on 300 instances and scaled to 10**4.  Run with
``python -m pytest benchmarks/bench_lcp.py --benchmark-enable -s``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from burden import Status
from burden.lcp import solve

SOLVED = Status.SUCCESS

N_GAMES, N_ALLIES, N_LOOP = 10_000, 30, 300


def spill_in_games(rng, count, n, length=0.15):
    a = rng.uniform(0.2, 0.8, (count, n))
    c = (1 - a) / a
    x = rng.uniform(0, 1, (count, n, 2))
    d2 = ((x[:, :, None, :] - x[:, None, :, :]) ** 2).sum(-1)
    theta = np.exp(-d2 / (2 * length**2)) * (1 - np.eye(n))
    income = rng.lognormal(0, 1, (count, n))
    M = np.eye(n) / c[..., None] + np.eye(n) + theta  # diag(1/c) M, exactly symmetric
    return M, -income / c


@pytest.fixture(scope="module")
def games():
    return spill_in_games(np.random.default_rng(2024), N_GAMES, N_ALLIES)


def test_batched_spill_in(benchmark, games):
    M, q = games
    sol = benchmark.pedantic(solve, args=(M, q), rounds=3, iterations=1)
    assert (sol.status == SOLVED).all() and sol.p_matrix.all()


def test_ratio_against_lemke_loop(games):
    lcp_lemke = pytest.importorskip("quantecon.optimize").lcp_lemke
    M, q = games
    lcp_lemke(M[0], q[0])  # compile
    start = time.perf_counter()
    z_ref = np.array([lcp_lemke(M[k], q[k]).z for k in range(N_LOOP)])
    loop = (time.perf_counter() - start) * N_GAMES / N_LOOP
    batched = min(_timed(solve, M, q) for _ in range(3))
    sol = solve(M, q)
    np.testing.assert_allclose(sol.z[:N_LOOP], z_ref, atol=1e-8)
    print(
        f"\nLCP n={N_ALLIES}, {N_GAMES} spill-in games: batched {batched:.3f} s, "
        f"lcp_lemke loop {loop:.3f} s (scaled from {N_LOOP}), ratio {loop / batched:.2f}x; "
        f"mean pivoting steps {sol.iterations.mean():.2f}, mean contributors {(sol.z > 0).sum(-1).mean():.1f}"
    )


def test_ratio_small_n(benchmark):
    """n = 5 spill-in games: here the per-call overhead dominates the loop."""
    lcp_lemke = pytest.importorskip("quantecon.optimize").lcp_lemke
    rng = np.random.default_rng(7)
    count, n = 10_000, 5
    M, q = spill_in_games(rng, count, n)
    benchmark.pedantic(solve, args=(M, q), rounds=3, iterations=1)
    start = time.perf_counter()
    for k in range(N_LOOP):
        lcp_lemke(M[k], q[k])
    loop = (time.perf_counter() - start) * count / N_LOOP
    batched = min(_timed(solve, M, q) for _ in range(3))
    print(
        f"\nLCP n={n}, {count} games: batched {batched:.3f} s, "
        f"lemke loop {loop:.3f} s, ratio {loop / batched:.1f}x"
    )


def _timed(func, *args):
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start
