"""Tests of the compiled Lindahl kernel (burden.publicgoods._kernels_lindahl)."""

import numpy as np
import pytest

import burden as bd
from burden.publicgoods._kernels_lindahl import lindahl_arrays
from burden.publicgoods.optimum import _lindahl_rows


def ces_demand(w, a, rho, price):
    """A CES member's demand for the good at a personal price (textbook closed form, independent)."""
    sigma = 1.0 / (1.0 - rho)
    k = ((1.0 - a) / a) ** sigma
    return w / (price + k * price**sigma)


def test_cobb_douglas_closed_form():
    # the worked example: G = Σ a w / p = 90, τ = a w / Σ a w (derived)
    opt = lindahl_arrays(np.array([100.0, 80.0]), 0.5, 1.0)
    np.testing.assert_allclose(opt.G, 90.0, rtol=1e-15)
    np.testing.assert_allclose(opt.tau, [5 / 9, 4 / 9], rtol=1e-15)
    np.testing.assert_allclose(opt.x, [50.0, 40.0], rtol=1e-15)
    assert opt.certified() and opt.iterations == 0


def test_cobb_douglas_matches_the_public_solver(rng):
    w = rng.lognormal(2.0, 1.0, (300, 6))
    a = rng.uniform(0.1, 0.9, 6)
    p = rng.uniform(0.5, 2.0, 300)
    opt = lindahl_arrays(w, a, p)
    ref = bd.lindahl(w, bd.CobbDouglas(a), p=p)
    np.testing.assert_allclose(opt.G, ref.G, rtol=1e-14)
    np.testing.assert_allclose(opt.tau, ref.tau, rtol=1e-14)
    np.testing.assert_allclose(opt.x, ref.x, rtol=1e-12)
    assert opt.certified().all()


@pytest.mark.parametrize("rho", [-3.0, -0.5, 1e-9, 0.3, 0.8])
def test_ces_every_member_demands_the_lindahl_total(rng, rho):
    w = rng.lognormal(2.0, 1.0, (400, 8))
    a = rng.uniform(0.2, 0.8, (400, 8))
    p = rng.uniform(0.5, 2.0, 400)
    opt = lindahl_arrays(w, a, p, rho=rho)
    assert opt.certified().all()
    np.testing.assert_allclose(opt.tau.sum(-1), 1.0, rtol=1e-13)
    # each member, facing its own price tau p, demands exactly G (closed-form CES demand)
    demand = ces_demand(w, a, rho, opt.tau * p[:, None])
    np.testing.assert_allclose(demand, np.broadcast_to(opt.G[:, None], demand.shape), rtol=1e-12)
    # Samuelson: the marginal rates of substitution add up to the price
    mrs = bd.CES(a, rho).mrs(opt.x, opt.G[:, None])
    np.testing.assert_allclose(mrs.sum(-1), p, rtol=1e-10)


def test_ces_matches_the_public_solver(rng):
    w = rng.lognormal(2.0, 1.0, (200, 5))
    a = rng.uniform(0.2, 0.8, 5)
    opt = lindahl_arrays(w, a, 1.3, rho=-0.7)
    ref = bd.lindahl(w, bd.CES(a, -0.7), p=1.3)
    np.testing.assert_allclose(opt.G, ref.G, rtol=1e-10)
    np.testing.assert_allclose(opt.tau, ref.tau, rtol=1e-10)


def test_ces_near_corner_optimum_is_certified():
    # a valid optimum in which every member spends almost everything on the good (σ = 33)
    w = np.array([100.0, 80.0, 20.0])
    opt = lindahl_arrays(w, 0.5, 1.0, rho=0.97)
    assert opt.certified()
    assert (opt.x > 0).all() and (opt.x < 1e-7).all()
    demand = ces_demand(w, 0.5, 0.97, opt.tau)
    np.testing.assert_allclose(demand, opt.G, rtol=1e-12)


