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
    """M = I + diag(c)(I + Θ) of the spill-in model (docs/impure.md), c = (1-a)/a, a ~ U(0.2, 0.8)."""
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
        assert (sol.status == Status.SUCCESS).all()
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
        assert (sol.status == Status.SUCCESS).all()
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
        assert (sol.status == Status.SUCCESS).all() and is_p_matrix(M).all()
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
                assert sol.status[k] == (Status.SUCCESS if is_p_matrix(M[k]) else Status.NOT_UNIQUE)
            else:
                assert np.isnan(sol.z[k]).all() and not is_p_matrix(M[k])
        assert (sol.status == Status.NOT_UNIQUE).any() and (~sol.success).any()

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
        assert sol.status == Status.SUCCESS and np.array_equal(sol.z, np.zeros(3))

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
        assert sol.status == Status.NOT_UNIQUE and not sol.p_matrix
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
        assert sol.status == Status.SINGULAR and np.isnan(sol.z).all()

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
        assert lemke.any() and (sol.status[lemke] == Status.NOT_UNIQUE).all()

    def test_fixed_variables(self):
        sol = solve([[2.0, 1.0], [1.0, 2.0]], [-5.0, 1.0], lower=[0.5, 0.0], upper=[0.5, np.inf])
        np.testing.assert_allclose(sol.z, [0.5, 0.0])
        assert sol.status == Status.SUCCESS


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
        if sol.status[k] == Status.SUCCESS:
            np.testing.assert_allclose(sol.z[k], ref.z, atol=1e-9)
    assert (sol.status == Status.SUCCESS).mean() > 0.9


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
        assert sol.status == Status.SUCCESS and sols.count == 1
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


class TestStatusAndResult:
    def test_status_vocabulary(self):
        rng = np.random.default_rng(30)
        M = rng.normal(size=(200, 3, 3))
        q = rng.normal(size=(200, 3))
        with pytest.warns(NotPMatrixWarning):
            sol = solve(M, q)
        assert sol.status.dtype == np.int8
        assert set(np.unique(sol.status)) <= {int(s) for s in Status}
        np.testing.assert_array_equal(sol.success, sol.status >= 0)
        assert np.isfinite(sol.z[sol.success]).all() and np.isnan(sol.z[~sol.success]).all()
        assert not hasattr(__import__("burden.lcp").lcp, "Status.SUCCESS")  # one vocabulary only

    def test_enumeration_status(self):
        M = np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]], -np.eye(2)])
        sols = enumerate_solutions(M, [[-1.0, 1.0], [-1.0, -1.0], [-1.0, -1.0]])
        np.testing.assert_array_equal(sols.count, [1, 3, 0])
        np.testing.assert_array_equal(sols.status, [Status.SUCCESS, Status.NOT_UNIQUE, Status.INFEASIBLE])

    def test_pickle_and_processes(self):
        import multiprocessing
        import pickle
        from concurrent.futures import ProcessPoolExecutor

        M, q = np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([[-1.0, 1.0], [-3.0, -3.0]])
        sol, sols = solve(M, q), enumerate_solutions(M, q)
        assert pickle.loads(pickle.dumps(sol)) == sol
        assert pickle.loads(pickle.dumps(sols)) == sols
        # spawn: a fork after numba's OpenMP threads have run is unsafe (GNU OpenMP aborts)
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            assert pool.submit(solve, M, q).result() == sol

    @pytest.mark.parametrize("tol", [1e-12, 1e-9, 1e-6, 0.5])
    def test_tol_keyword(self, tol):
        rng = np.random.default_rng(31)
        M = np.stack([random_p_matrix(rng, 6) for _ in range(5)])
        q = rng.normal(size=(5, 6))
        sol = solve(M, q, tol=tol)
        assert (sol.status == Status.SUCCESS).all() and (sol.residual <= tol).all()
        np.testing.assert_allclose(sol.z, solve(M, q).z, atol=1e-9)

    def test_workers_bit_identical(self):
        # P, non-P (some via the Lemke fallback) and failing instances in one batch.
        rng = np.random.default_rng(32)
        M = spill_in_matrix(rng, 12, (300,)) * rng.uniform(0.5, 3, (300, 12, 1))
        M[..., np.arange(12), np.arange(12)] *= rng.choice([0.3, 1.0], (300, 1))
        M[:20] *= -1.0  # no solution for these (w < 0 whenever z >= 0 ... or none at all)
        q = -rng.lognormal(size=(300, 12))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotPMatrixWarning)
            one = solve(M, q, workers=1)
            assert one == solve(M, q, workers=2) == solve(M, q, workers=-1)
        assert (one.status == Status.SUCCESS).any() and (one.status == Status.NOT_UNIQUE).any()
        assert (~one.success).any()


