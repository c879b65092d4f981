"""Rank tests: scipy where they overlap, partial correlations against residual regressions,
and the published p-values of Sandler & Murdoch (2000), Table 9."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import burden as bd
from burden.estimation import partial_correlation, rank_pvalue, rank_test

ALTERNATIVES = ["two-sided", "greater", "less"]


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_spearman_equals_scipy(rng, alternative):
    x = rng.normal(size=20)
    y = x + rng.normal(size=20)
    y[3] = y[4]  # a tie: average ranks as in scipy
    res = rank_test(y, x, alternative=alternative)
    ref = stats.spearmanr(y, x, alternative=alternative)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert (res.n, res.k, res.df, res.pvalue_method, int(res.status)) == (20, 0, 18, "t", 0)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_kendall_equals_scipy(rng, alternative):
    x = rng.integers(0, 8, size=25).astype(float)  # ties in both
    y = x + rng.integers(0, 5, size=25)
    res = rank_test(y, x, method="kendall", alternative=alternative)
    ref = stats.kendalltau(y, x, alternative=alternative, method="asymptotic")
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.pvalue_method == "normal"


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_exact_kendall_equals_scipy_exact(rng, alternative):
    x, y = rng.permutation(8).astype(float), rng.permutation(8).astype(float)
    res = rank_test(y, x, method="kendall", alternative=alternative, pvalue="exact")
    ref = stats.kendalltau(y, x, alternative=alternative, method="exact")
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_exact_spearman_equals_brute_force_enumeration(rng, alternative):
    x, y = rng.normal(size=6), rng.normal(size=6)
    res = rank_test(y, x, alternative=alternative, pvalue="exact")
    observed = stats.spearmanr(y, x).statistic
    null = np.array(
        [stats.spearmanr(y[list(order)], x).statistic for order in itertools.permutations(range(6))]
    )
    tol = 1e-12
    hits = {"greater": null >= observed - tol, "less": null <= observed + tol}.get(
        alternative, np.abs(null) >= abs(observed) - tol
    )
    assert res.pvalue == pytest.approx(hits.mean(), rel=1e-12)


def test_monte_carlo_permutation_is_close_to_exact_and_reproducible(rng):
    x, y = rng.normal(size=9), rng.normal(size=9)
    y += 0.6 * x
    exact = rank_test(y, x, pvalue="exact")
    mc = rank_test(y, x, pvalue="permutation", n_resamples=4000, rng=1)
    assert mc.pvalue == pytest.approx(exact.pvalue, abs=0.025)  # about 3 Monte Carlo SEs
    assert rank_test(y, x, pvalue="permutation", n_resamples=500, rng=7) == rank_test(
        y, x, pvalue="permutation", n_resamples=500, rng=7
    )


def _residual_partial(y, x, controls):
    """Partial Spearman by definition: correlate the residuals of the ranks on the controls' ranks."""
    rz = np.column_stack([np.ones(len(y)), *(stats.rankdata(c) for c in controls)])
    resid = [r - rz @ np.linalg.lstsq(rz, r, rcond=None)[0] for r in (stats.rankdata(y), stats.rankdata(x))]
    return np.corrcoef(*resid)[0, 1]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_partial_spearman_equals_residual_regression(rng, k):
    n = 30
    controls = rng.normal(size=(k, n))
    x = controls.sum(axis=0) + rng.normal(size=n)
    y = controls[0] - x + rng.normal(size=n)
    res = rank_test(y, x, controls=controls.T)
    assert res.statistic == pytest.approx(_residual_partial(y, x, controls), rel=1e-10)
    assert res.df == n - 2 - k
    # the p-value is the t-approximation with df = n - 2 - k
    assert res.pvalue == pytest.approx(rank_pvalue(res.statistic, n, k), rel=1e-12)