def test_stone_geary_matches_the_public_solver(rng):
    w = rng.lognormal(3.0, 0.5, (300, 6))
    a = rng.uniform(0.2, 0.8, 6)
    prefs = bd.StoneGeary(a, 2.0, 5.0)
    opt = lindahl_arrays(w, a, 1.3, x_min=2.0, G_min=5.0)
    ref = bd.lindahl(w, prefs, p=1.3)
    np.testing.assert_allclose(opt.G, ref.G, rtol=1e-12)
    np.testing.assert_allclose(opt.tau, ref.tau, rtol=1e-11)
    np.testing.assert_array_equal(opt.feasible, ref.status == 0)
    good = opt.feasible
    assert opt.certified()[good].all()
    mrs = prefs.mrs(opt.x, opt.G[:, None])
    np.testing.assert_allclose(mrs.sum(-1)[good], 1.3, rtol=1e-11)


def test_stone_geary_below_subsistence_is_infeasible():
    opt = lindahl_arrays(np.array([[1.0, 1.5]]), 0.5, 1.0, x_min=2.0, G_min=0.0)
    assert not opt.certified()[0]


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e150, 1e300])
def test_homothetic_scale_invariance(rng, scale):
    w = rng.lognormal(2.0, 1.0, (50, 6))
    w = w / w.max()
    unit = lindahl_arrays(w, 0.4, 1.0, rho=-0.5)
    opt = lindahl_arrays(w * scale, 0.4, 1.0, rho=-0.5)
    assert opt.certified().all()
    np.testing.assert_allclose(opt.tau, unit.tau, rtol=1e-13)
    np.testing.assert_allclose(opt.G, unit.G * scale, rtol=1e-13)


def test_overflow_is_flagged():
    opt = lindahl_arrays(np.array([[1e308, 1e308]]), 0.9, 1e-10, rho=-0.5)
    assert not opt.certified()[0]


def test_results_are_bit_identical_for_every_thread_count(rng):
    w = rng.lognormal(2.0, 1.0, (3000, 10))
    a = rng.uniform(0.2, 0.8, 10)
    one = lindahl_arrays(w, a, 1.0, rho=-0.5, workers=1)
    for workers, chunk in [(2, 5), (2, 8192)]:
        other = lindahl_arrays(w, a, 1.0, rho=-0.5, workers=workers, chunk=chunk)
        for got, want in zip(other, one, strict=True):
            np.testing.assert_array_equal(got, want)


# -- exogenous provision G0 -------------------------------------------------------------------


def rows_reference(w, prefs, p, G0):
    """The numpy root finder on log(G - G0) (``optimum._lindahl_rows``), an independent solver."""
    rows = w.shape[0]
    _, G, x, tau, utility, _, status = _lindahl_rows(
        w, prefs, np.broadcast_to(p, rows).astype(float), np.broadcast_to(G0, rows).astype(float)
    )
    return G, x, tau, utility, status


@pytest.mark.parametrize("rho", [-3.0, -0.5, 0.0, 1e-9, 0.4])
def test_ces_with_G0_every_member_demands_the_lindahl_total(rng, rho):
    rows, n = 400, 6
    w = rng.lognormal(2.0, 1.0, (rows, n))
    a = rng.uniform(0.2, 0.8, n)
    p = rng.uniform(0.5, 2.0, rows)
    G0 = 10.0 ** rng.uniform(-3.0, 2.0, rows) * w.sum(-1) / p  # from negligible to a corner
    opt = lindahl_arrays(w, a, p, rho=rho, G0=G0)
    assert opt.certified().all()
    corner = opt.G == G0
    assert 0 < corner.sum() < rows  # both kinds of scenario
    sigma = 1.0 / (1.0 - rho)
    k = ((1.0 - a) / a) ** sigma
    t = opt.tau * p[:, None]
    inside = ~corner
    # each member, paying t per unit above G0, demands G: x = k t**σ G and x + t (G - G0) = w
    demand = (w + t * G0[:, None]) / (t + k * t**sigma)
    np.testing.assert_allclose(demand[inside], np.broadcast_to(opt.G[:, None], w.shape)[inside], rtol=1e-12)
    # at a corner nobody buys: the willingness to pay at (w, G0) adds up to at most p
    mrs = bd.CES(a, rho).mrs(w, G0[:, None])
    assert (mrs.sum(-1)[corner] <= p[corner]).all() and (mrs.sum(-1)[inside] > p[inside]).all()
    np.testing.assert_allclose(opt.tau[corner], (mrs / mrs.sum(-1, keepdims=True))[corner], rtol=1e-12)
    np.testing.assert_array_equal(opt.x[corner], w[corner])
    np.testing.assert_array_equal(opt.g[corner], 0.0)


