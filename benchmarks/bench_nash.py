"""Benchmark: Cobb–Douglas Nash equilibria on a ``(10**6, 30)`` batch (issue 3).

Baselines measured in the same run, on the same scenarios:

* **scipy loop** — what a user without `burden` writes: for each scenario, solve the aggregate
  equation ``G = Σ max(0, w_i/p - c_i G)`` with ``scipy.optimize.root`` and read off the
  contributions; timed on ``N_LOOP`` scenarios and compared per scenario (target: ``burden``
  at least 500x the loop's throughput).
* **memory-bandwidth floor** — ``np.sort`` along the member axis plus one ``np.cumsum`` of the
  same array: less work than any sort-based solver can do (target: within 3x).
* **peak memory** — traced allocations during the solve, against the input's size (target
  under 10x).

Run with ``python -m pytest benchmarks/bench_nash.py --benchmark-enable -s``.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest
from scipy.optimize import root

import burden as bd

N_SCENARIOS, N_MEMBERS, N_LOOP = 10**6, 30, 300


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(2026)
    w = rng.lognormal(3.0, 1.0, (N_SCENARIOS, N_MEMBERS))
    a = rng.uniform(0.2, 0.8, N_MEMBERS)
    return w, a


def _best_of(function, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def _scipy_root_nash(w, c):
    excess = lambda G: G - np.maximum(0.0, w - c * G).sum()  # noqa: E731
    G = root(excess, x0=w.max()).x[0]
    return np.maximum(0.0, w - c * G), G


def test_nash_cobb_douglas_batch(benchmark, batch):
    w, a = batch
    prefs = bd.CobbDouglas(a)
    eq = benchmark.pedantic(bd.nash, args=(w, prefs), rounds=3, iterations=1, warmup_rounds=1)
    assert (eq.status == 0).all()


def test_ratios(batch):
    w, a = batch
    prefs = bd.CobbDouglas(a)
    c = (1 - a) / a
    ours = _best_of(lambda: bd.nash(w, prefs))
    floor = _best_of(lambda: np.cumsum(np.sort(w, axis=-1), axis=-1))

    start = time.perf_counter()
    loop = [_scipy_root_nash(w[k], c) for k in range(N_LOOP)]
    per_scenario_loop = (time.perf_counter() - start) / N_LOOP
    eq = bd.nash(w[:N_LOOP], prefs)
    np.testing.assert_allclose([G for _, G in loop], eq.G, rtol=1e-8)

    tracemalloc.start()
    bd.nash(w, prefs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    throughput, loop_throughput = N_SCENARIOS / ours, 1 / per_scenario_loop
    print(
        f"\nCobb-Douglas Nash, ({N_SCENARIOS}, {N_MEMBERS}): burden {ours:.3f} s "
        f"({throughput:,.0f} scenarios/s); scipy.optimize.root loop {loop_throughput:,.0f} scenarios/s "
        f"-> {throughput / loop_throughput:,.0f}x; floor (sort + cumsum) {floor:.3f} s -> "
        f"{ours / floor:.2f}x the floor; peak traced memory {peak / w.nbytes:.2f}x the input"
    )
