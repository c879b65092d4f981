"""Benchmark: batched LCP (`burden.lcp.solve`) against a loop of QuantEcon's `lcp_lemke`.

Problem: ``10**4`` spill-in games with n = 30 (and n = 5) members: the LCP
``z >= 0, M z - w/p >= 0`` with ``M = I + diag(c)(I + Θ)``, ``c = (1 - a)/a``,
``a ~ U(0.2, 0.8)``, incomes ``w ~ lognormal(0, 1)``, ``p = 1``.

Spill-ins are geographic: members sit at uniform random points of the unit square and
``θ_ij = exp(-d_ij² / (2 · 0.15²))``. Then ``diag(1/c) M = diag(a/(1 - a)) + I + Θ`` is
``diag(a/(1-a))`` plus a Gaussian-kernel Gram matrix (positive semidefinite), so it is
symmetric positive definite and ``M`` is a P-matrix: the equilibrium is unique. Both solvers
get the symmetric row-scaled form ``(diag(1/c) M, -w/(p c))`` (same solutions).

Figures, all from one run on the same inputs: `solve` with one thread and with every thread
(``workers=-1``), and the baseline, a Python loop calling QuantEcon's numba-compiled
`lcp_lemke` on each game (timed on ``N_LOOP`` games, scaled). Each time is the best of
``ROUNDS``, in wall-clock and in process CPU time (one thread). Run with
``python -m pytest benchmarks/bench_lcp.py --benchmark-enable -s``.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from burden import Status
from burden.lcp import solve
from tests.lcp_games import spill_in_games

N_GAMES, N_LOOP, ROUNDS = 10_000, 2_000, 5


def _lemke_loop(lcp_lemke, M, q):
    for k in range(N_LOOP):
        lcp_lemke(M[k], q[k])


@pytest.mark.parametrize("n", [30, 5])
def test_ratio_against_lemke_loop(benchmark, n, best_wall_and_cpu):
    lcp_lemke = pytest.importorskip("quantecon.optimize").lcp_lemke
    M, q = spill_in_games(np.random.default_rng(2024), N_GAMES, n)
    sol = solve(M, q)  # compiles (or loads the cache)
    assert (sol.status == Status.SUCCESS).all() and sol.p_matrix.all()
    lcp_lemke(M[0], q[0])
    z_ref = np.array([lcp_lemke(M[k], q[k]).z for k in range(N_LOOP)])
    np.testing.assert_allclose(sol.z[:N_LOOP], z_ref, atol=1e-8)

    timed = best_wall_and_cpu
    loop, loop_cpu = (t * N_GAMES / N_LOOP for t in timed(lambda: _lemke_loop(lcp_lemke, M, q), ROUNDS))
    one, one_cpu = timed(lambda: solve(M, q, workers=1), ROUNDS)
    every, _ = timed(lambda: solve(M, q, workers=-1), ROUNDS)
    benchmark.pedantic(solve, args=(M, q), rounds=3, iterations=1)
    tracemalloc.start()
    solve(M, q)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"\nLCP n={n}, {N_GAMES} spill-in games: one thread {one * 1e3:.1f} ms wall, "
        f"{one_cpu * 1e3:.1f} ms CPU ({loop / one:.2f}x the lcp_lemke loop in wall time, "
        f"{loop_cpu / one_cpu:.2f}x in CPU time); workers=-1 {every * 1e3:.1f} ms wall "
        f"({loop / every:.2f}x); lcp_lemke loop {loop * 1e3:.1f} ms wall, {loop_cpu * 1e3:.1f} ms CPU "
        f"(scaled from {N_LOOP}); one step (right guess) {(sol.iterations == 1).mean():.1%}, mean "
        f"pivoting steps {sol.iterations.mean():.2f}, mean contributors {(sol.z > 0).sum(-1).mean():.1f}; "
        f"peak traced memory {peak / (M.nbytes + q.nbytes):.2f}x the input"
    )
