"""Tests of the Lindahl optimum and the Samuelson condition."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize_scalar

import burden as bd


def test_worked_example():
    # docs/publicgoods.md (derived, not published): G_L = Σ a w / p = 90, τ = (5/9, 4/9)
    opt = bd.lindahl([100.0, 80.0], bd.CobbDouglas(0.5))
    np.testing.assert_allclose(opt.G, 90.0, rtol=1e-14)
    np.testing.assert_allclose(opt.tau, [5 / 9, 4 / 9], rtol=1e-14)
    np.testing.assert_allclose(opt.g, [50.0, 40.0], rtol=1e-14)


PREFERENCES = {
    "cobb_douglas": lambda rng, n: bd.CobbDouglas(rng.uniform(0.1, 0.9, n)),
    "ces": lambda rng, n: bd.CES(rng.uniform(0.2, 0.8, n), rng.uniform(-2.0, 0.7, n)),
    "stone_geary": lambda rng, n: bd.StoneGeary(
        rng.uniform(0.2, 0.8, n), rng.uniform(0, 5, n), rng.uniform(0, 3, n)
    ),
    "quasi_linear": lambda rng, n: bd.QuasiLinear(rng.uniform(1.0, 9.0, n)),
}


@pytest.mark.parametrize("kind", PREFERENCES)
def test_each_member_demands_the_lindahl_total_at_its_own_price(kind, rng):
    """Independent check: at price τ_i p each member's utility-maximising G, found by direct
    maximisation over its budget line, is G_L; and the shares sum to one."""
    n = 4
    prefs = PREFERENCES[kind](rng, n)
    w = rng.uniform(10.0, 100.0, n)
    p = 1.7
    opt = bd.lindahl(w, prefs, p=p)
    assert opt.status == 0
    np.testing.assert_allclose(opt.tau.sum(), 1.0, rtol=1e-12)
    for i in range(n):
        price = opt.tau[i] * p

        def minus_u(G, i=i, price=price):
            with np.errstate(all="ignore"):
                return -np.broadcast_to(prefs.utility(np.full(n, w[i] - price * G), G), (n,))[i]

        best = minimize_scalar(
            minus_u, bounds=(1e-9, w[i] / price), method="bounded", options={"xatol": 1e-10}
        )
        np.testing.assert_allclose(best.x, opt.G, rtol=1e-5)


@pytest.mark.parametrize("kind", PREFERENCES)
def test_samuelson_condition_holds_at_lindahl(kind, rng):
    prefs = PREFERENCES[kind](rng, 5)
    w = rng.uniform(10.0, 100.0, (7, 5))
    opt = bd.lindahl(w, prefs, p=0.8)
    residual = bd.samuelson_residual(opt.x, opt.G, prefs, p=0.8)
    np.testing.assert_allclose(residual, 0.0, atol=1e-9)


def test_numeric_lindahl_agrees_with_the_cobb_douglas_closed_form(rng):
    a = rng.uniform(0.1, 0.9, (20, 6))
    w = rng.uniform(1.0, 50.0, (20, 6))
    closed = bd.lindahl(w, bd.CobbDouglas(a), p=1.5)
    numeric = bd.lindahl(w, bd.StoneGeary(a, 0.0, 0.0), p=1.5)  # Stone–Geary with zero subsistence
    np.testing.assert_allclose(numeric.G, closed.G, rtol=1e-12)
    np.testing.assert_allclose(numeric.tau, closed.tau, rtol=1e-10)


def test_quasilinear_lindahl_that_would_overdraw_a_member_is_flagged():
    # b = 50 > w = 10: the member's Lindahl payment b would exceed its wealth
    opt = bd.lindahl([10.0, 100.0], bd.QuasiLinear(50.0))
    assert opt.status == bd.Status.INFEASIBLE


@pytest.mark.parametrize("batch", [(), (12,), (3, 4)])
def test_batch_equals_loop(batch, rng):
    w = rng.uniform(1.0, 100.0, batch + (3,))
    a = rng.uniform(0.2, 0.8, batch + (3,))
    opt = bd.lindahl(w, bd.CES(a, -0.7))
    for index in np.ndindex(*batch):
        one = bd.lindahl(w[index], bd.CES(a[index], -0.7))
        np.testing.assert_allclose(opt.G[index], one.G, rtol=1e-12)
        np.testing.assert_allclose(opt.tau[index], one.tau, rtol=1e-10)


def test_samuelson_residual_validates():
    with pytest.raises(ValueError, match="`x` must be finite"):
        bd.samuelson_residual([1.0, np.nan], 3.0, bd.CobbDouglas(0.5))


# -- exogenous provision G0 -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["cobb_douglas", "ces", "stone_geary"])
def test_lindahl_with_G0_against_direct_maximisation(kind, rng):
    """Independent check: member i pays tau_i p per unit above G0; maximising its utility over
    that budget line by brute force gives the Lindahl total, and the shares sum to one."""
    n, p, G0 = 3, 1.3, 25.0
    prefs = PREFERENCES[kind](rng, n)
    w = rng.uniform(20.0, 100.0, n)
    opt = bd.lindahl(w, prefs, p=p, G0=G0)
    assert opt.status == 0
    np.testing.assert_allclose(opt.tau.sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(opt.G, G0 + opt.g.sum(), rtol=1e-12)
    for i in range(n):
        price = opt.tau[i] * p

        def minus_u(G, i=i, price=price):
            with np.errstate(all="ignore"):
                return -np.broadcast_to(prefs.utility(np.full(n, w[i] - price * (G - G0)), G), (n,))[i]

        best = minimize_scalar(
            minus_u, bounds=(G0, G0 + w[i] / price), method="bounded", options={"xatol": 1e-10}
        )
        np.testing.assert_allclose(best.x, opt.G, rtol=1e-5)


def test_lindahl_with_a_patron_large_enough_buys_nothing():
    opt = bd.lindahl([100.0, 80.0], bd.CobbDouglas(0.5), G0=500.0)
    assert opt.status == 0 and opt.G == 500.0
    np.testing.assert_array_equal(opt.g, [0.0, 0.0])
    np.testing.assert_allclose(opt.tau, [5 / 9, 4 / 9])  # shares of the next unit's price


def test_lindahl_with_G0_zero_equals_the_closed_form(rng):
    w, a = rng.uniform(1, 50, (8, 4)), rng.uniform(0.1, 0.9, (8, 4))
    closed = bd.lindahl(w, bd.CobbDouglas(a))
    numeric = bd.lindahl(w, bd.CobbDouglas(a), G0=1e-300)
    np.testing.assert_allclose(numeric.G, closed.G, rtol=1e-12)


def test_lindahl_batch_equals_loop_and_workers(batch_shape, batch_matches_loop, rng):
    n = 3
    args = {
        "w": rng.uniform(1.0, 100.0, batch_shape + (n,)),
        "G0": rng.uniform(0.0, 30.0, batch_shape),
        "p": rng.uniform(0.5, 2.0, batch_shape),
    }

    def solve(w, G0, p, workers=1):
        return bd.lindahl(w, bd.CES(0.4, -0.7), G0=G0, p=p, chunk=5, workers=workers)

    batch_matches_loop(solve, args, {"w": 1}, rtol=1e-10, atol=1e-12)
    assert solve(**args, workers=2) == solve(**args)


@settings(max_examples=30, deadline=None)
@given(
    w=arrays(np.float64, st.integers(1, 4), elements=st.floats(1.0, 1000.0)),
    a=st.floats(0.05, 0.95),
    rho=st.floats(-3.0, 0.95),
    G0=st.floats(0.0, 100.0),
    k=st.integers(-12, 12),
)
def test_lindahl_and_free_riding_are_scale_invariant(w, a, rho, G0, k):
    """Homothetic preferences: wealth and G0 times 10**k give every quantity times 10**k."""
    scale = 10.0**k
    prefs = bd.CES(a, rho)
    opt, big = bd.lindahl(w, prefs, G0=G0), bd.lindahl(w * scale, prefs, G0=G0 * scale)
    assert opt.status == big.status == 0
    np.testing.assert_allclose(big.G, opt.G * scale, rtol=1e-9)
    np.testing.assert_allclose(big.tau, opt.tau, rtol=1e-8, atol=1e-12)
    fr, fr_big = bd.free_riding(w, prefs, G0=G0), bd.free_riding(w * scale, prefs, G0=G0 * scale)
    assert fr.status == fr_big.status == 0
    np.testing.assert_allclose(fr_big.gap, fr.gap * scale, rtol=1e-7, atol=1e-9 * scale * w.max())
    np.testing.assert_allclose(fr_big.burden, fr.burden, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("kind", ["cobb_douglas", "ces", "stone_geary"])
def test_compiled_lindahl_agrees_with_the_root_finder(kind, rng):
    """Without G0 the built-in families go through the compiled kernel; the bracketing root
    finder (kept for G0 > 0) solves the same scenarios independently."""
    from burden.publicgoods.optimum import _lindahl_rows

    prefs = PREFERENCES[kind](rng, 6)
    w = rng.lognormal(3.0, 0.7, (200, 6))
    p = rng.uniform(0.5, 2.0, 200)
    opt = bd.lindahl(w, prefs, p=p)
    _, G, x, tau, utility, _, status = _lindahl_rows(w, prefs, p, np.zeros(200))
    np.testing.assert_array_equal(opt.status, status)
    ok = status == 0
    assert ok.mean() > 0.5
    np.testing.assert_allclose(opt.G[ok], G[ok], rtol=1e-10)
    np.testing.assert_allclose(opt.tau[ok], tau[ok], rtol=1e-10)
    np.testing.assert_allclose(opt.x[ok], x[ok], rtol=1e-9, atol=1e-9 * w.max())
    np.testing.assert_allclose(opt.utility[ok], utility[ok], rtol=1e-10, atol=1e-10)
    assert (opt.residual[ok] <= 1e-9).all()


def test_compiled_lindahl_below_subsistence_is_infeasible():
    # derived: a member poorer than its subsistence consumption has no Lindahl allocation
    opt = bd.lindahl([[1.0, 50.0], [30.0, 50.0]], bd.StoneGeary(0.5, 2.0, 1.0))
    np.testing.assert_array_equal(opt.status, [bd.Status.INFEASIBLE, bd.Status.SUCCESS])


def test_compiled_lindahl_is_the_same_for_every_thread_count(rng):
    w = rng.lognormal(3.0, 0.7, (500, 5))
    prefs = bd.CES(rng.uniform(0.2, 0.8, 5), -0.7)
    assert bd.lindahl(w, prefs) == bd.lindahl(w, prefs, workers=2, chunk=7)
