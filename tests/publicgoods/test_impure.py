"""Tests of the impure public goods: spill-ins, joint products, the joint optimum, free riding."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize, minimize_scalar

import burden as bd
from burden.publicgoods.impure import ImpureFreeRiding, impure_free_riding, joint_optimum
from burden.publicgoods.joint_products import JointProduct
from burden.publicgoods.spillover import STATUS_NOT_UNIQUE, SpilloverEquilibrium


def own_utility(prefs, i, w, x, Q, q):
    """Member i's utility, evaluated with member-shaped arrays (parameters may vary by member)."""
    n = w.size
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(prefs, JointProduct):
            value = prefs.utility(np.full(n, x), np.full(n, Q), np.full(n, q))
        else:
            value = prefs.utility(np.full(n, x), np.full(n, Q))
    return float(np.broadcast_to(value, (n,))[i])


def best_response_iteration(w, prefs, theta, p=1.0, G0=0.0, sweeps=400):
    """Independent Gauss–Seidel best-response iteration by direct numeric maximisation.

    Uses only ``prefs.utility``: none of the package's closed forms, LCPs or root finders.
    """
    w = np.asarray(w, dtype=float)
    n = w.size
    Theta = theta * (1 - np.eye(n)) if np.ndim(theta) == 0 else np.asarray(theta) * (1 - np.eye(n))
    q = np.zeros(n)
    for _ in range(sweeps):
        change = 0.0
        for i in range(n):
            S = Theta[i] @ q + G0
            res = minimize_scalar(
                lambda qi, i=i, S=S: -own_utility(prefs, i, w, w[i] - p * qi, qi + S, qi),
                bounds=(0.0, w[i] / p),
                method="bounded",
                options={"xatol": 1e-12},
            )
            best = res.x
            if -own_utility(prefs, i, w, w[i], S, 0.0) <= res.fun:  # the corner q_i = 0
                best = 0.0
            change = max(change, abs(best - q[i]))
            q[i] = best
        if change < 1e-10 * w.max():
            break
    return q


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


def geographic_spillins(rng, shape, n, length=0.3):
    """Symmetric Gaussian-kernel spill-ins between random points of the unit square."""
    x = rng.uniform(0, 1, (*shape, n, 2))
    d2 = ((x[..., :, None, :] - x[..., None, :, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2 * length**2)) * (1 - np.eye(n))


# -- spill-ins: limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefs", [bd.CobbDouglas([0.3, 0.5, 0.6, 0.4]), bd.CES(0.4, -0.5), bd.StoneGeary(0.5, 1.0, 2.0)]
)
def test_theta_one_reproduces_the_pure_public_good_exactly(prefs, rng):
    w = rng.lognormal(2, 1, (50, 4))
    G0 = rng.uniform(0, 5, 50)
    pure = bd.nash(w, prefs, p=1.5, G0=G0)
    eq = bd.nash(w, prefs, p=1.5, G0=G0, spillover=1.0)
    assert isinstance(eq, SpilloverEquilibrium)
    np.testing.assert_array_equal(eq.q, pure.g)
    np.testing.assert_allclose(eq.Q, np.broadcast_to(pure.G[:, None], eq.Q.shape), rtol=1e-14)
    np.testing.assert_allclose(eq.T + G0, pure.G, rtol=1e-14)
    np.testing.assert_allclose(eq.utility, pure.utility, rtol=1e-13)
    np.testing.assert_array_equal(eq.status, pure.status)


