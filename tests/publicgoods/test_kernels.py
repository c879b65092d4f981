"""Tests of the compiled sort-and-add kernel (burden.publicgoods._kernels via _linear)."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import burden as bd
from burden.publicgoods._linear import CERTIFICATE_RTOL, nash_linear, sort_and_add


def reference_sort_and_add(A, c, G0):
    """Andreoni–McGuire in plain numpy: full sort, prefix totals, their peak (independent of the kernel)."""
    c = np.broadcast_to(c, A.shape)
    with np.errstate(invalid="ignore"):  # θ = 0 makes every A/c 0/0; any order then gives G0
        order = np.argsort(-(A / c), axis=-1)
    A_s, c_s = np.take_along_axis(A, order, -1), np.take_along_axis(c, order, -1)
    G_k = (G0[:, None] + np.cumsum(A_s, -1)) / (1.0 + np.cumsum(c_s, -1))
    G = np.maximum(G0, G_k.max(-1))
    return np.maximum(0.0, A - c * G[:, None]), G


def reference_spillover(A, c, G0, theta):
    """Scalar spill-ins through the transformed pure-good equation, in plain numpy."""
    c = np.broadcast_to(c, A.shape)
    d = 1.0 + c * (1.0 - theta[:, None])
    _, V = reference_sort_and_add(theta[:, None] * A / d, theta[:, None] * c / d, G0)
    return np.maximum(0.0, A - c * V[:, None]) / d, V


def best_response_iteration(A, c, G0, theta, sweeps=20000):
    """Gauss–Seidel on the spill-in best responses q_i = max(0, A_i - c_i S_i)/(1 + c_i), one scenario."""
    q = np.zeros_like(A)
    for _ in range(sweeps):
        before = q.copy()
        for i in range(A.size):
            S = G0 + theta * (q.sum() - q[i])
            q[i] = max(0.0, A[i] - c[i] * S) / (1.0 + c[i])
        if np.abs(q - before).max() <= 1e-15 * A.max():
            break
    return q


def random_problem(rng, rows, n):
    A = rng.lognormal(2.0, 1.0, (rows, n))
    c = rng.uniform(0.1, 4.0, (rows, n))
    G0 = np.where(rng.uniform(size=rows) < 0.3, rng.uniform(0.0, 20.0, rows), 0.0)
    return A, c, G0


# -- against independent references ----------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 7, 30, 200])
def test_pure_good_matches_the_numpy_reference(rng, n):
    A, c, G0 = random_problem(rng, 500, n)
    eq = nash_linear(A, 0.0, c, 1.0, G0)
    g, G = reference_sort_and_add(A, c, G0)
    np.testing.assert_allclose(eq.G, G, rtol=1e-12)
    np.testing.assert_allclose(eq.g, g, rtol=1e-12, atol=1e-12 * A.max())
    assert eq.certified().all()
    np.testing.assert_array_equal(eq.contributors, eq.g > 0)
    np.testing.assert_array_equal(eq.dropout, A / c)


def test_spillover_matches_the_numpy_reference(rng):
    A, c, G0 = random_problem(rng, 500, 9)
    theta = rng.uniform(0.0, 1.0, 500)
    theta[:20] = 0.0
    theta[20:40] = 1.0
    eq = nash_linear(A, 0.0, c, 1.0, G0, spillover=theta)
    q, V = reference_spillover(A, c, G0, theta)
    np.testing.assert_allclose(eq.G, V, rtol=1e-12)
    np.testing.assert_allclose(eq.g, q, rtol=1e-12, atol=1e-12 * A.max())
    np.testing.assert_allclose(eq.G[:20], G0[:20], rtol=0)  # θ = 0: nobody's defence spills over
    assert eq.certified().all()


@pytest.mark.parametrize("theta", [0.0, 0.35, 1.0])
def test_spillover_matches_best_response_iteration(rng, theta):
    A, c, G0 = random_problem(rng, 8, 5)
    eq = nash_linear(A, 0.0, c, 1.0, G0, spillover=theta)
    for k in range(8):
        q = best_response_iteration(A[k], c[k], G0[k], theta)
        np.testing.assert_allclose(eq.g[k], q, rtol=1e-10, atol=1e-10 * A[k].max())


@pytest.mark.parametrize(
    "prefs",
    [bd.CobbDouglas([0.3, 0.5, 0.7]), bd.CES([0.4, 0.5, 0.6], -0.7), bd.StoneGeary(0.5, 2.0, 3.0)],
    ids=["cobb_douglas", "ces", "stone_geary"],
)
def test_every_linear_family_matches_brute_force(prefs, brute_force):
    w, p, G0 = np.array([40.0, 25.0, 12.0]), 1.3, 2.0
    x0, c = prefs.linear_foc(np.asarray(p))
    eq = nash_linear(w, x0, c, p, G0)
    g, G = brute_force(w, prefs, p=p, G0=G0)
    np.testing.assert_allclose(eq.G, G, rtol=1e-7)
    np.testing.assert_allclose(eq.g, g, atol=1e-6 * w.max())
    np.testing.assert_allclose(eq.x, w - p * eq.g, rtol=1e-12)  # the budget holds
    assert eq.certified()


def test_sort_and_add_is_a_view_of_nash_linear(rng):
    A, c, G0 = random_problem(rng, 50, 6)
    full = nash_linear(A, 0.0, c, 1.0, G0)
    g, G = sort_and_add(A, c, G0)
    np.testing.assert_array_equal(g, full.g)
    np.testing.assert_array_equal(G, full.G)


def test_broadcast_inputs_and_batch_shapes(rng):
    w = rng.lognormal(2.0, 1.0, (3, 4, 5))
    c = rng.uniform(0.5, 2.0, 5)  # shared by every scenario
    p = rng.uniform(0.5, 2.0, (3, 1))  # varies along one batch axis only
    eq = nash_linear(w, 0.0, c, p, 0.0)
    assert eq.g.shape == (3, 4, 5) and eq.G.shape == (3, 4) and eq.in_bounds.shape == (3, 4)
    for i, j in np.ndindex(3, 4):
        single = nash_linear(w[i, j], 0.0, c, p[i, 0], 0.0)
        np.testing.assert_array_equal(eq.g[i, j], single.g)
        np.testing.assert_array_equal(eq.G[i, j], single.G)


@pytest.mark.parametrize("shared", ["w", "x0", "c", "w and c"])
def test_each_input_may_be_shared_by_every_scenario(rng, shared):
    # a shared input reaches the kernel as one row: each is read from its own row index
    rows, n = 40, 6
    full = {
        "w": rng.lognormal(2.0, 1.0, (rows, n)),
        "x0": rng.uniform(0.0, 1.0, (rows, n)),
        "c": rng.uniform(0.5, 2.0, (rows, n)),
    }
    args = {k: (np.broadcast_to(v[0], (rows, n)) if k in shared else v) for k, v in full.items()}
    eq = nash_linear(args["w"], args["x0"], args["c"], 1.0, 0.5)
    for r in range(rows):
        single = nash_linear(args["w"][r], args["x0"][r], args["c"][r], 1.0, 0.5)
        np.testing.assert_array_equal(eq.g[r], single.g)
        np.testing.assert_array_equal(eq.x[r], single.x)
        np.testing.assert_array_equal(eq.G[r], single.G)
    assert eq.certified().all()


def test_empty_batch():
    eq = nash_linear(np.empty((0, 3)), 0.0, 1.0, 1.0, 0.0)
    assert eq.g.shape == (0, 3) and eq.G.shape == (0,)


# -- threads ----------------------------------------------------------------------------------


def test_results_are_bit_identical_for_every_thread_count(rng):
    A, c, G0 = random_problem(rng, 3000, 12)
    theta = rng.uniform(0.0, 1.0, 3000)
    one = nash_linear(A, 0.0, c, 1.0, G0, spillover=theta, workers=1)
    for workers, chunk in [(2, 7), (2, 8192), (1, 1)]:
        other = nash_linear(A, 0.0, c, 1.0, G0, spillover=theta, workers=workers, chunk=chunk)
        for a, b in zip(one, other, strict=True):
            np.testing.assert_array_equal(a, b)


def test_cold_cache_compiles_and_solves(tmp_path):
    """A fresh install has no numba cache: the kernel compiles on first call and is right."""
    script = textwrap.dedent(
        """
        import numpy as np
        from burden.publicgoods._linear import nash_linear
        eq = nash_linear(np.array([[100.0, 80.0], [100.0, 40.0]]), 0.0, 1.0, 1.0, 0.0)
        assert eq.g.tolist() == [[40.0, 20.0], [50.0, 0.0]], eq.g
        assert eq.certified().all()
        """
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert any(tmp_path.rglob("*.nbi")), "the compiled kernel was not cached"


# -- edge cases -------------------------------------------------------------------------------


def test_single_member_is_its_standalone_demand():
    eq = nash_linear(np.array([[50.0]]), 0.0, np.array([7.0 / 3.0]), 2.0, 0.0)  # Cobb–Douglas a = 0.3
    np.testing.assert_allclose(eq.g, [[0.3 * 50.0 / 2.0]], rtol=1e-15)


def test_identical_members_share_equally():
    # n identical members with c = 1: G = n w / (n + 1), each gives w / (n + 1) (derived)
    eq = nash_linear(np.full((1, 40), 10.0), 0.0, 1.0, 1.0, 0.0)
    np.testing.assert_allclose(eq.g, 10.0 / 41.0, rtol=1e-14)
    np.testing.assert_allclose(eq.G, 400.0 / 41.0, rtol=1e-14)


def test_exogenous_provision_above_every_dropout_level():
    eq = nash_linear(np.array([100.0, 80.0]), 0.0, 1.0, 1.0, 150.0)
    assert eq.G == 150.0 and not eq.contributors.any()
    np.testing.assert_array_equal(eq.x, [100.0, 80.0])
    assert eq.certified()


def test_ties_at_and_around_the_margin():
    # two tied top members, one tied exactly at the equilibrium (Q = G = 100/1.5 * ... derived below)
    # members Q = (100, 100, 60) with c = 1: top two give G = 200/3 > 60: the third free-rides
    eq = nash_linear(np.array([100.0, 100.0, 60.0, 60.0]), 0.0, 1.0, 1.0, 0.0)
    np.testing.assert_allclose(eq.G, 200.0 / 3.0, rtol=1e-15)
    np.testing.assert_allclose(eq.g, [100.0 / 3.0, 100.0 / 3.0, 0.0, 0.0], rtol=1e-15)
    # a member whose drop-out level equals the equilibrium exactly contributes nothing
    eq = nash_linear(np.array([100.0, 50.0]), 0.0, 1.0, 1.0, 0.0)
    assert eq.G == 50.0 and eq.g.tolist() == [50.0, 0.0]


def test_negative_intercepts_never_contribute():
    # Stone–Geary members below subsistence have A < 0
    eq = nash_linear(np.array([[30.0, 5.0]]), 10.0, 1.0, 1.0, 0.0)
    np.testing.assert_allclose(eq.g, [[10.0, 0.0]])
    np.testing.assert_array_equal(eq.x, [[20.0, 5.0]])


def test_tiny_share_keeps_full_relative_precision():
    # Cobb–Douglas with a = 1e-12 alone: g = a w / p exactly; A - c G would cancel 40 bits
    for a in [1e-12, 1e-200, 1e-300]:
        c = (1.0 - a) / a
        eq = nash_linear(np.array([[100.0]]), 0.0, np.array([c]), 1.0, 0.0)
        np.testing.assert_allclose(eq.g, [[100.0 / (1.0 + c)]], rtol=1e-14)
        np.testing.assert_allclose(eq.G, [100.0 / (1.0 + c)], rtol=1e-14)
        assert eq.certified()


@pytest.mark.parametrize("scale", [1e-300, 1e-200, 1e-100, 1.0, 1e100, 1e200, 1e300, 1e308])
def test_extreme_scales_are_exact_and_certified(rng, scale):
    A, c, G0 = random_problem(rng, 200, 6)
    unit = nash_linear(A, 0.0, c, 1.0, G0)
    A = A / A.max() * scale  # the largest wealth is exactly `scale`
    G0 = G0 / G0.max() * scale
    eq = nash_linear(A, 0.0, c, 1.0, G0)
    assert eq.certified().all() and np.isfinite(eq.G).all()
    # the problem is homogeneous of degree one in (w, G0)
    np.testing.assert_allclose(eq.G / scale, unit.G / (unit.G / eq.G * scale), rtol=1e-12)
    np.testing.assert_allclose(eq.g.sum(-1) + G0, eq.G, rtol=1e-12)


def test_overflowing_answers_are_flagged_not_certified():
    # the equilibrium itself lies beyond the largest double: inf, and the certificate says so
    eq = nash_linear(np.array([[1e308, 1e308]]), 0.0, 1e-10, 1.0, 0.0)
    assert not eq.certified().any()
    assert np.isinf(eq.identity_residual).all()
    # the example: within range after rescaling, a finite certified answer
    eq = nash_linear(np.array([1e308, 1e308]), 0.0, 1.0, 1.0, 0.0)
    np.testing.assert_allclose(eq.G, 1e308 * (2.0 / 3.0), rtol=1e-15)
    assert eq.certified()


def test_nan_or_infinite_slopes_are_flagged():
    eq = nash_linear(
        np.array([[100.0, 80.0], [100.0, 80.0]]), 0.0, np.array([[np.nan, 1.0], [np.inf, np.inf]]), 1.0, 0.0
    )
    assert not eq.certified()[0]
    assert eq.identity_residual[0] == np.inf
    # c = inf is the limit a -> 0 of a member who buys nothing: g = 0 is exact there
    np.testing.assert_array_equal(eq.g[1], [0.0, 0.0])


def test_bounds_violation_is_reported():
    # x0 < 0 (Stone–Geary with a large subsistence level of the good) can make g exceed w / p
    eq = nash_linear(np.array([[10.0, 1.0]]), -50.0, 1.0, 1.0, 0.0)
    assert not eq.in_bounds[0]
    assert not eq.certified()[0]


def test_certificate_tolerance_is_far_above_rounding(rng):
    A, c, G0 = random_problem(rng, 2000, 30)
    eq = nash_linear(A, 0.0, c, 1.0, G0, spillover=rng.uniform(0, 1, 2000))
    assert eq.identity_residual.max() < 1e-3 * CERTIFICATE_RTOL
    assert eq.br_residual.max() < 1e-3 * CERTIFICATE_RTOL


# -- certificate as a property over extreme floats ----------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    log_w=arrays(np.float64, (4, 5), elements=st.floats(-300.0, 300.0)),
    log_c=arrays(np.float64, (4, 5), elements=st.floats(-12.0, 12.0)),
    log_G0=arrays(np.float64, 4, elements=st.floats(-300.0, 300.0)),
    theta=arrays(np.float64, 4, elements=st.floats(0.0, 1.0)),
)
def test_a_certified_answer_is_an_equilibrium(log_w, log_c, log_G0, theta):
    """Whenever the kernel certifies a scenario, its best responses hold (checked here in numpy)."""
    w, c, G0 = 10.0**log_w, 10.0**log_c, np.where(log_G0 > 0, 10.0**log_G0, 0.0)
    eq = nash_linear(w, 0.0, c, 1.0, G0, spillover=theta)
    ok = eq.certified()
    assert np.isfinite(eq.G[ok]).all() and np.isfinite(eq.g[ok]).all()
    q, V = eq.g[ok], eq.G[ok]
    S = V[:, None] - theta[ok, None] * q
    with np.errstate(over="ignore", invalid="ignore"):
        best = np.maximum(0.0, w[ok] - c[ok] * S) / (1.0 + c[ok])
        scale = np.maximum(w[ok], c[ok] * S) / (1.0 + c[ok])
    assert (np.abs(q - best) <= 1e-9 * scale).all()
    assert (q >= 0).all() and (q <= w[ok]).all()
