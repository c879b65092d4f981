"""Benchmark: all equilibria of 10**6 dyadic commitment games in one call vs a scalar loop.

Problem (one fixed seed): 10**6 games of the dyadic commitment game (DESIGN §3.2) with
primitives drawn as in ``tests/security/test_commitment.py`` (``π, s ~ U(0, 1)``,
``d, e ~ U(0, 3)``, ``m ~ U(0, 2)``, ``κ ~ U(0, 1)``, ``h ~ U(0, 0.3)``,
``k ~ U(0.05, 1)``, ``ρ ~ U(0, 1.5)``) and joint-deterrence values ``D ~ U(-1, 3)`` so
that about a fifth of the games have three equilibria.

Ours: ``CommitmentGame(...)`` (validation included) and ``.equilibria()`` -- every
equilibrium with stability, risks, shares and utilities -- in one call.

Reference: the per-game solve a user would write with a scalar root finder: reduced form
from the primitives in Python floats, the composed best response ``φ(c1) = BR1(BR2(c1)) -
c1`` scanned on 65 points for sign changes, each bracket refined by
``scipy.optimize.brentq``, then risks and utilities per equilibrium. It runs on a sample
of the same games; its time is scaled to 10**6 games. The last test prints the ratio.

Run with ``python -m pytest benchmarks/bench_security.py --benchmark-enable -s``.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy.optimize import brentq

from burden.security import CommitmentGame

N_GAMES = 10**6
SAMPLE = 500
SECONDS: dict[str, float] = {}  # "burden" / "loop": seconds for N_GAMES games
GRID = np.linspace(0.0, 1.0, 65).tolist()


@pytest.fixture(scope="module")
def params():
    rng = np.random.default_rng(2026)
    size = (N_GAMES, 2)
    return {
        "pi": rng.uniform(0, 1, size),
        "d": rng.uniform(0, 3, size),
        "e": rng.uniform(0, 3, size),
        "s": rng.uniform(0, 1, size),
        "m": rng.uniform(0, 2, size),
        "kappa": rng.uniform(0, 1, size),
        "D": rng.uniform(-1, 3, size),
        "h": rng.uniform(0, 0.3, size),
        "k": rng.uniform(0.05, 1, size),
        "rho": rng.uniform(0, 1.5, N_GAMES),
    }


def test_ours(benchmark, params):
    times = []

    def run():
        start = time.perf_counter()
        eq = CommitmentGame(**params).equilibria()
        times.append(time.perf_counter() - start)
        return eq

    eq = benchmark.pedantic(run, rounds=3, iterations=1, warmup_rounds=0)
    assert not eq.continuum.any() and eq.count.min() >= 1
    SECONDS["burden"] = min(times)
    SECONDS["multiple"] = float(np.mean(eq.count > 1))


def test_ours_threads(params):
    game = CommitmentGame(**params)
    SECONDS["burden threads"] = min(_timed(lambda: game.equilibria(workers=-1)) for _ in range(3))


def _timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _solve_one(pi, d, e, s, m, kappa, D, h, k, rho):
    """All equilibria of one game with a scalar root finder (the reference)."""
    coef = []
    for i in (0, 1):
        j = 1 - i
        own, exposure = pi[i] * d[i], pi[j] * e[i] * (1 - s[i])
        coef.append(
            (own * rho - exposure - kappa[i] / 2 - h[i], D[i] - own * rho, 2 * m[j] * exposure + k[i])
        )
    (a1, g1, e1), (a2, g2, e2) = coef

    def br2(c1):
        return min(1.0, max(0.0, (a2 + g2 * c1) / e2))

    def phi(c1):
        return min(1.0, max(0.0, (a1 + g1 * br2(c1)) / e1)) - c1

    values = [phi(x) for x in GRID]
    roots = [x for x, v in zip(GRID, values, strict=True) if v == 0.0]
    roots += [
        brentq(phi, GRID[i], GRID[i + 1], xtol=1e-13)
        for i in range(len(GRID) - 1)
        if values[i] * values[i + 1] < 0
    ]
    out = []
    for c1 in sorted(roots):
        c = (c1, br2(c1))
        row = []
        for i in (0, 1):
            j = 1 - i
            ci, cj = c[i], c[j]
            row.append(
                (
                    pi[i] * (1 - cj),
                    pi[j] * (1 + m[j] * ci) * ci,
                    kappa[i] * (cj - ci) / 2,
                    -pi[i] * d[i] * (1 - cj) * (1 + rho * (1 - ci))
                    - pi[j] * e[i] * (1 - s[i]) * ci * (1 + m[j] * ci)
                    + kappa[i] * (cj - ci) / 2
                    + D[i] * ci * cj
                    - h[i] * ci
                    - k[i] * ci**2 / 2,
                )
            )
        out.append((c, row))
    return out


def test_loop_reference(params):
    names = ("pi", "d", "e", "s", "m", "kappa", "D", "h", "k")
    sample = [
        ([params[n][g].tolist() for n in names] + [float(params["rho"][g])]) for g in range(SAMPLE)
    ]  # Python floats, as a scalar loop would use
    start = time.perf_counter()
    found = [_solve_one(*args) for args in sample]
    seconds = time.perf_counter() - start
    SECONDS["loop"] = seconds / SAMPLE * N_GAMES
    ours = CommitmentGame(**{n: v[:SAMPLE] for n, v in params.items()}).equilibria()
    counts = np.array([len(f) for f in found])
    # The 65-point scan can merge two roots closer than 1/64; everything else must agree.
    assert np.mean(counts == ours.count) > 0.99
    same = np.flatnonzero(counts == ours.count)
    for g in same[:100]:
        np.testing.assert_allclose([c for c, _ in found[g]], ours.c[g, : counts[g]], atol=1e-9)


def test_report_ratio():
    """Print the times and the ratio (no timed assertion: this is a report)."""
    if not {"burden", "loop"} <= SECONDS.keys():
        pytest.skip("run the whole module")
    ratio = SECONDS["loop"] / SECONDS["burden"]
    print(
        f"\n10**6 dyadic commitment games, all equilibria ({SECONDS['multiple']:.0%} with three):"
        f"\n  burden, one call         {SECONDS['burden']:8.3f} s"
        f"\n  brentq loop (scaled)     {SECONDS['loop']:8.1f} s"
        f"\n  ratio                    {ratio:8.0f}x"
    )
    if "burden threads" in SECONDS:
        threads = SECONDS["burden threads"]
        print(f"  workers=-1 (solve only) {threads:8.3f} s -> {SECONDS['loop'] / threads:8.0f}x")