def test_theta_zero_gives_stand_alone_demands(rng):
    w, a = rng.lognormal(0, 1, (20, 5)), rng.uniform(0.1, 0.9, (20, 5))
    eq = bd.nash(w, bd.CobbDouglas(a), p=2.0, spillover=0.0)
    np.testing.assert_allclose(eq.q, a * w / 2.0, rtol=1e-14)  # Cobb–Douglas spends the share a
    eq = bd.nash(w, bd.CobbDouglas(a), p=2.0, spillover=np.zeros((5, 5)))
    np.testing.assert_allclose(eq.q, a * w / 2.0, rtol=1e-14)
    # with exogenous provision G0 each member tops up to its own demand: q = max(0, a w/p - (1-a) G0)
    eq = bd.nash(w, bd.CobbDouglas(a), G0=1.0, spillover=0.0)
    np.testing.assert_allclose(eq.q, np.maximum(0.0, a * w - (1 - a) * 1.0), rtol=1e-12, atol=1e-15)


def test_spill_in_best_response_of_design(rng):
    """DESIGN §2.5: q_i = max(0, (w_i/p - c_i S_i)/(1 + c_i)) at the equilibrium spill-ins."""
    w, a = rng.lognormal(0, 1, (30, 6)), rng.uniform(0.2, 0.8, (30, 6))
    theta = geographic_spillins(rng, (30,), 6)
    eq = bd.nash(w, bd.CobbDouglas(a), p=1.3, spillover=theta)
    c = (1 - a) / a
    np.testing.assert_allclose(eq.q, np.maximum(0, (w / 1.3 - c * eq.S) / (1 + c)), rtol=1e-10, atol=1e-12)
    assert (eq.status == 0).all() and (eq.residual < 1e-10).all()


# -- spill-ins: against the independent iteration ------------------------------------------------


@pytest.mark.parametrize("kind", ["scalar", "matrix"])
@pytest.mark.parametrize(
    "prefs", [bd.CobbDouglas([0.3, 0.6, 0.5]), bd.CES([0.5, 0.4, 0.6], 0.5), bd.StoneGeary(0.5, 2.0, 1.0)]
)
def test_spillovers_match_best_response_iteration(prefs, kind, rng):
    w = rng.uniform(5, 30, 3)
    theta = 0.4 if kind == "scalar" else np.array([[0, 0.9, 0.1], [0.2, 0, 0.6], [0.5, 0.3, 0]])
    eq = bd.nash(w, prefs, p=1.2, G0=0.5, spillover=theta)
    ref = best_response_iteration(w, prefs, theta, p=1.2, G0=0.5)
    np.testing.assert_allclose(eq.q, ref, rtol=1e-6, atol=1e-6)


def test_uniform_matrix_takes_the_closed_form_and_agrees_with_the_lcp(rng):
    w, a = rng.lognormal(0, 1, (40, 5)), rng.uniform(0.2, 0.8, (40, 5))
    theta = rng.uniform(0, 1, 40)
    uniform = theta[:, None, None] * np.ones((5, 5))
    via_matrix = bd.nash(w, bd.CobbDouglas(a), spillover=uniform)
    for k in range(3):  # the scalar path per scenario
        np.testing.assert_array_equal(
            via_matrix.q[k], bd.nash(w[k], bd.CobbDouglas(a[k]), spillover=theta[k]).q
        )
    # the same games with one entry nudged go through the LCP
    nudged = uniform.copy()
    nudged[:, 0, 1] *= 1 - 1e-12
    np.testing.assert_allclose(
        bd.nash(w, bd.CobbDouglas(a), spillover=nudged).q, via_matrix.q, rtol=1e-9, atol=1e-12
    )


@pytest.mark.parametrize("batch", [(), (6,), (2, 3)])
def test_matrix_batch_equals_loop(batch, rng):
    n = 4
    w = rng.lognormal(0, 1, (*batch, n))
    a = rng.uniform(0.2, 0.8, (*batch, n))
    theta = geographic_spillins(rng, batch, n)
    eq = bd.nash(w, bd.CobbDouglas(a), G0=0.3, spillover=theta)
    assert eq.q.shape == (*batch, n) and eq.T.shape == batch and eq.status.shape == batch
    for index in np.ndindex(*batch):
        one = bd.nash(w[index], bd.CobbDouglas(a[index]), G0=0.3, spillover=theta[index])
        np.testing.assert_allclose(eq.q[index], one.q, rtol=1e-13)


