"""Tests of the spill-in Nash equilibrium (burden.nash with `spillover`)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import burden as bd


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


# -- spill-ins: limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefs", [bd.CobbDouglas([0.3, 0.5, 0.6, 0.4]), bd.CES(0.4, -0.5), bd.StoneGeary(0.5, 1.0, 2.0)]
)
def test_theta_one_reproduces_the_pure_public_good_exactly(prefs, rng):
    w = rng.lognormal(2, 1, (50, 4))
    G0 = rng.uniform(0, 5, 50)
    pure = bd.nash(w, prefs, p=1.5, G0=G0)
    eq = bd.nash(w, prefs, p=1.5, G0=G0, spillover=1.0)
    assert isinstance(eq, bd.NashEquilibrium)
    np.testing.assert_array_equal(eq.g, pure.g)
    np.testing.assert_allclose(eq.Q, np.broadcast_to(pure.G[:, None], eq.Q.shape), rtol=1e-14)
    np.testing.assert_allclose(eq.G, pure.G, rtol=1e-14)
    np.testing.assert_allclose(eq.utility, pure.utility, rtol=1e-13)
    np.testing.assert_array_equal(eq.status, pure.status)


def test_theta_zero_gives_stand_alone_demands(rng):
    w, a = rng.lognormal(0, 1, (20, 5)), rng.uniform(0.1, 0.9, (20, 5))
    eq = bd.nash(w, bd.CobbDouglas(a), p=2.0, spillover=0.0)
    np.testing.assert_allclose(eq.g, a * w / 2.0, rtol=1e-14)  # Cobb–Douglas spends the share a
    eq = bd.nash(w, bd.CobbDouglas(a), p=2.0, spillover=np.zeros((5, 5)))
    np.testing.assert_allclose(eq.g, a * w / 2.0, rtol=1e-14)
    # with exogenous provision G0 each member tops up to its own demand: q = max(0, a w/p - (1-a) G0)
    eq = bd.nash(w, bd.CobbDouglas(a), G0=1.0, spillover=0.0)
    np.testing.assert_allclose(eq.g, np.maximum(0.0, a * w - (1 - a) * 1.0), rtol=1e-12, atol=1e-15)


def test_spill_in_best_response_of_the_docs(rng, geographic_spillins):
    """docs/impure.md: q_i = max(0, (w_i/p - c_i S_i)/(1 + c_i)) at the equilibrium spill-ins."""
    w, a = rng.lognormal(0, 1, (30, 6)), rng.uniform(0.2, 0.8, (30, 6))
    theta = geographic_spillins(rng, (30,), 6)
    eq = bd.nash(w, bd.CobbDouglas(a), p=1.3, spillover=theta)
    c = (1 - a) / a
    np.testing.assert_allclose(
        eq.g, np.maximum(0, (w / 1.3 - c * (eq.Q - eq.g)) / (1 + c)), rtol=1e-10, atol=1e-12
    )
    assert (eq.status == 0).all() and (eq.residual < 1e-10).all()


# -- spill-ins: against the independent iteration ------------------------------------------------


@pytest.mark.parametrize("kind", ["scalar", "matrix"])
@pytest.mark.parametrize(
    "prefs", [bd.CobbDouglas([0.3, 0.6, 0.5]), bd.CES([0.5, 0.4, 0.6], 0.5), bd.StoneGeary(0.5, 2.0, 1.0)]
)
def test_spillovers_match_best_response_iteration(prefs, kind, rng, best_response_iteration):
    w = rng.uniform(5, 30, 3)
    theta = 0.4 if kind == "scalar" else np.array([[0, 0.9, 0.1], [0.2, 0, 0.6], [0.5, 0.3, 0]])
    eq = bd.nash(w, prefs, p=1.2, G0=0.5, spillover=theta)
    ref = best_response_iteration(w, prefs, theta, p=1.2, G0=0.5)
    np.testing.assert_allclose(eq.g, ref, rtol=1e-6, atol=1e-6)


def test_uniform_matrix_takes_the_closed_form_and_agrees_with_the_lcp(rng):
    w, a = rng.lognormal(0, 1, (40, 5)), rng.uniform(0.2, 0.8, (40, 5))
    theta = rng.uniform(0, 1, 40)
    uniform = theta[:, None, None] * np.ones((5, 5))
    via_matrix = bd.nash(w, bd.CobbDouglas(a), spillover=uniform)
    for k in range(3):  # the scalar path per scenario
        np.testing.assert_array_equal(
            via_matrix.g[k], bd.nash(w[k], bd.CobbDouglas(a[k]), spillover=theta[k]).g
        )
    # the same games with one entry nudged go through the LCP
    nudged = uniform.copy()
    nudged[:, 0, 1] *= 1 - 1e-12
    np.testing.assert_allclose(
        bd.nash(w, bd.CobbDouglas(a), spillover=nudged).g, via_matrix.g, rtol=1e-9, atol=1e-12
    )


@pytest.mark.parametrize("batch", [(), (6,), (2, 3)])
def test_matrix_batch_equals_loop(batch, rng, geographic_spillins):
    n = 4
    w = rng.lognormal(0, 1, (*batch, n))
    a = rng.uniform(0.2, 0.8, (*batch, n))
    theta = geographic_spillins(rng, batch, n)
    eq = bd.nash(w, bd.CobbDouglas(a), G0=0.3, spillover=theta)
    assert eq.g.shape == (*batch, n) and eq.G.shape == batch and eq.status.shape == batch
    for index in np.ndindex(*batch):
        one = bd.nash(w[index], bd.CobbDouglas(a[index]), G0=0.3, spillover=theta[index])
        np.testing.assert_allclose(eq.g[index], one.g, rtol=1e-13)


def test_one_spill_in_matrix_broadcasts_over_scenarios(rng):
    w = rng.lognormal(0, 1, (7, 3))
    theta = np.array([[0, 0.5, 0.2], [0.5, 0, 0.9], [0.2, 0.9, 0]])
    eq = bd.nash(w, bd.CobbDouglas(0.4), spillover=theta)
    np.testing.assert_allclose(eq.g[2], bd.nash(w[2], bd.CobbDouglas(0.4), spillover=theta).g, rtol=1e-13)


def test_non_p_spill_in_matrix_with_a_unique_equilibrium_is_certified():
    # A star: the hub gets everyone's defence, the leaves only the hub's. With c = 4 the
    # scaled matrix diag(1 + 1/c) + Θ has eigenvalue 1.25 - sqrt(2) < 0: not a P-matrix, yet
    # the equilibrium is unique (derived: the leaves buy (10/4)/1.25 = 2 each, the hub free-rides).
    theta = np.array([[0, 1.0, 1.0], [1.0, 0, 0], [1.0, 0, 0]])
    eq = bd.nash([10.0, 10.0, 10.0], bd.CobbDouglas(0.2), spillover=theta)
    assert eq.status == 0
    np.testing.assert_allclose(eq.g, [0.0, 2.0, 2.0], atol=1e-13)


def test_multiple_spill_in_equilibria_are_flagged():
    # Two pairs, each ally protected only by the other pair (K_{2,2}); c = 4: either pair can
    # carry the burden alone (q = 2) or all four share it (q = (10/4)/3.25) - three equilibria.
    theta = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0.0]])
    with pytest.warns(bd.NotPMatrixWarning, match="may not be unique"):
        eq = bd.nash(np.full(4, 10.0), bd.CobbDouglas(0.2), spillover=theta)
    assert eq.status == bd.Status.NOT_UNIQUE
    assert eq.residual < 1e-12  # an equilibrium, one of several
    candidates = [[0, 0, 2, 2], [2, 2, 0, 0], [2.5 / 3.25] * 4]
    assert any(np.allclose(eq.g, cand, atol=1e-12) for cand in candidates)


@settings(max_examples=40, deadline=None)
@given(
    w=st.floats(1.0, 100.0),
    a=st.floats(0.05, 0.6),
    b=st.floats(0.0, 0.35),
    S=st.floats(0.0, 50.0),
    kind=st.sampled_from(["cobb-douglas", "ces", "joint"]),
)
def test_spill_in_response_lies_in_minus_one_zero(w, a, b, S, kind):
    """Normal goods: one more unit of spill-in lowers own defence by less than one unit."""
    prefs = {"cobb-douglas": bd.CobbDouglas(a), "ces": bd.CES(a, -0.5), "joint": bd.JointProduct(a, b)}[kind]
    h = 1e-4 * (1 + S)
    # A lone ally: G0 is its spill-in S.
    q_lo, q_hi = (bd.nash([w], prefs, G0=s, spillover=0.5).g[0] for s in (S, S + h))
    slope = (q_hi - q_lo) / h
    assert -1.0 < slope <= 1e-9


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spillover", "message"),
    [
        (1.2, r"`spillover` must lie in \[0, 1\]; spillover = "),
        (-0.1, r"`spillover` must lie in \[0, 1\]"),
        (np.nan, "`spillover` must be finite"),
        ([[0, 0.5], [2.0, 0]], r"spillover\[1, 0\] = "),
        ([[0, 0.5, 0.1], [0.5, 0, 0.2]], r"shape \(\.\.\., n, n\)"),
        ([0.5, 0.5], r"shape \(\.\.\., n, n\)"),
        (np.zeros((3, 3)), "n = 2 members"),
        (np.zeros((4, 2, 2)), "do not broadcast"),
    ],
)
def test_bad_spillover(spillover, message):
    with pytest.raises(ValueError, match=message):
        bd.nash(np.ones((3, 2)), bd.CobbDouglas(0.5), spillover=spillover)


def test_diagonal_is_ignored():
    ignored = bd.nash([3.0, 1.0], bd.CobbDouglas(0.5), spillover=[[7.0, 0.5], [0.5, -1.0]])
    np.testing.assert_array_equal(ignored.g, bd.nash([3.0, 1.0], bd.CobbDouglas(0.5), spillover=0.5).g)


def test_unsupported_preferences_with_spillover():
    with pytest.raises(TypeError, match="linear first-order condition"):
        bd.nash([1.0, 2.0], bd.QuasiLinear(1.0), spillover=0.5)


def test_results_repr_and_frame():
    eq = bd.nash([3.0, 1.0], bd.JointProduct(0.3, 0.1), spillover=0.5)
    assert "NashEquilibrium(" in repr(eq) and "residual" in repr(eq)
    pytest.importorskip("pandas")
    assert len(eq.to_frame()) == 2
