"""Tests of Kydd's trust game (docs/security.md). The numbers are derived from the stated payoffs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import brentq

from burden.security import trust_cutoffs, trust_threshold


def test_threshold_derived_example():
    # c = 0.5, t = 0.6: 0.5 / (1 + 0.5 - 0.6) = 5/9 (derived from the payoffs in docs/security.md).
    assert trust_threshold(0.5, 0.6) == pytest.approx(0.555556, abs=5e-7)


def test_threshold_is_the_indifference_belief():
    rng = np.random.default_rng(0)
    c = rng.uniform(0.01, 2, 100)
    t = rng.uniform(-1, 0.99, 100)
    p = trust_threshold(c, t)
    # Cooperating pays p - (1 - p) c, defecting p t: equal at the threshold.
    np.testing.assert_allclose(p - (1 - p) * c, p * t, atol=1e-12)
    assert np.all(p[t < 1] < 1)
    assert np.isinf(trust_threshold(0.5, 1.5)) and np.isinf(trust_threshold(0.5, 2.0))


def test_uniform_examples_from_design():
    # t ~ U[0, 2]: F(t) = t/2, so t(1 + c - t) = 2c: c = 0.1 -> t = (1.1 ± sqrt(0.41)) / 2; c = 0.5 -> none.
    res = trust_cutoffs([0.1, 0.5], stats.uniform(0, 2))
    np.testing.assert_allclose(res.cutoffs[0], [0.229844, 0.870156], atol=5e-7)
    np.testing.assert_allclose(
        res.cutoffs[0], [(1.1 - np.sqrt(0.41)) / 2, (1.1 + np.sqrt(0.41)) / 2], rtol=1e-10
    )
    np.testing.assert_array_equal(res.count, [2, 0])
    np.testing.assert_array_equal(res.spiral, [False, True])
    assert np.all(res.status[0] == 0)


def test_cutoffs_agree_with_scalar_brentq_and_solve_the_fixed_point():
    dist = stats.norm(1.0, 0.5)
    c = np.linspace(0.01, 0.3, 30)
    res = trust_cutoffs(c, dist)
    for ci, row, k in zip(c, res.cutoffs, res.count, strict=True):
        f = lambda t, ci=ci: dist.cdf(t) * (1 + ci - t) - ci  # noqa: E731
        grid = np.linspace(-3, 1 + ci, 20001)
        vals = f(grid)
        idx = np.flatnonzero(vals[:-1] * vals[1:] < 0)
        expected = [brentq(f, grid[i], grid[i + 1], xtol=1e-14) for i in idx]
        assert k == len(expected)
        np.testing.assert_allclose(row[:k], expected, atol=1e-9)
        # t* = 1 + c - c / F(t*)
        np.testing.assert_allclose(row[:k], 1 + ci - ci / dist.cdf(row[:k]), atol=1e-9)


def test_batch_shapes_and_loop_equivalence():
    dist = stats.beta(2, 3, scale=2)
    for shape in [(), (5,), (2, 3)]:
        c = np.random.default_rng(1).uniform(0.02, 0.4, shape)
        res = trust_cutoffs(c, dist)
        assert res.count.shape == shape
        for idx in np.ndindex(*shape):
            one = trust_cutoffs(c[idx], dist)
            k = int(one.count)
            np.testing.assert_allclose(res.cutoffs[idx][:k], one.cutoffs[:k], rtol=1e-12)


def test_everyone_trustworthy_support():
    res = trust_cutoffs(0.1, stats.uniform(0, 0.9))
    assert res.everyone_cooperates and not res.spiral


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: trust_threshold(-0.1, 0.5), ValueError, "`c` must be > 0"),
        (lambda: trust_threshold(0.5, np.nan), ValueError, "`t` must be finite"),
        (lambda: trust_cutoffs(0.0, stats.uniform(0, 2)), ValueError, "`c` must be > 0"),
        (lambda: trust_cutoffs(0.1, stats.poisson(1)), TypeError, "continuous"),
        (lambda: trust_cutoffs(0.1, "uniform"), TypeError, "`dist`"),
        (lambda: trust_cutoffs(0.1, stats.norm([0, 1], 1)), ValueError, "one distribution"),
        (lambda: trust_cutoffs(0.1, stats.norm(), n_grid=2), ValueError, "`n_grid`"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_workers_and_chunks_do_not_change_the_answer():
    c = np.random.default_rng(2).uniform(0.01, 0.4, 700)  # three chunks of costs
    dist = stats.norm(1.0, 0.5)
    one, two = trust_cutoffs(c, dist, workers=1), trust_cutoffs(c, dist, workers=2)
    assert one == two
    for i in (0, 300, 699):
        single = trust_cutoffs(c[i], dist)
        k = int(single.count)
        np.testing.assert_array_equal(one.cutoffs[i, :k], single.cutoffs[:k])
        assert one.status[i] == single.status == 0


def test_empty_batch():
    res = trust_cutoffs(np.empty((0, 3)), stats.uniform(0, 2))
    assert res.cutoffs.shape == (0, 3, 0) and res.status.shape == (0, 3)


@settings(max_examples=80, deadline=None)
@given(st.floats(-300, 300))
def test_uniform_cutoffs_match_the_closed_form_for_every_cost(log_c):
    # t ~ U(0, 2): t (1 + c - t) = 2c inside the support (derived), two roots iff
    # (1 + c)^2 >= 8c and the roots lie in (0, 2), i.e. c < 3 - 2 sqrt(2).
    c = 10.0**log_c
    res = trust_cutoffs(c, stats.uniform(0, 2))
    assert res.status == 0
    if c < 3 - 2 * np.sqrt(2) - 1e-9:
        root = np.sqrt((1 + c) ** 2 - 8 * c)
        expected = [4 * c / ((1 + c) + root), ((1 + c) + root) / 2]
        assert res.count == 2
        np.testing.assert_allclose(res.cutoffs, expected, rtol=1e-10)
    elif c > 3 - 2 * np.sqrt(2) + 1e-6:
        assert res.count == 0 and res.spiral