def test_one_spill_in_matrix_broadcasts_over_scenarios(rng):
    w = rng.lognormal(0, 1, (7, 3))
    theta = np.array([[0, 0.5, 0.2], [0.5, 0, 0.9], [0.2, 0.9, 0]])
    eq = bd.nash(w, bd.CobbDouglas(0.4), spillover=theta)
    np.testing.assert_allclose(eq.q[2], bd.nash(w[2], bd.CobbDouglas(0.4), spillover=theta).q, rtol=1e-13)


def test_non_p_spill_in_matrix_with_a_unique_equilibrium_is_certified():
    # A star: the hub gets everyone's defence, the leaves only the hub's. With c = 4 the
    # scaled matrix diag(1 + 1/c) + Θ has eigenvalue 1.25 - sqrt(2) < 0: not a P-matrix, yet
    # the equilibrium is unique (derived: the leaves buy (10/4)/1.25 = 2 each, the hub free-rides).
    theta = np.array([[0, 1.0, 1.0], [1.0, 0, 0], [1.0, 0, 0]])
    eq = bd.nash([10.0, 10.0, 10.0], bd.CobbDouglas(0.2), spillover=theta)
    assert eq.status == 0
    np.testing.assert_allclose(eq.q, [0.0, 2.0, 2.0], atol=1e-13)


def test_multiple_spill_in_equilibria_are_flagged():
    # Two pairs, each ally protected only by the other pair (K_{2,2}); c = 4: either pair can
    # carry the burden alone (q = 2) or all four share it (q = (10/4)/3.25) - three equilibria.
    theta = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0.0]])
    with pytest.warns(bd.NotPMatrixWarning, match="may not be unique"):
        eq = bd.nash(np.full(4, 10.0), bd.CobbDouglas(0.2), spillover=theta)
    assert eq.status == STATUS_NOT_UNIQUE
    assert eq.residual < 1e-12  # an equilibrium, one of several
    candidates = [[0, 0, 2, 2], [2, 2, 0, 0], [2.5 / 3.25] * 4]
    assert any(np.allclose(eq.q, cand, atol=1e-12) for cand in candidates)


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
    prefs = {"cobb-douglas": bd.CobbDouglas(a), "ces": bd.CES(a, -0.5), "joint": JointProduct(a, b)}[kind]
    h = 1e-4 * (1 + S)
    # A lone ally: G0 is its spill-in S.
    q_lo, q_hi = (bd.nash([w], prefs, G0=s, spillover=0.5).q[0] for s in (S, S + h))
    slope = (q_hi - q_lo) / h
    assert -1.0 < slope <= 1e-9


# -- joint products ----------------------------------------------------------------------------