class TestScaleFree:
    def test_tiny_scale_regression(self):
        # Derived: M = [[2, 1], [1, 2]], q = (-1, 1) has the unique solution (0.5, 0) at every scale.
        M, q = np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([-1.0, 1.0])
        for k in (1e-300, 1e-100, 1e-12, 1.0, 1e12, 1e100, 1e300):
            sol = solve(k * M, k * q)
            np.testing.assert_allclose(sol.z, [0.5, 0.0], rtol=1e-15, atol=0)
            assert sol.status == Status.SUCCESS and sol.residual <= 1e-15
            sols = enumerate_solutions(k * M, k * q)
            assert sols.count == 1 and sols.status == Status.SUCCESS
            np.testing.assert_allclose(sols.z[0], [0.5, 0.0], rtol=1e-15, atol=0)

    @settings(max_examples=30, deadline=None)
    @given(
        n=st.integers(1, 7),
        seed=st.integers(0, 2**32 - 1),
        k=st.integers(-12, 12),
        box=st.booleans(),
    )
    def test_scale_invariance(self, n, seed, k, box):
        """(10^k M, 10^k q) has the same solutions as (M, q): same z, status and certificate."""
        rng = np.random.default_rng(seed)
        M = spill_in_matrix(rng, n) if rng.random() < 0.5 else rng.normal(size=(n, n))
        q = rng.normal(size=n)
        upper = rng.uniform(0.5, 2, n) if box else np.inf
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotPMatrixWarning)
            base = solve(M, q, upper=upper)
            scaled = solve(10.0**k * M, 10.0**k * q, upper=upper)
        assert scaled.status == base.status
        np.testing.assert_allclose(
            scaled.z, base.z, rtol=1e-8, atol=1e-8 * np.nanmax(np.abs(base.z), initial=1)
        )
        np.testing.assert_allclose(
            scaled.w, 10.0**k * base.w, rtol=1e-6, atol=1e-8 * 10.0**k * np.abs(q).max()
        )
        if n <= 5:
            sols, sols_k = (
                enumerate_solutions(M, q, upper=upper),
                enumerate_solutions(10.0**k * M, 10.0**k * q, upper=upper),
            )
            assert sols_k.count == sols.count

    def test_row_scaling_invariance(self):
        rng = np.random.default_rng(33)
        M = spill_in_matrix(rng, 8, (20,))
        q = -rng.lognormal(size=(20, 8))
        d = 10.0 ** rng.uniform(-8, 8, (20, 8))
        a, b = solve(M, q), solve(d[..., None] * M, d * q)
        np.testing.assert_allclose(b.z, a.z, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(b.residual, a.residual, atol=1e-12)


class TestLemkeFallback:
    @pytest.mark.parametrize("n", [10, 20, 30])
    def test_against_quantecon_on_non_p_spill_ins(self, n):
        """Strong spill-ins (row-scaled as the spill-in solver does): non-P, often beyond pivoting.

        QuantEcon's `lcp_lemke` gets the row-normalised problem (same solutions), so where our
        pivoting gave up its Lemke path is the same one and the solutions agree.
        """
        optimize = pytest.importorskip("quantecon.optimize")
        rng = np.random.default_rng(40 + n)
        count = 60
        a = rng.uniform(0.05, 0.3, (count, n))
        c = (1 - a) / a
        theta = rng.uniform(0, 1, (count, n, n)) * (1 - np.eye(n))
        M = theta + np.eye(n) * (1 + 1 / c)[..., None]
        q = -rng.lognormal(size=(count, n)) / c
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotPMatrixWarning)
            sol = solve(M, q)
        assert sol.success.all()  # nonnegative with a positive diagonal: Lemke always succeeds
        assert_complementary(sol.z, sol.w, 0.0, np.inf, atol=1e-9 * np.abs(sol.w).max())
        lemke = sol.iterations > 2 * n + 10  # pivoting spent its budget
        if n >= 20:
            assert lemke.any()
        s = np.abs(M).sum(-1)
        for k in np.flatnonzero(lemke):
            ref = optimize.lcp_lemke(M[k] / s[k][:, None], q[k] / s[k])
            assert ref.success
            np.testing.assert_allclose(sol.z[k], ref.z, rtol=1e-9, atol=1e-12)
        assert (sol.status[lemke] == Status.NOT_UNIQUE).all()

    def test_against_brute_force_n8(self):
        rng = np.random.default_rng(41)
        a = rng.uniform(0.02, 0.1, (40, 8))
        c = (1 - a) / a
        M = rng.uniform(0, 1, (40, 8, 8)) * (1 - np.eye(8)) + np.eye(8) * (1 + 1 / c)[..., None]
        q = -rng.lognormal(size=(40, 8)) / c
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotPMatrixWarning)
            sol = solve(M, q)
        assert sol.success.all()
        assert (sol.iterations > 2 * 8 + 10).any()  # some needed Lemke's algorithm
        for k in range(40):
            expected = brute_force_standard(M[k], q[k])
            assert any(np.allclose(sol.z[k], z, atol=1e-9) for z in expected)

    def test_box_fallback(self):
        # A box LCP with finite bounds always has a solution (Brouwer: z -> clip(z - w) maps the
        # box into itself). Box problems go to Lemke as standard LCPs in (z - lower,
        # multipliers of the upper bounds); with these mixed-sign matrices most need it.
        rng = np.random.default_rng(42)
        M = rng.uniform(0, 1, (40, 6, 6)) - 0.5 * rng.uniform(0, 1, (40, 6, 6)) + 0.2 * np.eye(6)
        q = rng.normal(size=(40, 6))
        lower, upper = -rng.uniform(0, 1, (40, 6)), rng.uniform(0.5, 2, (40, 6))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotPMatrixWarning)
            sol = solve(M, q, lower=lower, upper=upper)
        assert sol.success.all() and (sol.iterations > 2 * 6 + 10).any()
        assert_complementary(sol.z, sol.w, lower, upper)
        for k in range(15):
            expected = brute_force(M[k], q[k], lower[k], upper[k])
            assert any(np.allclose(sol.z[k], z, atol=1e-8) for z in expected)

    def test_options_types(self):
        with pytest.raises(TypeError, match="`max_iter`"):
            solve(np.eye(2), np.ones(2), max_iter=10.0)
        with pytest.raises(TypeError, match="`tol`"):
            solve(np.eye(2), np.ones(2), tol="1e-9")
        with pytest.raises(TypeError, match="`tol`"):
            solve(np.eye(2), np.ones(2), tol=True)
        for tol in (-1e-9, 1.0, np.inf, np.nan):
            with pytest.raises(ValueError, match="`tol`"):
                solve(np.eye(2), np.ones(2), tol=tol)
        for workers in (0, -2, 1.5, True):
            with pytest.raises(ValueError, match="`workers`"):
                solve(np.eye(2), np.ones(2), workers=workers)

    def test_non_finite(self):
        for bad in (np.inf, -np.inf):
            with pytest.raises(ValueError, match="`M` must be finite"):
                solve([[bad]], [1.0])
            with pytest.raises(ValueError, match="`q` must be finite"):
                enumerate_solutions([[1.0]], [bad])
        with pytest.raises(ValueError, match="`lower` must be <= `upper`"):
            solve(np.eye(2), np.ones(2), upper=-np.inf)

    def test_empty_batch(self):
        sol = solve(np.zeros((0, 3, 3)), np.zeros((0, 3)))
        assert sol.z.shape == (0, 3) and sol.status.shape == (0,)
        sols = enumerate_solutions(np.zeros((0, 3, 3)), np.zeros((0, 3)))
        assert sols.count.shape == (0,) and sols.z.shape == (0, 0, 3)


def test_inputs_from_broadcast_arrays_raise_no_warning():
    # numba reads the writeable flag of what it is given; on a `np.broadcast_arrays` result
    # numpy 2 warns about that flag, so solve passes its own read-only views instead
    # as the multilateral security game builds them: q a column of a broadcast (B, n, n) array
    M, Q = np.broadcast_arrays(np.tile(2.0 * np.eye(3), (5, 1, 1)), -np.ones((5, 3, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sol = solve(M, Q[..., 0])
    np.testing.assert_allclose(sol.z, 0.5)
