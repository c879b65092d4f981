"""Tests of the free-riding measures and Olson's group-size effect."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import burden as bd


def test_worked_example():
    # docs/publicgoods.md example (derived): Nash 60 vs Lindahl 90
    fr = bd.free_riding([100.0, 80.0], bd.CobbDouglas(0.5))
    np.testing.assert_allclose(fr.gap, 30.0)
    np.testing.assert_allclose(fr.ratio, 2 / 3)
    np.testing.assert_allclose(fr.burden, [0.4, 0.25])
    np.testing.assert_allclose(fr.exploitation, [(40 / 60) / (100 / 180), (20 / 60) / (80 / 180)])
    # Σ mrs - p = 60/60 + 60/60 - 1 at Nash
    np.testing.assert_allclose(fr.samuelson_residual, 1.0)


def test_welfare_loss_is_the_money_metric_compensation():
    fr = bd.free_riding([100.0, 80.0], bd.CobbDouglas(0.5))
    # u = ½ ln x + ½ ln G: Lindahl gives x_L = (50, 40), G_L = 90; at G_N = 60 member i needs
    # x with x G_N = x_L G_L, i.e. x = x_L * 1.5 = (75, 60), against x_N = (60, 60)
    np.testing.assert_allclose(fr.welfare_loss, [15.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(fr.welfare_loss_total, 15.0)
    prefs = bd.CobbDouglas(0.5)
    np.testing.assert_allclose(
        prefs.utility(fr.nash.x + fr.welfare_loss, fr.G_nash), prefs.utility(fr.optimum.x, fr.G_optimum)
    )


@settings(max_examples=50, deadline=None)
@given(
    w=arrays(np.float64, st.integers(2, 6), elements=st.floats(1.0, 1000.0)),
    a=st.floats(0.05, 0.95),
    rho=st.floats(-2.0, 0.8),
)
def test_exploitation_of_the_great_by_the_small(w, a, rho):
    """Olson & Zeckhauser (1966): with identical preferences burdens (and exploitation indices)
    weakly rise with wealth, and the alliance under-provides."""
    fr = bd.free_riding(w, bd.CES(a, rho))
    order = np.argsort(w)
    assert np.all(np.diff(fr.burden[order]) >= -1e-12)
    assert np.all(np.diff(fr.exploitation[order]) >= -1e-12)
    assert fr.ratio <= 1 + 1e-12
    assert fr.welfare_loss_total >= -1e-9  # Lindahl is Pareto efficient: total compensation >= 0


def test_group_size_effect_closed_form():
    # a = 1/2, w = 1: Nash G = n/(n+1), Lindahl G = n/2 (derived)
    n = np.arange(1, 11)
    effect = bd.group_size_effect(1.0, bd.CobbDouglas(0.5), n_max=10)
    np.testing.assert_array_equal(effect.n, n)
    np.testing.assert_allclose(effect.G_nash, n / (n + 1))
    np.testing.assert_allclose(effect.G_optimum, n / 2)
    np.testing.assert_allclose(effect.burden, 1 / (n + 1))
    assert np.all(np.diff(effect.ratio) < 0)


def test_group_size_effect_batches_over_scenarios():
    effect = bd.group_size_effect([1.0, 2.0], bd.CobbDouglas([[0.3], [0.6]]), n_max=3)
    assert effect.G_nash.shape == (2, 3)


def test_group_size_rejects_bad_size():
    with pytest.raises(ValueError, match="`n_max` must be a positive integer"):
        bd.group_size_effect(1.0, bd.CobbDouglas(0.5), n_max=0)


def test_free_riding_with_G0_against_its_parts():
    # derived: Nash with G0 = 30 gives 70 (docs/publicgoods.md); Lindahl (a = 1/2) gives
    # G = Σ a w / p + a G0 = 90 + 15 = 105, so the members provide 40 against 75
    fr = bd.free_riding([100.0, 80.0], bd.CobbDouglas(0.5), G0=30.0)
    assert fr.status == 0
    np.testing.assert_allclose([fr.G_nash, fr.G_optimum], [70.0, 105.0], rtol=1e-12)
    np.testing.assert_allclose(fr.ratio, 40.0 / 75.0, rtol=1e-12)
    np.testing.assert_allclose(fr.G_optimum, bd.lindahl([100.0, 80.0], bd.CobbDouglas(0.5), G0=30.0).G)


def test_free_riding_with_G0_optimum_against_an_independent_optimiser():
    """The Lindahl point with G0 is Pareto efficient: no feasible transfer-free allocation
    raises the weighted welfare whose weights make it a Samuelson point (checked by SLSQP)."""
    from scipy.optimize import minimize

    w, a, G0 = np.array([60.0, 40.0]), np.array([0.4, 0.6]), 10.0
    fr = bd.free_riding(w, bd.CobbDouglas(a), G0=G0)
    opt = fr.optimum
    # Samuelson: Σ mrs = p at the Lindahl allocation (with G0 counted in the total)
    np.testing.assert_allclose(bd.samuelson_residual(opt.x, opt.G, bd.CobbDouglas(a)), 0.0, atol=1e-10)
    # Negishi weights 1/u_x make the Lindahl allocation the maximiser of the weighted sum
    weights = opt.x / (1 - a)

    def minus_welfare(g):
        x, G = w - g, G0 + g.sum()
        return -np.sum(weights * ((1 - a) * np.log(x) + a * np.log(G)))

    def gradient(g):  # exact: finite differences left SLSQP's answer 1e-6 off, by the last bits of x
        x, G = w - g, G0 + g.sum()
        return weights * (1 - a) / x - np.sum(weights * a) / G

    bounds = [(0, wi * 0.999) for wi in w]
    ref = minimize(minus_welfare, w / 4, jac=gradient, method="SLSQP", bounds=bounds, tol=1e-14)
    np.testing.assert_allclose(G0 + ref.x.sum(), opt.G, rtol=1e-6)


def test_group_size_effect_with_G0_and_workers():
    effect = bd.group_size_effect(1.0, bd.CobbDouglas(0.5), n_max=4, G0=0.5)
    for n in range(1, 5):
        fr = bd.free_riding(np.ones(n), bd.CobbDouglas(0.5), G0=0.5)
        np.testing.assert_allclose(effect.G_nash[n - 1], fr.G_nash)
        np.testing.assert_allclose(effect.G_optimum[n - 1], fr.G_optimum)
    assert effect == bd.group_size_effect(1.0, bd.CobbDouglas(0.5), n_max=4, G0=0.5, workers=2)


def test_free_riding_batch_equals_loop(batch_shape, batch_matches_loop, rng):
    args = {"w": rng.uniform(1.0, 100.0, batch_shape + (3,)), "G0": rng.uniform(0.0, 20.0, batch_shape)}
    batch_matches_loop(
        lambda w, G0: bd.free_riding(w, bd.CES(0.5, -0.5), G0=G0, chunk=4),
        args,
        {"w": 1},
        rtol=1e-9,
        atol=1e-12,
    )


@pytest.mark.parametrize(
    "prefs",
    [bd.CobbDouglas([0.3, 0.5, 0.6, 0.4]), bd.CES([0.3, 0.5, 0.6, 0.4], -1.2), bd.StoneGeary(0.4, 2.0, 3.0)],
)
def test_compiled_measures_agree_with_the_numeric_methods(prefs, rng):
    """The built-in families' measures come from a compiled kernel; the preferences' numeric
    methods (kept for spill-ins and absent members) compute them independently."""
    from burden.publicgoods.measures import _measures

    w = rng.lognormal(3.0, 0.7, (300, 4))
    p = rng.uniform(0.5, 2.0, 300)
    fr = bd.free_riding(w, prefs, p=p)
    ok = fr.status == 0
    assert ok.mean() > 0.5
    want = _measures(fr.nash, fr.optimum, w, prefs, p, np.asarray(1.0), False)
    names = ["welfare_loss", "welfare_loss_total", "samuelson_residual"]  # burden and exploitation: derived
    for name, value in zip(names, want, strict=False):
        np.testing.assert_allclose(getattr(fr, name)[ok], value[ok], rtol=1e-9, atol=1e-9, err_msg=name)
    np.testing.assert_array_equal(fr.private_share, 0.0)
    np.testing.assert_array_equal(fr.private_benefit_share, 0.0)


def test_lazy_measures_do_not_follow_later_changes_to_the_callers_arrays():
    w, p = np.array([[100.0, 80.0], [100.0, 40.0]]), np.array([1.0, 2.0])
    fr = bd.free_riding(w, bd.CobbDouglas(0.5), p=p)
    expected_burden = p[:, None] * fr.nash.g / np.array([[100.0, 80.0], [100.0, 40.0]])
    w[:] = 1.0  # the caller reuses its arrays before reading the lazy fields
    p[:] = 7.0
    np.testing.assert_allclose(fr.burden, expected_burden, rtol=1e-15)
    np.testing.assert_allclose(fr.exploitation[0], [1.2, 0.75], rtol=1e-15)