def test_cobb_douglas_with_G0_closed_form(rng):
    # equal a: t_i = a w_i / (G - a G0) add up to p at G = a (G0 + Σ w / p) (derived), when that
    # exceeds G0; else the corner G = G0
    w = rng.lognormal(2.0, 1.0, (300, 5))
    p = rng.uniform(0.5, 2.0, 300)
    G0 = rng.uniform(0.0, 2.0, 300) * w.sum(-1) / p
    opt = lindahl_arrays(w, 0.4, p, G0=G0, log_utility=True)
    want = np.maximum(G0, 0.4 * (G0 + w.sum(-1) / p))
    np.testing.assert_allclose(opt.G, want, rtol=1e-13)
    np.testing.assert_allclose(opt.tau, w / w.sum(-1, keepdims=True), rtol=1e-12)  # a w_i / Σ a w
    assert opt.certified().all()


@pytest.mark.parametrize(
    ("prefs", "extra"),
    [
        (bd.CobbDouglas([0.3, 0.5, 0.6, 0.45]), {"log_utility": True}),
        (bd.CES([0.3, 0.5, 0.6, 0.45], -0.7), {"rho": -0.7}),
        (bd.StoneGeary([0.3, 0.5, 0.6, 0.45], 2.0, 5.0), {"x_min": 2.0, "G_min": 5.0}),
    ],
)
def test_G0_matches_the_root_finder(rng, prefs, extra):
    w = rng.lognormal(3.0, 0.5, (300, 4))
    p = rng.uniform(0.5, 2.0, 300)
    G0 = rng.uniform(0.0, 1.5, 300) * w.sum(-1) / p
    opt = lindahl_arrays(w, prefs.a, p, G0=G0, **extra)
    G, x, tau, utility, status = rows_reference(w, prefs, p, G0)
    ok = status == 0
    assert ok.mean() > 0.9
    np.testing.assert_array_equal(opt.certified(), ok)
    np.testing.assert_allclose(opt.G[ok], G[ok], rtol=1e-11)
    np.testing.assert_allclose(opt.tau[ok], tau[ok], rtol=1e-10)
    np.testing.assert_allclose(opt.x[ok], x[ok], rtol=1e-10, atol=1e-12 * w.max())
    np.testing.assert_allclose(opt.utility[ok], utility[ok], rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(opt.g[ok], (tau * (G - G0)[:, None])[ok], rtol=1e-9, atol=1e-12 * w.max())


def test_utilities_are_the_preferences_own(rng):
    w = rng.lognormal(2.0, 1.0, (200, 5))
    a = rng.uniform(0.2, 0.8, 5)
    for rho in (-4.0, -0.5, -1e-3, 1e-12, 0.3, 0.7):
        opt = lindahl_arrays(w, a, 1.0, rho=rho)
        want = bd.CES(a, rho).utility(opt.x, opt.G[:, None])
        np.testing.assert_allclose(opt.utility, want, rtol=1e-13)
    opt = lindahl_arrays(w, a, 1.0, log_utility=True)
    np.testing.assert_allclose(opt.utility, bd.CobbDouglas(a).utility(opt.x, opt.G[:, None]), rtol=1e-14)
    np.testing.assert_allclose(opt.welfare, opt.utility.sum(-1), rtol=1e-14)


def test_welfare_is_the_sum_of_utilities_also_where_the_root_finder_redoes_a_row():
    # ρ = 0.9999 (σ = 10**4) defeats the kernel's Newton iteration on the first row; the bracketed
    # root finder re-solves it, and its utilities must carry into the welfare
    w = np.array([[100.0, 80.0], [100.0, 80.0]])
    prefs = bd.CES(np.array([[0.2, 0.2], [0.5, 0.5]]), np.array([[0.9999, 0.9999], [-0.5, -0.5]]))
    kernel = lindahl_arrays(w, prefs.a, 1.0, rho=prefs.rho)
    assert kernel.certified().tolist() == [False, True]
    opt = bd.lindahl(w, prefs)
    assert opt.success.all()
    np.testing.assert_allclose(opt.welfare, opt.utility.sum(-1), rtol=1e-14)


def test_G0_results_are_bit_identical_for_every_thread_count(rng):
    w = rng.lognormal(2.0, 1.0, (3000, 8))
    a = rng.uniform(0.2, 0.8, 8)
    G0 = rng.uniform(0.0, 2.0, 3000) * w.sum(-1)
    one = lindahl_arrays(w, a, 1.0, rho=-0.5, G0=G0, workers=1)
    other = lindahl_arrays(w, a, 1.0, rho=-0.5, G0=G0, workers=2, chunk=7)
    for got, want in zip(other, one, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("rho", [0.9, 0.97])
def test_strong_substitutes_converge_in_the_kernel(rng, rho):
    """σ = 10 and 33: members whose k t**σ is negligible sit at their price ceiling w λ; the
    kernel reaches them at once (it used to halve towards the ceiling until its step limit)."""
    w = rng.lognormal(3.0, 1.0, (500, 30))
    a = rng.uniform(0.2, 0.8, 30)
    opt = lindahl_arrays(w, a, 1.0, rho=rho)
    assert opt.certified().all() and (opt.iterations < 20).all()
    demand = ces_demand(w, a, rho, opt.tau)
    np.testing.assert_allclose(demand, np.broadcast_to(opt.G[:, None], demand.shape), rtol=1e-12)
    G, x, tau, _, status = rows_reference(w[:50], bd.CES(a, rho), 1.0, 0.0)
    assert (status == 0).all()
    # the root finder stops once Σ τ is within 1e-9 of one (1e-10 here, against rounding for
    # the kernel), and σ = 33 magnifies that in G and x
    np.testing.assert_allclose(opt.G[:50], G, rtol=1e-8)
    np.testing.assert_allclose(opt.tau[:50], tau, rtol=1e-8)
    np.testing.assert_allclose(opt.x[:50], x, rtol=1e-6)


@pytest.mark.parametrize("G0", [1e6, 1e300])
def test_a_patron_dwarfing_the_allies_leaves_next_unit_shares(G0):
    # the willingness to pay b (w/G0)**(1/σ) underflows for G0 = 1e300; its shares do not
    # (Cobb–Douglas: b w / Σ b w, derived)
    w = np.array([1.0, 2.0])
    opt = lindahl_arrays(w, np.array([0.3, 0.6]), 1.0, G0=G0, log_utility=True)
    b = np.array([0.3 / 0.7, 0.6 / 0.4])
    # through logarithms near -690 (ulp 1e-13): shares to about 1e-13
    np.testing.assert_allclose(opt.tau, b * w / (b * w).sum(), rtol=1e-12)
    assert opt.G == G0 and opt.certified()
    np.testing.assert_array_equal(opt.x, w)
    np.testing.assert_array_equal(opt.g, 0.0)
    ces = lindahl_arrays(w, np.array([0.3, 0.6]), 1.0, G0=G0, rho=-0.5)
    mrs = b * w**1.5  # b (w/G0)**(1/σ) with σ = 2/3, without the common factor G0**-1.5
    np.testing.assert_allclose(ces.tau, mrs / mrs.sum(), rtol=1e-12)
    np.testing.assert_allclose(ces.utility, bd.CES([0.3, 0.6], -0.5).utility(w, G0), rtol=1e-12)


@pytest.mark.parametrize("rho", [-0.5, 0.3, 0.0])  # 0: Cobb–Douglas, closed form without G0
def test_a_scenario_does_not_depend_on_the_others_in_its_lanes(rng, rho):
    # scenarios are solved side by side in vector lanes: each answer must be the same bits
    # alone, in the original batch and in a shuffled one (different lane-mates, some corners)
    w = rng.lognormal(2.0, 1.5, (150, 7))
    a = rng.uniform(0.2, 0.8, (150, 7))
    G0 = np.where(rng.uniform(size=150) < 0.3, rng.lognormal(4.0, 2.0, 150), 0.0)
    batch = lindahl_arrays(w, a, 1.0, rho=rho, G0=G0)
    order = rng.permutation(150)
    shuffled = lindahl_arrays(w[order], a[order], 1.0, rho=rho, G0=G0[order])
    for field in batch._fields:
        np.testing.assert_array_equal(getattr(shuffled, field), getattr(batch, field)[order], err_msg=field)
    for r in (0, 77, 149):
        alone = lindahl_arrays(w[r], a[r], 1.0, rho=rho, G0=G0[r])
        for field in batch._fields:
            np.testing.assert_array_equal(getattr(alone, field), getattr(batch, field)[r], err_msg=field)


@pytest.mark.parametrize("sigma", [0.02, 2 / 3, 1.0, 2.0, 10.0, 100.0])
def test_the_series_update_of_k_t_sigma_is_exact_to_rounding(sigma):
    """Within its range the binomial series of (1 + ε)**σ moves P = k t**σ as the exact power
    does (reference: mpmath at 50 digits)."""
    import mpmath

    from burden.publicgoods._kernels_lindahl import _SERIES, _SERIES_DEGREE, _power_step

    mpmath.mp.dps = 50
    edge = _SERIES / (sigma + _SERIES_DEGREE - 1.0)
    for eps in np.concatenate([np.linspace(-edge, edge, 41), [1e-12, -3e-9]]):
        P = _power_step(3.0, eps, sigma)
        exact = float(mpmath.mpf(3) * (1 + mpmath.mpf(eps)) ** sigma)
        assert abs(P - exact) <= 4 * np.spacing(exact)


@pytest.mark.parametrize("G0", [0.0, 50.0])
def test_the_start_leaves_three_newton_steps_for_rho_minus_half(rng, G0):
    # the start's per-member log-Newton step and its step in ln(G - G0) land close enough to the
    # root that the joint Newton iteration takes three steps (four or five from Cobb–Douglas
    # prices)
    w = rng.lognormal(3.0, 1.0, (2000, 30))
    opt = lindahl_arrays(w, rng.uniform(0.2, 0.8, 30), 1.0, rho=-0.5, G0=G0)
    assert opt.certified().all()
    assert opt.iterations.max() == 3


@pytest.mark.parametrize(("rho", "steps"), [(-0.5, 4), (-3.0, 5)])
def test_scenarios_near_a_corner_start_from_its_side(rng, rho, steps):
    """A patron's G0 at half the median total wealth: about half the scenarios buy nothing and
    many buy very little on top of G0. Started from the far side, those crept towards G0 by
    halving (up to nine steps); from the corner's tangent they take two or three."""
    w = rng.lognormal(3.0, 1.0, (4000, 30))
    G0 = 0.5 * np.median(w.sum(-1))
    opt = lindahl_arrays(w, rng.uniform(0.2, 0.8, 30), 1.0, rho=rho, G0=G0)
    assert opt.certified().all()
    bought = (opt.G - G0) / G0
    assert (bought == 0.0).any() and ((bought > 0.0) & (bought < 1e-2)).any()
    assert opt.iterations[(bought > 0.0) & (bought < 1e-2)].max() <= 3
    assert opt.iterations.max() <= steps


def test_consumption_below_the_float_range_is_no_infeasibility():
    # ρ = 0.9999 (σ = 10**4): x = k t**σ G is about 1e-2551, which underflows to 0; the problem is
    # feasible (CES always has an interior answer) and the budget holds (it was INFEASIBLE)
    opt = bd.lindahl([100.0, 80.0], bd.CES(0.5, 0.9999))
    assert opt.status == bd.Status.SUCCESS
    np.testing.assert_array_equal(opt.x, 0.0)
    np.testing.assert_allclose(opt.tau * opt.G, [100.0, 80.0], rtol=1e-14)  # all wealth to the good