def test_joint_product_best_response_is_the_design_quadratic_and_the_maximum(rng):
    a, b = rng.uniform(0.05, 0.5, 30), rng.uniform(0.0, 0.45, 30)
    S, w, p = rng.uniform(0, 20, 30), rng.uniform(1, 20, 30), rng.uniform(0.5, 2, 30)
    jp = JointProduct(a, b)
    q = jp.best_response(S, w, p)
    c = 1 - a - b
    B = (a + b) * w - (b + c) * p * S
    np.testing.assert_allclose(q, (B + np.sqrt(B**2 + 4 * p * b * S * w)) / (2 * p), rtol=1e-9, atol=1e-12)
    for k in range(30):
        res = minimize_scalar(
            lambda qk, k=k: -(a[k] * np.log(qk + S[k]) + b[k] * np.log(qk) + c[k] * np.log(w[k] - p[k] * qk)),
            bounds=(1e-300, w[k] / p[k]),
            method="bounded",
            options={"xatol": 1e-12},
        )
        assert q[k] == pytest.approx(res.x, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_symmetric_joint_product_closed_form(n):
    """Derived: symmetric FOC a/(n q) + b/q = c/(w - q) gives q = (a/n + b) w / (a/n + b + c)."""
    a, b, w = 0.35, 0.15, 4.0
    c = 1 - a - b
    eq = bd.nash(np.full(n, w), JointProduct(a, b))
    np.testing.assert_allclose(eq.q, (a / n + b) * w / (a / n + b + c), rtol=1e-13)
    assert eq.status == 0


@pytest.mark.parametrize("kind", ["scalar", "matrix"])
def test_joint_products_match_best_response_iteration(kind, rng):
    w = rng.uniform(5, 30, 4)
    jp = JointProduct([0.3, 0.4, 0.2, 0.35], [0.1, 0.0, 0.3, 0.05])
    theta = 0.7 if kind == "scalar" else geographic_spillins(rng, (), 4, length=0.6)
    eq = bd.nash(w, jp, p=0.8, G0=1.0, spillover=theta)
    np.testing.assert_allclose(
        eq.q, best_response_iteration(w, jp, theta, p=0.8, G0=1.0), rtol=1e-6, atol=1e-6
    )
    assert eq.status == 0 and eq.residual < 1e-10


def test_joint_product_without_private_benefit_is_cobb_douglas(rng):
    w, a = rng.lognormal(0, 1, (25, 6)), rng.uniform(0.1, 0.9, (25, 6))
    jp, cd = bd.nash(w, JointProduct(a, 0.0), p=1.7), bd.nash(w, bd.CobbDouglas(a), p=1.7)
    np.testing.assert_allclose(jp.q, cd.g, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("batch", [(), (5,), (2, 3)])
def test_joint_product_matrix_batch_equals_loop(batch, rng):
    n = 5
    w = rng.lognormal(0, 1, (*batch, n))
    theta = geographic_spillins(rng, batch, n)
    eq = bd.nash(w, JointProduct(0.3, 0.1), spillover=theta)
    assert (eq.status == 0).all() and eq.q.shape == (*batch, n)
    for index in np.ndindex(*batch):
        one = bd.nash(w[index], JointProduct(0.3, 0.1), spillover=theta[index])
        np.testing.assert_allclose(eq.q[index], one.q, rtol=1e-10)


@settings(max_examples=30, deadline=None)
@given(
    ratio=st.floats(1.2, 10.0),
    total=st.floats(0.2, 0.9),
    share=st.tuples(st.floats(0.0, 0.9), st.floats(0.0, 0.9)).map(sorted),
    theta=st.floats(0.3, 1.0),
)
def test_larger_private_share_lowers_exploitation_of_the_large(ratio, total, share, theta):
    """Benefit–burden concordance (DESIGN §2.5): a more private motive, less free riding."""
    w = [ratio, 1.0]

    def index(pi):
        fr = impure_free_riding(w, JointProduct(total * (1 - pi), total * pi), spillover=theta)
        return fr.nash.q[0] / fr.nash.T / (ratio / (ratio + 1))

    assert index(share[1]) <= index(share[0]) + 1e-9


# -- joint optimum and free riding -------------------------------------------------------------


@pytest.mark.parametrize("theta", [1.0, 0.5])
def test_symmetric_joint_optimum_closed_forms(theta):
    """Derived: with identical allies the optimum spends a w/p (Cobb–Douglas) or (a+b) w/p."""
    opt = joint_optimum(np.full(4, 3.0), bd.CobbDouglas(0.3), spillover=theta, p=2.0)
    np.testing.assert_allclose(opt.q, 0.3 * 3.0 / 2.0, rtol=1e-6)
    opt = joint_optimum(np.full(3, 3.0), JointProduct(0.3, 0.2), spillover=theta, p=2.0)
    np.testing.assert_allclose(opt.q, 0.5 * 3.0 / 2.0, rtol=1e-6)
    assert opt.status == 0


def test_joint_optimum_matches_an_independent_optimiser(rng):
    w, a = np.array([4.0, 2.0, 1.0]), np.array([0.3, 0.5, 0.4])
    theta = np.array([[0, 0.8, 0.2], [0.5, 0, 0.4], [0.1, 0.9, 0]])
    opt = joint_optimum(w, bd.CobbDouglas(a), spillover=theta)

    def negative_welfare(q):
        Q = q + theta @ q
        return -np.sum((1 - a) * np.log(w - q) + a * np.log(Q))

    ref = minimize(negative_welfare, w / 3, method="SLSQP", bounds=[(1e-9, wi - 1e-9) for wi in w], tol=1e-14)
    np.testing.assert_allclose(opt.q, ref.x, rtol=1e-5, atol=1e-6)
    assert opt.welfare >= -ref.fun - 1e-12


def test_free_riding_against_the_optimum(rng):
    w = rng.lognormal(0, 0.5, (4, 5))
    theta = geographic_spillins(rng, (4,), 5)
    fr = bd.free_riding(w, JointProduct(0.3, 0.1), spillover=theta)
    assert isinstance(fr, ImpureFreeRiding) and (fr.status == 0).all()
    assert (fr.gap > 0).all() and (fr.ratio < 1).all()  # under-provision
    assert (fr.optimum.welfare >= fr.nash.utility.sum(-1)).all()
    np.testing.assert_allclose(fr.burden, fr.nash.q / w)
    np.testing.assert_allclose(fr.private_share, 0.25)
    assert ((fr.private_benefit_share > 0) & (fr.private_benefit_share < 1)).all()
    # the money-metric losses add up to something positive: the optimum is better on the whole
    assert (fr.welfare_loss_total > 0).all()


def test_impure_measures_at_theta_one_agree_with_the_pure_measures():
    # identical allies: the utilitarian optimum is the Lindahl point
    pure = bd.free_riding([2.0, 2.0, 2.0], bd.CobbDouglas(0.4))
    impure = bd.free_riding([2.0, 2.0, 2.0], bd.CobbDouglas(0.4), spillover=1.0)
    np.testing.assert_allclose(impure.T_optimum, pure.G_lindahl, rtol=1e-6)
    np.testing.assert_allclose(impure.T_nash, pure.G_nash, rtol=1e-14)
    np.testing.assert_allclose(impure.exploitation, pure.exploitation, rtol=1e-14)
    np.testing.assert_allclose(impure.welfare_loss, pure.welfare_loss, rtol=1e-5)


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
    np.testing.assert_array_equal(ignored.q, bd.nash([3.0, 1.0], bd.CobbDouglas(0.5), spillover=0.5).q)


def test_unsupported_preferences_with_spillover():
    with pytest.raises(TypeError, match="linear first-order condition"):
        bd.nash([1.0, 2.0], bd.QuasiLinear(1.0), spillover=0.5)


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (0.6, 0.4, r"`a \+ b` must be < 1"),
        ([0.3, 0.7], 0.5, r"a\[1\] \+ b\[1\]"),
        (0.0, 0.2, r"`a` must lie in \(0, 1\)"),
        (0.3, -0.1, r"`b` must lie in \[0, 1\)"),
        (np.nan, 0.1, "`a` must be finite"),
        (0.3, [0.1, np.nan], "`b` must be finite"),
    ],
)
def test_bad_joint_product(a, b, message):
    with pytest.raises(ValueError, match=message):
        JointProduct(a, b)


def test_joint_product_bad_wealth_and_shapes():
    with pytest.raises(ValueError, match="`w` must be > 0"):
        bd.nash([1.0, -2.0], JointProduct(0.3, 0.1))
    with pytest.raises(ValueError, match="do not broadcast"):
        bd.nash([1.0, 2.0], JointProduct([0.3, 0.2, 0.1], 0.1))


def test_results_repr_and_frame():
    eq = bd.nash([3.0, 1.0], JointProduct(0.3, 0.1), spillover=0.5)
    assert "SpilloverEquilibrium(" in repr(eq) and "residual" in repr(eq)
    pytest.importorskip("pandas")
    assert len(eq.to_frame()) == 2
