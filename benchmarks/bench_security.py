"""Benchmark: all equilibria of 10**6 dyadic commitment games in one call vs a scalar loop.

Problem (one fixed seed): 10**6 games of the dyadic commitment game (``docs/security.md``)
with primitives drawn as in ``tests/security/test_commitment.py`` (``π, s ~ U(0, 1)``,
``d, e ~ U(0, 3)``, ``m ~ U(0, 2)``, ``κ ~ U(0, 1)``, ``spiral ~ U(0, 0.3)``,
``k ~ U(0.05, 1)``, ``realign ~ U(0, 1.5)``) and joint-deterrence values
``deterrence ~ U(-1, 3)`` so that about a tenth of the games have three equilibria.

Ours, timed end to end: ``CommitmentGame(...)`` (validation and the owned copy of the
parameters included), ``.equilibria(workers=w)`` (one compiled kernel: every equilibrium,
certified, with stability, a status, and the risks, shares and utilities, which the loop
computes too) and reading every field -- with one thread and with two. ``.equilibria()``
on a game already built is reported beside it, and, for one thread, the CPU time of both
sides (robust to other processes sharing the machine).

Reference: the per-game solve a user would write with a scalar root finder: reduced form
from the primitives in Python floats, the composed best response ``φ(c1) = BR1(BR2(c1)) -
c1`` scanned on 65 points for sign changes, each bracket refined by
``scipy.optimize.brentq``, then risks and utilities per equilibrium. It runs on a sample
of the same games (best of three passes); its time is scaled to 10**6 games. The last test
prints the ratios.

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
ROUNDS = 5
SECONDS: dict[str, float] = {}  # wall-clock seconds for N_GAMES games, best of ROUNDS
CPU: dict[str, float] = {}  # CPU seconds of this process (one-thread runs), best of ROUNDS
GRID = np.linspace(0.0, 1.0, 65).tolist()
NAMES = ("pi", "d", "e", "s", "m", "kappa", "deterrence", "spiral", "k")


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
        "deterrence": rng.uniform(-1, 3, size),
        "spiral": rng.uniform(0, 0.3, size),
        "k": rng.uniform(0.05, 1, size),
        "realign": rng.uniform(0, 1.5, N_GAMES),
    }


def _end_to_end(params, workers):
    eq = CommitmentGame(**params).equilibria(workers=workers)
    for name in ("abandonment_risk", "entrapment_risk", "bargaining_share", "utility"):
        getattr(eq, name)
    return eq


def _timed(function, cpu=None):
    start, start_cpu = time.perf_counter(), time.process_time()
    function()
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


@pytest.mark.parametrize("workers", [1, 2])
def test_ours(benchmark, params, workers):
    _end_to_end({n: v[:100] for n, v in params.items()}, workers)  # compile (or load the cache)
    times, cpu, found = [], [], []

    def run():
        times.append(_timed(lambda: found.append(_end_to_end(params, workers)), cpu))
        return found.pop()

    eq = benchmark.pedantic(run, rounds=ROUNDS, iterations=1, warmup_rounds=0)
    assert not eq.continuum.any() and eq.count.min() >= 1 and np.all(eq.status == 0)
    SECONDS[f"burden {workers}"], CPU[f"burden {workers}"] = min(times), min(cpu)
    game, cpu = CommitmentGame(**params), []  # the game built once: .equilibria() alone
    SECONDS[f"solve {workers}"] = min(
        _timed(lambda: game.equilibria(workers=workers), cpu) for _ in range(ROUNDS)
    )
    CPU[f"solve {workers}"] = min(cpu)
    SECONDS["multiple"] = float(np.mean(eq.count > 1))


def _solve_one(pi, d, e, s, m, kappa, D, h, k, rho):  # D = deterrence, h = spiral, rho = realign
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
    sample = [
        ([params[n][g].tolist() for n in NAMES] + [float(params["realign"][g])]) for g in range(SAMPLE)
    ]  # Python floats, as a scalar loop would use
    found, cpu = [], []
    seconds = min(_timed(lambda: found.append([_solve_one(*args) for args in sample]), cpu) for _ in range(3))
    found = found[0]
    SECONDS["loop"] = seconds / SAMPLE * N_GAMES
    CPU["loop"] = min(cpu) / SAMPLE * N_GAMES
    ours = CommitmentGame(**{n: v[:SAMPLE] for n, v in params.items()}).equilibria()
    counts = np.array([len(f) for f in found])
    # The 65-point scan can merge two roots closer than 1/64; everything else must agree.
    assert np.mean(counts == ours.count) > 0.99
    same = np.flatnonzero(counts == ours.count)
    for g in same[:100]:
        np.testing.assert_allclose([c for c, _ in found[g]], ours.c[g, : counts[g]], atol=1e-9)
        np.testing.assert_allclose([r[0][3] for _, r in found[g]], ours.utility[g, : counts[g], 0], atol=1e-9)


def test_report_ratio():
    """Print the times and the ratios (no timed assertion: this is a report)."""
    if not {"burden 1", "burden 2", "loop"} <= SECONDS.keys():
        pytest.skip("run the whole module")
    loop = SECONDS["loop"]
    print(f"\n10**6 dyadic commitment games, all equilibria ({SECONDS['multiple']:.0%} with three):")
    print(f"  brentq loop (scaled from {SAMPLE} games)      {loop:8.1f} s (CPU {CPU['loop']:.1f} s)")
    for workers in (1, 2):
        whole, solve = SECONDS[f"burden {workers}"], SECONDS[f"solve {workers}"]
        print(
            f"  burden, {workers} thread(s), end to end  {whole:8.3f} s  {loop / whole:6.0f}x   "
            f".equilibria() only {solve:6.3f} s  {loop / solve:6.0f}x"
        )
    # CPU time is robust to other processes sharing the machine (one thread only: it adds threads up)
    whole, solve = CPU["burden 1"], CPU["solve 1"]
    print(
        f"  CPU time, 1 thread, end to end {whole:8.3f} s  {CPU['loop'] / whole:6.0f}x   "
        f".equilibria() only {solve:6.3f} s  {CPU['loop'] / solve:6.0f}x"
    )