def test_partial_correlation_matches_precision_matrix(rng):
    a = rng.normal(size=(5, 40, 4))
    R = np.array([np.corrcoef(m.T) for m in a])
    P = np.linalg.inv(R)
    direct = -P[:, 0, 1] / np.sqrt(P[:, 0, 0] * P[:, 1, 1])
    np.testing.assert_allclose(partial_correlation(R), direct, rtol=1e-10)


def test_one_control_as_a_plain_array(rng):
    c, x, y = rng.normal(size=(3, 12))
    assert rank_test(y, x, controls=c) == rank_test(y, x, controls=c[:, None])


def test_batch_matches_loop(rng, batch_matches_loop, batch_shape):
    n = 10
    args = {
        "burden": rng.normal(size=(*batch_shape, n)),
        "size": rng.normal(size=(*batch_shape, n)),
        "controls": rng.normal(size=(*batch_shape, n, 2)),
    }
    batch_matches_loop(lambda **kw: rank_test(**kw), args, {"burden": 1, "size": 1, "controls": 2})


# Sandler & Murdoch (2000), "On Sharing NATO Defence Burdens in the 1990s and Beyond", Fiscal
# Studies 21(3), Table 9: Spearman rank correlations of burden with GDP for N = 15 allies, simple
# (rho12), holding one control constant (rho12.3) and two (rho12.34), in three blocks; two-sided
# p-values by the t-approximation. Printed to two decimals, so tolerance 0.015.
TABLE_9 = [  # (rho, k, published p)
    (0.19, 0, 0.49),
    (0.21, 1, 0.46),
    (0.13, 2, 0.68),
    (0.14, 0, 0.61),
    (0.16, 1, 0.58),
    (0.07, 2, 0.82),
    (0.11, 0, 0.69),
    (0.13, 1, 0.66),
    (0.04, 2, 0.89),
]


@pytest.mark.parametrize(("rho", "k", "published"), TABLE_9)
def test_sandler_murdoch_2000_table_9(rho, k, published):
    assert rank_pvalue(rho, 15, k) == pytest.approx(published, abs=0.015)
    # and the published p lies within the p-values of the coefficients that round to `rho`
    low, high = sorted(rank_pvalue(np.array([rho - 0.005, rho + 0.005]), 15, k))
    assert low - 0.005 <= published <= high + 0.005


def test_rank_pvalue_edges():
    assert rank_pvalue(1.0, 10) == 0.0
    assert rank_pvalue(0.0, 10) == 1.0
    assert rank_pvalue(0.3, 12, alternative="greater") + rank_pvalue(
        0.3, 12, alternative="less"
    ) == pytest.approx(1)
    np.testing.assert_allclose(rank_pvalue([0.1, 0.2], [10, 20], [0, 1]).shape, (2,))


def test_constant_variable_is_singular():
    with np.errstate(all="raise"):
        res = rank_test([1.0, 2, 3, 4, 5], [2.0, 2, 2, 2, 2])
    assert res.status == bd.Status.SINGULAR and np.isnan(res.statistic) and np.isnan(res.pvalue)


def test_bad_input():
    x = np.arange(6.0)
    with pytest.raises(ValueError, match="`method` must be one of"):
        rank_test(x, x, method="pearson")
    with pytest.raises(ValueError, match="`alternative` must be one of"):
        rank_test(x, x, alternative="bigger")
    with pytest.raises(ValueError, match="`pvalue` must be one of"):
        rank_test(x, x, pvalue="bootstrap")
    with pytest.raises(ValueError, match="same number of members"):
        rank_test(x, x[:5])
    with pytest.raises(ValueError, match="member axis"):
        rank_test(1.0, 2.0)
    with pytest.raises(ValueError, match="df = n - 2 - k >= 1"):
        rank_test(x[:4], x[:4], controls=np.ones((4, 2)))
    with pytest.raises(ValueError, match="`controls` must have shape"):
        rank_test(x, x, controls=np.ones((5, 2)))
    with pytest.raises(ValueError, match="`burden` must be finite"):
        rank_test([1.0, np.nan, 3, 4], x[:4])
    with pytest.raises(TypeError, match="`size` must be an array of real numbers"):
        rank_test(x, ["a"] * 6)
    with pytest.raises(ValueError, match="n <= 9"):
        rank_test(np.arange(10.0), np.arange(10.0), pvalue="exact")
    with pytest.raises(ValueError, match="`n_resamples` must be a positive integer"):
        rank_test(x, x, pvalue="permutation", n_resamples=0)
    with pytest.raises(ValueError, match="t-approximation for Spearman"):
        rank_test(x, x, method="kendall", pvalue="t")
    with pytest.raises(ValueError, match="Kendall's tau without controls"):
        rank_test(x, x, pvalue="normal")
    with pytest.raises(ValueError, match="`rho` must lie in"):
        rank_pvalue(1.2, 10)
    with pytest.raises(ValueError, match="`n` must exceed"):
        rank_pvalue(0.2, 3, 1)
    with pytest.raises(TypeError, match="`n` must be an integer"):
        rank_pvalue(0.2, 10.0)


