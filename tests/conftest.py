"""Fixtures shared by every test module."""

import dataclasses
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from hypothesis import settings

# CI replays the same examples on every run (a failure found locally is a bug to fix, not a
# coin to flip in CI), without per-example deadlines: a kernel compiling on first use, or a
# loaded machine, is not a failure.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

#: the batch shapes every batched solver is checked on (SciPy's `test_vectorization` habit)
BATCH_SHAPES = [(), (12,), (3, 4), (3, 2, 2)]


@pytest.fixture
def rng():
    """A seeded generator: every test run draws the same 'random' cases."""
    return np.random.default_rng(20261125)


def assert_batch_matches_loop(solve, args, core_ndim, *, rtol=1e-12, atol=0.0, skip=()):
    """A batched call equals a loop of single-scenario calls, field for field.

    Parameters
    ----------
    solve : callable
        ``solve(**kwargs) -> Result``.
    args : dict
        Keyword arguments; arrays have shape ``batch + core`` (their core has ``core_ndim[name]``
        axes, 0 by default), anything that is not an array is passed through unchanged.
    core_ndim : dict
        Number of core (trailing) axes of each array argument.
    skip : iterable of str
        Public fields not compared (e.g. ones whose slot order is not defined).
    """
    arrays = {k: np.asarray(v) for k, v in args.items() if isinstance(v, np.ndarray)}
    batch = np.broadcast_shapes(*(a.shape[: a.ndim - core_ndim.get(k, 0)] for k, a in arrays.items()))
    whole = solve(**args)
    assert whole.batch_shape == batch
    names = [f.name for f in dataclasses.fields(whole) if not f.name.startswith("_") and f.name not in skip]
    for index in np.ndindex(*batch):
        single_args = dict(args)
        for k, a in arrays.items():
            core = a.shape[a.ndim - core_ndim.get(k, 0) :]
            single_args[k] = np.broadcast_to(a, batch + core)[index]
        single = solve(**single_args)
        for name in names:
            mine, theirs = getattr(whole, name), getattr(single, name)
            if not isinstance(mine, np.ndarray):
                continue
            mine = mine[index]
            if np.issubdtype(mine.dtype, np.inexact):
                np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol, err_msg=f"{name}{index}")
            else:
                np.testing.assert_array_equal(mine, theirs, err_msg=f"{name}{index}")


@pytest.fixture
def batch_matches_loop():
    """The shared batch-equivalence check, as a fixture (test modules cannot import conftest)."""
    return assert_batch_matches_loop


@pytest.fixture(params=BATCH_SHAPES, ids=str)
def batch_shape(request):
    """Each of the batch shapes every batched solver is checked on."""
    return request.param


@pytest.fixture(scope="session")
def process_pool():
    """Two worker processes started with ``spawn``, as Dask starts its workers.

    Results must cross process boundaries. ``fork`` is not used: a process forked after numba's
    OpenMP threads have run aborts (GNU OpenMP is not fork-safe), so users of process pools
    need ``spawn`` or ``forkserver`` too (README, "Conventions"). Tasks must be importable
    functions: package functions, or ``copy.deepcopy`` for a round trip of a result.
    """
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool
