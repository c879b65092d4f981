"""Samplers of burden.studies: coverage of their ranges, the grid layout, chunk independence."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from burden.studies._design import BLOCK, StudyWarning, design_iv

PARAMS = {"x": (-1.0, 3.0), "k": [2, 5, 7], "z": stats.norm(1.0, 2.0), "c": 4.0}


def test_grid_is_the_full_factorial_in_c_order():
    design = design_iv({"a": (0.0, 1.0), "n": [2, 3], "c": 1.0}, "grid", 3, None)
    assert design.size == 6 and design.grid_shape == (3, 2)
    inputs = design.inputs(0, 6)
    np.testing.assert_array_equal(inputs["a"], [0.0, 0.0, 0.5, 0.5, 1.0, 1.0])
    np.testing.assert_array_equal(inputs["n"], [2, 3, 2, 3, 2, 3])
    assert inputs["n"].dtype.kind == "i" and design.constants == {"c": 1.0}


def test_grid_of_a_distribution_takes_mid_quantiles():
    design = design_iv({"z": stats.norm()}, "grid", 4, None)
    np.testing.assert_allclose(design.inputs(0, 4)["z"], stats.norm.ppf([0.125, 0.375, 0.625, 0.875]))


@pytest.mark.parametrize("sampler", ["random", "sobol", "latin_hypercube"])
def test_samplers_cover_their_ranges(sampler):
    n = 2**12
    inputs = design_iv(PARAMS, sampler, n, 5).inputs(0, n)
    x = inputs["x"]
    assert x.min() >= -1.0 and x.max() < 3.0
    counts = np.histogram(x, bins=8, range=(-1.0, 3.0))[0]
    assert counts.min() > 0.8 * n / 8  # every eighth of the range is filled about evenly
    assert set(np.unique(inputs["k"])) == {2, 5, 7}
    assert np.all(np.abs(np.bincount(inputs["k"])[[2, 5, 7]] - n / 3) < 0.1 * n)
    assert stats.kstest(inputs["z"], stats.norm(1.0, 2.0).cdf).pvalue > 1e-3


@pytest.mark.parametrize("sampler", ["sobol", "latin_hypercube"])
def test_qmc_points_are_stratified(sampler):
    # A scrambled Sobol' sequence of 2**m points (a (0, m, 1)-net in each coordinate) and a Latin
    # hypercube both put exactly one point in each interval [j/n, (j+1)/n) of each coordinate.
    n = 256
    design = design_iv({"u": (0.0, 1.0), "v": (0.0, 1.0)}, sampler, n, 11)
    for values in design.inputs(0, n).values():
        np.testing.assert_array_equal(np.sort(np.floor(values * n)), np.arange(n))


@pytest.mark.parametrize(
    ("sampler", "n"),
    [
        ("random", 2 * BLOCK + 37),
        ("latin_hypercube", 2 * BLOCK + 37),
        ("sobol", 2048),
        ("saltelli", 512),
        ("grid", 40),
    ],
)
def test_inputs_do_not_depend_on_the_chunking(sampler, n):
    design = design_iv(PARAMS, sampler, n, 3)
    whole = design.inputs(0, design.size)
    for bounds in ([0, 1, 1000, 1024, 1025, 3000, design.size], [0, 7, design.size]):
        bounds = [b for b in bounds if b <= design.size]
        parts = [design.inputs(a, b) for a, b in itertools.pairwise(bounds)]
        for name, values in whole.items():
            np.testing.assert_array_equal(np.concatenate([p[name] for p in parts]), values)


def test_saltelli_layout():
    n, d = 64, 2
    design = design_iv({"u": (0.0, 1.0), "v": (0.0, 1.0)}, "saltelli", n, 1)
    assert design.size == n * (d + 2)
    X = np.stack(list(design.inputs(0, design.size).values()), axis=1)
    A, B, AB0, AB1 = X[:n], X[n : 2 * n], X[2 * n : 3 * n], X[3 * n :]
    np.testing.assert_array_equal(AB0, np.column_stack([B[:, 0], A[:, 1]]))
    np.testing.assert_array_equal(AB1, np.column_stack([A[:, 0], B[:, 1]]))
    assert not np.any(A == B)


def test_the_same_seed_gives_the_same_design_and_another_seed_another():
    a = design_iv(PARAMS, "random", 100, 1).inputs(0, 100)["x"]
    b = design_iv(PARAMS, "random", 100, np.random.default_rng(1)).inputs(0, 100)["x"]
    c = design_iv(PARAMS, "random", 100, 2).inputs(0, 100)["x"]
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


@pytest.mark.parametrize(
    ("params", "sampler", "n", "error", "match"),
    [
        ([1, 2], "grid", 3, TypeError, "`params` must be a mapping"),
        ({"a": (1.0, 0.0)}, "grid", 3, ValueError, r"params\['a'\].*low < high"),
        ({"a": (0.0, 1.0, 2.0)}, "grid", 3, ValueError, r"params\['a'\].*tuple is a range"),
        ({"a": []}, "grid", 3, ValueError, r"params\['a'\].*non-empty"),
        ({"a": ["x", "y"]}, "grid", 3, TypeError, r"params\['a'\].*numbers"),
        ({"a": {"low": 0}}, "grid", 3, TypeError, r"params\['a'\]` must be"),
        ({1: 2.0}, "grid", 3, TypeError, "keys must be non-empty strings"),
        ({"a": (0.0, 1.0)}, "latin", 3, ValueError, "`sampler` must be one of"),
        ({"a": (0.0, 1.0)}, "grid", None, ValueError, "`n`.*is needed for 'a'"),
        ({"a": (0.0, 1.0)}, "random", 0, ValueError, "`n` must be a positive integer"),
        ({"a": (0.0, 1.0)}, "random", 2.5, ValueError, "`n` must be a positive integer"),
        ({"a": 1.0}, "sobol", 8, ValueError, "needs at least one varying parameter"),
        ({"a": [1.0, 2.0]}, "grid", 8, ValueError, "`n` sets the grid points of ranges"),
    ],
)
def test_bad_designs(params, sampler, n, error, match):
    with pytest.raises(error, match=match):
        design_iv(params, sampler, n, None)


def test_sobol_warns_when_n_is_not_a_power_of_2():
    with pytest.warns(StudyWarning, match="not a power of 2"):
        design_iv({"a": (0.0, 1.0)}, "sobol", 100, None)


@settings(max_examples=30, deadline=None)
@given(cuts=st.lists(st.integers(1, 3 * BLOCK - 1), max_size=6, unique=True), seed=st.integers(0, 2**32))
def test_random_inputs_do_not_depend_on_any_chunking(cuts, seed):
    # Property: whatever the chunk boundaries, the random sampler gives every scenario the
    # inputs of the unchunked study (blocks are keyed by position, not by chunk).
    size = 3 * BLOCK
    design = design_iv({"x": (0.0, 1.0), "k": [1, 2, 3]}, "random", size, seed)
    whole = design.inputs(0, size)
    bounds = [0, *sorted(cuts), size]
    parts = [design.inputs(a, b) for a, b in itertools.pairwise(bounds)]
    for name, values in whole.items():
        np.testing.assert_array_equal(np.concatenate([p[name] for p in parts]), values)
