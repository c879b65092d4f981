"""Tests of the batched LCP core `burden.lcp`.

Reference solutions come from an independent brute-force enumerator written here as a
plain loop (not `enumerate_solutions`), and from QuantEcon's `lcp_lemke`.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from burden import NotPMatrixWarning, Status
from burden.lcp import enumerate_solutions, is_p_matrix, solve

SOLVED, SOLVED_NOT_UNIQUE, SINGULAR = Status.SUCCESS, Status.NOT_UNIQUE, Status.SINGULAR


def brute_force(M, q, lower=None, upper=None, tol=1e-9):
    """All solutions of one box LCP, by a loop over every state pattern (lower/free/upper)."""
    n = len(q)
    lower = np.zeros(n) if lower is None else np.asarray(lower, float)
    upper = np.full(n, np.inf) if upper is None else np.asarray(upper, float)
    found = []
    for pattern in itertools.product("LFU", repeat=n):
        z = np.where(np.array(pattern) == "U", upper, lower).astype(float)
        if not np.isfinite(z).all():
            continue
        free = [i for i in range(n) if pattern[i] == "F"]
        bound = [i for i in range(n) if pattern[i] != "F"]
        if free:
            rhs = -(q[free] + M[np.ix_(free, bound)] @ z[bound])
            try:
                z[free] = np.linalg.solve(M[np.ix_(free, free)], rhs)
            except np.linalg.LinAlgError:
                continue
        w = M @ z + q
        ok = all(
            (lower[i] - tol <= z[i] <= upper[i] + tol and abs(w[i]) <= tol)
            if p == "F"
            else (w[i] >= -tol if p == "L" else w[i] <= tol)
            for i, p in enumerate(pattern)
        )
        if ok and not any(np.allclose(z, other, atol=1e-7) for other in found):
            found.append(z)
    return found


def random_p_matrix(rng, n):
    """A random P-matrix that is neither symmetric nor diagonally dominant in general.

    Built as A + A' + S with A a random matrix shifted to a positive definite symmetric
    part (so P), then skewed: x'Mx = x'(sym part)x > 0 for all x.
    """
    A = rng.normal(size=(n, n))
    skew = rng.normal(size=(n, n))
    return A @ A.T + 0.1 * np.eye(n) + (skew - skew.T)


def spill_in_matrix(rng, n, shape=()):
    """M = I + diag(c)(I + Θ) of the spill-in model (DESIGN §2.5), c = (1-a)/a, a ~ U(0.2, 0.8)."""
    a = rng.uniform(0.2, 0.8, (*shape, n))
    c = (1 - a) / a
    theta = rng.uniform(0, 1, (*shape, n, n)) * (1 - np.eye(n))
    return np.eye(n) + c[..., None] * (np.eye(n) + theta)


def assert_complementary(z, w, lower, upper, atol=1e-8):
    z, w = np.broadcast_arrays(z, w)
    lower, upper = np.broadcast_to(lower, z.shape), np.broadcast_to(upper, z.shape)
    assert (z >= lower - atol).all() and (z <= upper + atol).all()
    at_lower, at_upper = np.isclose(z, lower, atol=atol), np.isclose(z, upper, atol=atol)
    assert (w[at_lower & ~at_upper] >= -atol).all()
    assert (w[at_upper & ~at_lower] <= atol).all()
    assert np.allclose(w[~at_lower & ~at_upper], 0, atol=atol)


class TestAgainstBruteForce:
    @pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 10])
    def test_random_p_matrices(self, n):
        rng = np.random.default_rng(n)
        count = 4 if n == 10 else 10
        M = np.stack([random_p_matrix(rng, n) for _ in range(count)])
        q = rng.normal(size=(count, n))
        sol = solve(M, q)
        assert (sol.status == SOLVED).all()
        for k in range(count):
            (expected,) = brute_force_standard(M[k], q[k])
            np.testing.assert_allclose(sol.z[k], expected, atol=1e-9)
        np.testing.assert_allclose(sol.w, (M @ sol.z[..., None])[..., 0] + q, atol=1e-12)
        assert (sol.residual <= 1e-9).all()

    @pytest.mark.parametrize("n", [5, 7])
    def test_box_bounds(self, n):
        rng = np.random.default_rng(10 + n)
        count = 8
        M = np.stack([random_p_matrix(rng, n) for _ in range(count)])
        q = 3 * rng.normal(size=(count, n))
        lower = rng.uniform(-1, 0, (count, n))
        upper = lower + rng.uniform(0.1, 1, (count, n))
        upper[:, 0] = np.inf  # mixed: one variable bounded below only
        sol = solve(M, q, lower=lower, upper=upper)
        assert (sol.status == SOLVED).all()
        assert_complementary(sol.z, sol.w, lower, upper)
        for k in range(count):
            (expected,) = brute_force(M[k], q[k], lower[k], upper[k])
            np.testing.assert_allclose(sol.z[k], expected, atol=1e-9)
        assert ((sol.z >= lower) & (sol.z <= upper)).all()  # exactly, not up to rounding

    def test_box_n10_unique(self):
        rng = np.random.default_rng(20)
        M = np.stack([random_p_matrix(rng, 10) for _ in range(2)])
        q = 3 * rng.normal(size=(2, 10))
        sol = solve(M, q, lower=-1.0, upper=1.0)
        assert (sol.status == SOLVED).all() and is_p_matrix(M).all()
        assert_complementary(sol.z, sol.w, -1.0, 1.0)
        sols = enumerate_solutions(M, q, lower=-1.0, upper=1.0)
        np.testing.assert_array_equal(sols.count, 1)
        np.testing.assert_allclose(sols.z[:, 0], sol.z, atol=1e-9)

    def test_random_non_p_never_silently_wrong(self):
        rng = np.random.default_rng(21)
        M = rng.normal(size=(300, 4, 4))
        q = rng.normal(size=(300, 4))
        with pytest.warns(NotPMatrixWarning):
            sol = solve(M, q, max_iter=60)
        for k in range(300):
            expected = brute_force_standard(M[k], q[k])
            if sol.success[k]:
                assert any(np.allclose(sol.z[k], z, atol=1e-8) for z in expected)
                assert sol.status[k] == (SOLVED if is_p_matrix(M[k]) else SOLVED_NOT_UNIQUE)
            else:
                assert np.isnan(sol.z[k]).all() and not is_p_matrix(M[k])
        assert (sol.status == SOLVED_NOT_UNIQUE).any() and (~sol.success).any()

    def test_enumerate_matches_brute_force_on_non_p_matrices(self):
        rng = np.random.default_rng(3)
        M = rng.normal(size=(30, 3, 3))
        q = rng.normal(size=(30, 3))
        sols = enumerate_solutions(M, q)
        for k in range(30):
            expected = brute_force(M[k], q[k])
            assert sols.count[k] == len(expected)
            got = sols.z[k, : sols.count[k]]
            for z in expected:
                assert np.isclose(got, z, atol=1e-8).all(-1).any()
            assert np.isnan(sols.z[k, sols.count[k] :]).all()

    def test_enumerate_box(self):
        rng = np.random.default_rng(4)
        M = rng.normal(size=(20, 3, 3))
        q = rng.normal(size=(20, 3))
        sols = enumerate_solutions(M, q, upper=1.0)
        for k in range(20):
            assert sols.count[k] == len(brute_force(M[k], q[k], np.zeros(3), np.ones(3)))
        valid = ~np.isnan(sols.z)
        assert ((sols.z[valid] >= 0) & (sols.z[valid] <= 1)).all()


def brute_force_standard(M, q):
    """Solutions of a standard LCP by looping over the 2**n complementary bases."""
    n = len(q)
    found = []
    for free in itertools.product([False, True], repeat=n):
        F = np.flatnonzero(free)
        z = np.zeros(n)
        if F.size:
            z[F] = np.linalg.solve(M[np.ix_(F, F)], -q[F])
        w = M @ z + q
        if (z >= -1e-10).all() and (w >= -1e-10).all() and np.allclose(z * w, 0, atol=1e-10):
            found.append(z)
    return found


class TestDegenerateAndNonP:
    def test_degenerate_tie_is_listed_once(self):
        # q = 0 with M = I: z = 0 solves every basis at once (w = 0 too).
        sols = enumerate_solutions(np.eye(3), np.zeros(3))
        assert sols.count == 1
        np.testing.assert_array_equal(sols.z[0], 0.0)
        sol = solve(np.eye(3), np.zeros(3))
        assert sol.status == SOLVED and np.array_equal(sol.z, np.zeros(3))

    def test_degenerate_box(self):
        # z_1 = 1 is both at the upper bound and where w_1 = 0.
        sol = solve(np.eye(2), [-1.0, 0.5], upper=1.0)
        np.testing.assert_allclose(sol.z, [1.0, 0.0])
        assert enumerate_solutions(np.eye(2), [-1.0, 0.5], upper=1.0).count == 1

    def test_multiple_solutions_flagged(self):
        # M = [[1, 2], [2, 1]] is not P (det < 0): three solutions (derived by hand:
        # (1, 0), (0, 1), (1/3, 1/3)).
        M, q = np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([-1.0, -1.0])
        with pytest.warns(NotPMatrixWarning):
            sol = solve(M, q)
        assert sol.status == SOLVED_NOT_UNIQUE and not sol.p_matrix
        assert any(np.allclose(sol.z, z) for z in ([1, 0], [0, 1], [1 / 3, 1 / 3]))
        assert sol.residual <= 1e-12

    def test_no_solution(self):
        # M = -I, q = -1: w = -z - 1 < 0 for every z >= 0, so there is no solution.
        with pytest.warns(NotPMatrixWarning):
            sol = solve(-np.eye(2), [-1.0, -1.0])
        assert sol.status < 0
        assert np.isnan(sol.z).all() and np.isnan(sol.residual)
        assert enumerate_solutions(-np.eye(2), [-1.0, -1.0]).count == 0

    def test_singular_pivot(self):
        # M_FF = [[0]] for the first variable once it must become free.
        with pytest.warns(NotPMatrixWarning):
            sol = solve([[0.0, 1.0], [1.0, 1.0]], [-1.0, 1.0])
        assert sol.status == SINGULAR and np.isnan(sol.z).all()

    def test_cycling_falls_back_to_lemke(self):
        # Non-P spill-in-like matrices with strong spill-ins can make principal pivoting cycle
        # (the generator is chosen so that some do, within 40 steps). The matrices are
        # nonnegative with a positive diagonal (strictly copositive), so Lemke's algorithm
        # solves every one: all must be certified, and those that needed Lemke flagged.
        rng = np.random.default_rng(0)
        M = spill_in_matrix(rng, 12, (200,)) * rng.uniform(0.5, 3, (200, 12, 1))
        M[..., np.arange(12), np.arange(12)] *= 0.3
        q = -rng.lognormal(size=(200, 12))
        with pytest.warns(NotPMatrixWarning):
            sol = solve(M, q, max_iter=40)
        assert sol.success.all()
        assert_complementary(sol.z, sol.w, 0.0, np.inf)
        lemke = sol.iterations > 40  # pivoting spent its budget, then Lemke pivoted
        assert lemke.any() and (sol.status[lemke] == SOLVED_NOT_UNIQUE).all()

    def test_fixed_variables(self):
        sol = solve([[2.0, 1.0], [1.0, 2.0]], [-5.0, 1.0], lower=[0.5, 0.0], upper=[0.5, np.inf])
        np.testing.assert_allclose(sol.z, [0.5, 0.0])
        assert sol.status == SOLVED


class TestPMatrix:
    def test_is_p_matrix_small(self):
        rng = np.random.default_rng(5)
        M = rng.normal(size=(50, 4, 4)) + 1.5 * np.eye(4)
        exact = is_p_matrix(M)
        loop = [
            all(
                np.linalg.det(m[np.ix_(s, s)]) > 0
                for k in range(1, 5)
                for s in itertools.combinations(range(4), k)
            )
            for m in M
        ]
        np.testing.assert_array_equal(exact, loop)
        assert exact.any() and not exact.all()

    def test_solve_reports_p_matrix(self):
        spd = np.array(
            [[4.0, 1, 0, 0, 1], [1, 3, 1, 0, 0], [0, 1, 2, 0, 0], [0, 0, 0, 1, 0], [1, 0, 0, 0, 1]]
        )
        dominant = 5 * np.eye(5) + np.random.default_rng(0).uniform(-1, 1, (5, 5))
        unknown = spd + np.triu(np.ones((5, 5)), 1) * 0.5  # P, but the cheap tests cannot tell
        sol = solve(np.stack([spd, dominant, unknown]), np.ones(5))
        np.testing.assert_array_equal(sol.p_matrix, [True, True, False])

    def test_bad_max_n(self):
        with pytest.raises(ValueError, match="max_n"):
            is_p_matrix(np.eye(11))
        with pytest.raises(ValueError, match="max_n"):
            enumerate_solutions(np.eye(4), np.ones(4), max_n=3)


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batch_equals_loop(shape):
    rng = np.random.default_rng(len(shape))
    n = 6
    M = spill_in_matrix(rng, n, shape) / 4
    q = rng.normal(size=(*shape, n))
    upper = rng.uniform(0.5, 2, (*shape, n))
    sol = solve(M, q, upper=upper)
    sols = enumerate_solutions(M, q, upper=upper)
    assert sol.z.shape == (*shape, n) and sol.status.shape == shape and sol.p_matrix.shape == shape
    for index in np.ndindex(shape):
        one = solve(M[index], q[index], upper=upper[index])
        for field in ("z", "w", "status", "iterations", "residual", "p_matrix"):
            np.testing.assert_array_equal(getattr(sol, field)[index], getattr(one, field))
        many = enumerate_solutions(M[index], q[index], upper=upper[index])
        assert sols.count[index] == many.count
        np.testing.assert_array_equal(sols.z[index][: many.count], many.z)


def test_broadcasting_shared_matrix():
    M = np.array([[2.0, 1.0], [1.0, 2.0]])
    q = np.array([[-1.0, 1.0], [-3.0, -3.0], [1.0, 1.0]])
    sol = solve(M, q, upper=[[np.inf], [0.5], [1.0]])
    assert sol.z.shape == (3, 2)
    np.testing.assert_allclose(sol.z, [[0.5, 0.0], [0.5, 0.5], [0.0, 0.0]])


def test_against_quantecon_lemke():
    optimize = pytest.importorskip("quantecon.optimize")
    rng = np.random.default_rng(6)
    n, count = 15, 40
    M = spill_in_matrix(rng, n, (count,))
    q = -rng.lognormal(size=(count, n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotPMatrixWarning)  # strong spill-ins can make M non-P
        sol = solve(M, q)
    for k in range(count):
        ref = optimize.lcp_lemke(M[k], q[k])
        assert ref.success
        if sol.status[k] == SOLVED:
            np.testing.assert_allclose(sol.z[k], ref.z, atol=1e-9)
    assert (sol.status == SOLVED).mean() > 0.9


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 8),
    a=hnp.arrays(np.float64, 8, elements=st.floats(0.05, 0.95)),
    theta=hnp.arrays(np.float64, (8, 8), elements=st.floats(0, 1)),
    income=hnp.arrays(np.float64, 8, elements=st.floats(0.01, 100)),
)
def test_spill_in_property(n, a, theta, income):
    """Spill-in LCPs have a solution (the game has a Nash equilibrium); every answer is certified."""
    c = (1 - a[:n]) / a[:n]
    M = np.eye(n) + c[:, None] * (np.eye(n) + theta[:n, :n] * (1 - np.eye(n)))
    q = -income[:n]
    sols = enumerate_solutions(M, q)
    assert sols.count >= 1
    p_matrix = is_p_matrix(M)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotPMatrixWarning)
        sol = solve(M, q)
    if p_matrix:
        assert sol.status == SOLVED and sols.count == 1
    if sol.success:
        assert_complementary(sol.z, sol.w, 0.0, np.inf, atol=1e-7 * (1 + np.abs(q).max()))
        assert np.isclose(sols.z[: sols.count], sol.z, atol=1e-7 * (1 + np.abs(sol.z).max())).all(-1).any()
    else:
        assert np.isnan(sol.z).all() and not p_matrix


class TestBadInput:
    def test_non_square(self):
        with pytest.raises(ValueError, match="`M` must have shape"):
            solve(np.ones((2, 3)), np.ones(2))

    def test_mismatched_q(self):
        with pytest.raises(ValueError, match="`q` must have shape"):
            solve(np.eye(3), np.ones(2))

    def test_batch_mismatch(self):
        with pytest.raises(ValueError, match="do not broadcast"):
            solve(np.ones((4, 2, 2)), np.ones((3, 2)))

    def test_nan(self):
        with pytest.raises(ValueError, match="`M` must be finite"):
            solve([[np.nan]], [1.0])
        with pytest.raises(ValueError, match="`q` must be finite"):
            solve([[1.0]], [np.nan])
        with pytest.raises(ValueError, match="`upper`"):
            solve([[1.0]], [1.0], upper=np.nan)

    def test_lower_above_upper(self):
        with pytest.raises(ValueError, match=r"`lower` must be <= `upper`; lower\[1\]"):
            solve(np.eye(2), np.ones(2), lower=[0.0, 2.0], upper=1.0)

    def test_infinite_lower(self):
        with pytest.raises(ValueError, match="`lower` must be finite"):
            solve(np.eye(2), np.ones(2), lower=-np.inf)

    def test_types_and_options(self):
        with pytest.raises(TypeError, match="`M`"):
            solve([["a"]], [1.0])
        with pytest.raises(ValueError, match="max_iter"):
            solve(np.eye(2), np.ones(2), max_iter=-1)
        with pytest.raises(ValueError, match="tol"):
            solve(np.eye(2), np.ones(2), tol=0.0)