def test_rank_test_by_on_the_shipped_panel():
    pd = pytest.importorskip("pandas")
    panel = bd.data.load("nato_milex_gdp_1960_2022")
    allies = panel[panel.iso3 != "ISL"]
    table = bd.estimation.rank_test_by(allies, burden="burden", size="gdp_usd", alternative="greater")
    assert list(table.year) == list(range(1960, 2023))
    assert (table.status == 0).all()
    by_year = table.set_index("year")
    # derived from the shipped panel (values stated in its documentation)
    assert by_year.statistic[1960] == pytest.approx(0.63, abs=0.01)
    assert by_year.statistic[1964] == pytest.approx(0.64, abs=0.01)
    assert by_year.statistic[1967] == pytest.approx(0.47, abs=0.01)
    assert by_year.statistic[1968] == pytest.approx(0.24, abs=0.01)
    assert by_year.pvalue[1960] < 0.05 and by_year.pvalue.loc[1975:].min() > 0.05
    assert by_year.n[2014] == by_year.n[2013] - 1  # Latvia has no 2014 spending: dropped that year
    grouped = bd.estimation.rank_test_by(
        allies.groupby("year"), burden="burden", size="gdp_usd", alternative="greater"
    )
    pd.testing.assert_frame_equal(grouped, table)
    tiny = bd.estimation.rank_test_by(allies[allies.year == 1960].head(2), size="gdp_usd")
    assert tiny.status.item() == bd.Status.INFEASIBLE
    with pytest.raises(ValueError, match="no column 'gdp'"):
        bd.estimation.rank_test_by(allies, size="gdp")


finite = st.integers(-1000, 1000).map(float)  # exact arithmetic: transforms keep every order and tie


@given(st.lists(st.tuples(finite, finite, finite), min_size=5, max_size=12))
@settings(max_examples=60, deadline=None)
def test_rank_statistics_are_invariant_to_increasing_transforms_and_symmetric(rows):
    b, s, c = (np.array(v) for v in zip(*rows, strict=True))
    with np.errstate(all="ignore"):
        res = rank_test(b, s, controls=c)
        moved = rank_test(np.exp(b / 500.0), s**3 + s, controls=2 * c - 1)
        swapped = rank_test(s, b, controls=c)
    np.testing.assert_allclose(moved.statistic, res.statistic, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(swapped.statistic, res.statistic, rtol=1e-9, atol=1e-12)
    assert (res.status == 0) == np.isfinite(res.statistic)
    if res.status == 0:
        assert -1 <= res.statistic <= 1 and 0 <= res.pvalue <= 1


def test_rank_test_by_with_a_control():
    pytest.importorskip("pandas")
    panel = bd.data.load("nato_milex_gdp_1960_2022")
    allies = panel[panel.iso3 != "ISL"]
    table = bd.estimation.rank_test_by(
        allies, burden="burden", size="gdp_usd", controls="population_thousands"
    )
    assert (table.k == 1).all() and (table.df == table.n - 3).all()
