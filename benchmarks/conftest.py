"""Shared timing helper of the benchmark suites (``benchmarks/README.md`` says how to run them)."""

from __future__ import annotations

import time
from collections.abc import Callable

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


@pytest.fixture
def best_of() -> Callable[..., float]:
    """:func:`best_of_runs`, for a benchmark to time its calls and its baselines the same way."""
    return best_of_runs
