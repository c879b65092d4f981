"""Tests of joint products (burden.JointProduct with burden.nash)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

import burden as bd


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


# -- joint products ----------------------------------------------------------------------------


def test_joint_product_best_response_is_the_documented_quadratic_and_the_maximum(rng):
    a, b = rng.uniform(0.05, 0.5, 30), rng.uniform(0.0, 0.45, 30)
    S, w, p = rng.uniform(0, 20, 30), rng.uniform(1, 20, 30), rng.uniform(0.5, 2, 30)
    jp = bd.JointProduct(a, b)
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
    eq = bd.nash(np.full(n, w), bd.JointProduct(a, b))
    np.testing.assert_allclose(eq.g, (a / n + b) * w / (a / n + b + c), rtol=1e-13)
    assert eq.status == 0


@pytest.mark.parametrize("kind", ["scalar", "matrix"])
def test_joint_products_match_best_response_iteration(
    kind, rng, best_response_iteration, geographic_spillins
):
    w = rng.uniform(5, 30, 4)
    jp = bd.JointProduct([0.3, 0.4, 0.2, 0.35], [0.1, 0.0, 0.3, 0.05])
    theta = 0.7 if kind == "scalar" else geographic_spillins(rng, (), 4, length=0.6)
    eq = bd.nash(w, jp, p=0.8, G0=1.0, spillover=theta)
    np.testing.assert_allclose(
        eq.g, best_response_iteration(w, jp, theta, p=0.8, G0=1.0), rtol=1e-6, atol=1e-6
    )
    assert eq.status == 0 and eq.residual < 1e-10


@pytest.mark.parametrize("b", [1e-10, 1e-40, 2.2e-128])
@pytest.mark.parametrize("theta", [0.5, 1.0])
def test_tiny_private_benefit_at_the_public_drop_out_level(b, theta):
    # A lone ally (w = 1, a = 1/2) whose spill-in G0 = 1 is exactly its drop-out level for the
    # public motive buys only for the private benefit, far below the last digit of G0. Derived:
    # its first-order condition (1/2 - b)/(1 - g) = (1/2)/(1 + g) + b/g reduces to
    # g² - b g - b = 0, so g = (b + sqrt(b² + 4 b))/2 (about sqrt(b)).
    a, w, G0 = 0.5, 1.0, 1.0
    g_ref = (b + np.sqrt(b * b + 4.0 * b)) / 2.0
    eq = bd.nash([w], bd.JointProduct(a, b), G0=G0, spillover=theta)
    assert eq.status == bd.Status.SUCCESS
    np.testing.assert_allclose(eq.g, [g_ref], rtol=1e-9)


def test_joint_product_without_private_benefit_is_cobb_douglas(rng):
    w, a = rng.lognormal(0, 1, (25, 6)), rng.uniform(0.1, 0.9, (25, 6))
    jp, cd = bd.nash(w, bd.JointProduct(a, 0.0), p=1.7), bd.nash(w, bd.CobbDouglas(a), p=1.7)
    np.testing.assert_allclose(jp.g, cd.g, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("batch", [(), (5,), (2, 3)])
def test_joint_product_matrix_batch_equals_loop(batch, rng, geographic_spillins):
    n = 5
    w = rng.lognormal(0, 1, (*batch, n))
    theta = geographic_spillins(rng, batch, n)
    eq = bd.nash(w, bd.JointProduct(0.3, 0.1), spillover=theta)
    assert (eq.status == 0).all() and eq.g.shape == (*batch, n)
    for index in np.ndindex(*batch):
        one = bd.nash(w[index], bd.JointProduct(0.3, 0.1), spillover=theta[index])
        np.testing.assert_allclose(eq.g[index], one.g, rtol=1e-10)


@settings(max_examples=30, deadline=None)
@given(
    ratio=st.floats(1.2, 10.0),
    total=st.floats(0.2, 0.9),
    share=st.tuples(st.floats(0.0, 0.9), st.floats(0.0, 0.9)).map(sorted),
    theta=st.floats(0.3, 1.0),
)
def test_larger_private_share_lowers_exploitation_of_the_large(ratio, total, share, theta):
    """Benefit–burden concordance (docs/impure.md): a more private motive, less free riding."""
    w = [ratio, 1.0]

    def index(pi):
        fr = bd.free_riding(w, bd.JointProduct(total * (1 - pi), total * pi), spillover=theta)
        return fr.nash.g[0] / (fr.nash.G - 0.0) / (ratio / (ratio + 1))

    assert index(share[1]) <= index(share[0]) + 1e-9


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
        bd.JointProduct(a, b)


def test_joint_product_bad_wealth_and_shapes():
    with pytest.raises(ValueError, match="`w` must be > 0"):
        bd.nash([1.0, -2.0], bd.JointProduct(0.3, 0.1))
    with pytest.raises(ValueError, match="do not broadcast"):
        bd.nash([1.0, 2.0], bd.JointProduct([0.3, 0.2, 0.1], 0.1))
