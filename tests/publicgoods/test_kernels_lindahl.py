"""Tests of the compiled Lindahl kernel (burden.publicgoods._kernels_lindahl)."""

import numpy as np
import pytest

import burden as bd
from burden.publicgoods._kernels_lindahl import lindahl_arrays


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
