"""Shared timing helper of the benchmark suites (``benchmarks/README.md`` says how to run them)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest


def best_of_runs(
    function: Callable[[], object], repeat: int = 3, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The shortest of ``repeat`` timed calls of ``function()``, in seconds of ``clock``.

    The minimum is the figure least disturbed by other work on a shared machine; pass
    ``clock=time.process_time`` for the CPU time of this process, which that work does not
    inflate (single-threaded calls only: it adds up every thread's time).
    """
    times = []
    for _ in range(repeat):
        start = clock()
        function()
        times.append(clock() - start)
    return min(times)


def best_wall_and_cpu_runs(function: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """The shortest wall-clock and the shortest process CPU time of ``repeat`` calls of
    ``function()``, both clocks read around the same calls (CPU time adds up every thread's)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


@pytest.fixture(scope="session")
def batch() -> tuple[np.ndarray, np.ndarray]:
    """The public-goods suites' ``(10**6, 30)`` alliances: log-normal wealth ``w`` (240 MB) and
    one preference share per member ``a`` in [0.2, 0.8]; drawn once per session."""
    rng = np.random.default_rng(2026)
    w = rng.lognormal(3.0, 1.0, (10**6, 30))
    a = rng.uniform(0.2, 0.8, 30)
    return w, a


@pytest.fixture
def best_of() -> Callable[..., float]:
    """:func:`best_of_runs`, for a benchmark to time its calls and its baselines the same way."""
    return best_of_runs


@pytest.fixture
def best_wall_and_cpu() -> Callable[..., tuple[float, float]]:
    """:func:`best_wall_and_cpu_runs`, for a suite that reports both clocks of the same rounds."""
    return best_wall_and_cpu_runs
