"""Tests of the compiled free-riding measures (burden.publicgoods._kernels_measures)."""

import numpy as np
import pytest

import burden as bd
from burden.publicgoods._kernels_lindahl import lindahl_arrays
from burden.publicgoods._kernels_measures import free_riding_arrays
from burden.publicgoods.results import exploitation_index


def numpy_measures(w, prefs, p, eq, G_L, x_L):
    """The same measures from the public numpy building blocks (utilities, inverse, mrs)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        u_L = prefs.utility(x_L, G_L[:, None])
        compensated = prefs.consumption_for_utility(u_L, eq.G[:, None])
        samuelson = bd.samuelson_residual(eq.x, eq.G, prefs, p=p)
        fields = {
            "burden": p[:, None] * eq.g / w,
            "exploitation": (eq.g / eq.g.sum(-1, keepdims=True)) / (w / w.sum(-1, keepdims=True)),
            "welfare_loss": compensated - eq.x,
        }
    return fields, samuelson


@pytest.mark.parametrize(
    ("kind", "rho"),
    [("cobb_douglas", 0.0), ("ces", -1.5), ("ces", 1e-10), ("ces", 0.6), ("stone_geary", 0.0)],
)
def test_measures_match_the_numpy_building_blocks(rng, kind, rho):
    rows, n = 300, 7
    w = rng.lognormal(3.0, 0.5, (rows, n))
    a = rng.uniform(0.2, 0.8, n)
    p = rng.uniform(0.5, 2.0, rows)
    extra = {"x_min": 2.0, "G_min": 5.0} if kind == "stone_geary" else {"rho": rho}
    prefs = {
        "cobb_douglas": lambda: bd.CobbDouglas(a),
        "ces": lambda: bd.CES(a, rho),
        "stone_geary": lambda: bd.StoneGeary(a, 2.0, 5.0),
    }[kind]()
    eq = bd.nash(w, prefs, p=p)
    opt = lindahl_arrays(w, a, p, **extra)
    ok = opt.feasible
    m = free_riding_arrays(w, a, p, eq.g, eq.G, eq.x, opt.G, opt.x, **extra)
    fields, samuelson = numpy_measures(w, prefs, p, eq, opt.G, opt.x)
    # burden and exploitation are free_riding's derived fields (computed on access)
    fr = bd.free_riding(w, prefs, p=p)
    np.testing.assert_allclose(fr.burden, fields["burden"], rtol=1e-14)
    np.testing.assert_allclose(fr.exploitation, fields["exploitation"], rtol=1e-13)
    # complements (ρ < 0) can leave the optimum's utility out of reach: an infinite loss
    np.testing.assert_array_equal(m.overflow, np.isinf(m.welfare_loss).any(-1))
    scale = w.max(-1, keepdims=True)
    np.testing.assert_allclose(
        m.welfare_loss[ok], fields["welfare_loss"][ok], rtol=1e-9, atol=1e-11 * scale.max()
    )
    np.testing.assert_allclose(m.samuelson_residual, samuelson, rtol=1e-12, atol=1e-12)


def test_welfare_loss_makes_utilities_equal(rng):
    """Independent of the closed form: at x_N + loss and G_N each member is as well off as at Lindahl."""
    w = rng.lognormal(3.0, 0.5, (100, 5))
    a = rng.uniform(0.2, 0.8, 5)
    prefs = bd.CES(a, -0.8)
    eq = bd.nash(w, prefs)
    opt = lindahl_arrays(w, a, 1.0, rho=-0.8)
    m = free_riding_arrays(w, a, 1.0, eq.g, eq.G, eq.x, opt.G, opt.x, rho=-0.8)
    reachable = np.isfinite(m.welfare_loss)
    u_nash = prefs.utility(eq.x + m.welfare_loss, eq.G[:, None])
    u_opt = prefs.utility(opt.x, opt.G[:, None])
    np.testing.assert_allclose(u_nash[reachable], u_opt[reachable], rtol=1e-12)


def test_nobody_contributing_gives_zero_exploitation():
    m = free_riding_arrays(
        np.array([1.0, 2.0]),
        0.5,
        1.0,
        np.zeros(2),
        np.array(10.0),
        np.array([1.0, 2.0]),
        np.array(10.0),
        np.array([1.0, 2.0]),
    )
    # as burden.free_riding defines it
    np.testing.assert_array_equal(exploitation_index(np.zeros(2), np.array([1.0, 2.0])), 0.0)
    np.testing.assert_array_equal(m.welfare_loss, 0.0)
    assert not m.overflow


def test_results_are_bit_identical_for_every_thread_count(rng):
    w = rng.lognormal(3.0, 0.5, (2000, 6))
    a = rng.uniform(0.2, 0.8, 6)
    eq = bd.nash(w, bd.CES(a, -0.5))
    opt = lindahl_arrays(w, a, 1.0, rho=-0.5)
    args = (w, a, 1.0, eq.g, eq.G, eq.x, opt.G, opt.x)
    one = free_riding_arrays(*args, rho=-0.5, workers=1)
    two = free_riding_arrays(*args, rho=-0.5, workers=2, chunk=3)
    for got, want in zip(two, one, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("rho", [-2.0, -0.5, 1e-12, 0.5])
def test_lindahl_shares_give_the_same_welfare_loss(rng, rho):
    """With the Lindahl shares the kernel takes b (G_L/x_L)**ρ from the first-order condition;
    without them it evaluates the power. Corners (G_L = G0) always evaluate it."""
    rows, n = 400, 6
    w = rng.lognormal(3.0, 0.5, (rows, n))
    a = rng.uniform(0.2, 0.8, n)
    G0 = 10.0 ** rng.uniform(-3.0, 3.0, rows) * w.sum(-1)
    eq = bd.nash(w, bd.CES(a, rho), G0=G0)
    opt = lindahl_arrays(w, a, 1.0, rho=rho, G0=G0)
    assert opt.certified().all() and (opt.G == G0).any() and (opt.G > G0).any()
    args = (w, a, 1.0, eq.g, eq.G, eq.x, opt.G, opt.x)
    given = free_riding_arrays(*args, tau_opt=opt.tau, G0=G0, rho=rho)
    evaluated = free_riding_arrays(*args, G0=G0, rho=rho)
    finite = np.isfinite(evaluated.welfare_loss)
    np.testing.assert_array_equal(np.isfinite(given.welfare_loss), finite)
    scale = w.max()
    np.testing.assert_allclose(
        given.welfare_loss[finite], evaluated.welfare_loss[finite], rtol=1e-11, atol=1e-12 * scale
    )


def test_a_welfare_loss_out_of_range_is_never_a_success():
    # ρ = 0.9999: the Lindahl consumption underflows to 0, so the money-metric loss is not
    # computable in floating point; with every solve certified, that NaN must fail the
    # scenario (NOT_FINITE), not pass as SUCCESS; the other scenario is unaffected
    rho = np.array([[0.9999, 0.9999], [0.5, 0.5]])
    fr = bd.free_riding([[100.0, 80.0], [100.0, 80.0]], bd.CES(0.5, rho))
    assert (fr.optimum.status == bd.Status.SUCCESS).all()
    np.testing.assert_array_equal(fr.status, [bd.Status.NOT_FINITE, bd.Status.SUCCESS])
    assert np.isnan(fr.welfare_loss[0]).all() and np.isfinite(fr.welfare_loss[1]).all()
