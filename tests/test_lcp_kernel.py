"""Tests of the compiled paths of `burden._lcp_kernel` behind `burden.lcp.solve`.

Symmetric matrices with a positive diagonal take a path of their own (``docs/lcp.md``): a
projected Gauss-Seidel guess of the free set, one `L D L'` factorisation of the whole matrix
with the guessed free variables first (the positive-definiteness certificate), the guessed
step solved from its leading block, and block principal pivoting when the guess is wrong.
Solutions are checked against the loop enumerator `brute_force` of `tests/test_lcp.py`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from burden import NotPMatrixWarning, Status
from burden._lcp_kernel import _ldl_factor
from burden.lcp import enumerate_solutions, solve
from tests.lcp_games import spill_in_games
from tests.test_lcp import assert_complementary, brute_force


def random_spd(rng, n, shape=(), ridge=0.1):
    """Random symmetric positive definite matrices ``A A' + ridge I`` (neither dominant nor sparse)."""
    A = rng.normal(size=(*shape, n, n))
    return A @ np.swapaxes(A, -1, -2) + ridge * np.eye(n)


class TestLDL:
    @pytest.mark.parametrize("k", range(1, 14))
    def test_factor_reconstructs(self, k):
        # Every remainder of the four-row blocking (k = 1..13), inside a larger array whose
        # unused part must not be read.
        rng = np.random.default_rng(k)
        A = random_spd(rng, k)
        work = np.full((k + 3, k + 3), np.nan)
        work[:k, :k] = A
        assert _ldl_factor(work, k, np.empty(k + 3))
        L = np.tril(work[:k, :k], -1) + np.eye(k)
        D = np.diag(np.diag(work[:k, :k]))
        np.testing.assert_allclose(L @ D @ L.T, A, rtol=1e-12, atol=1e-12 * np.abs(A).max())
        # L D L' is built by leading blocks: its leading j x j part factors A[:j, :j].
        j = (k + 1) // 2
        lead = A[:j, :j].copy()
        assert _ldl_factor(lead, j, np.empty(j))
        np.testing.assert_array_equal(np.tril(lead), np.tril(work[:j, :j]))

    @pytest.mark.parametrize("k", [2, 5, 9])
    def test_indefinite_is_refused(self, k):
        rng = np.random.default_rng(10 + k)
        A = random_spd(rng, k)
        A[-1, -1] = -1.0  # a negative diagonal entry: not positive definite
        assert not _ldl_factor(A.copy(), k, np.empty(k))
        assert not _ldl_factor(-np.eye(k), k, np.empty(k))


class TestSymmetricPath:
    @pytest.mark.parametrize("n", [5, 6, 8])
    def test_standard_against_brute_force(self, n):
        rng = np.random.default_rng(100 + n)
        M = random_spd(rng, n, (25,))
        q = rng.normal(size=(25, n)) * 3
        sol = solve(M, q)
        assert (sol.status == Status.SUCCESS).all() and sol.p_matrix.all()
        for k in range(25):
            (expected,) = brute_force(M[k], q[k])
            np.testing.assert_allclose(sol.z[k], expected, atol=1e-9)

    @pytest.mark.parametrize("n", [5, 6])
    def test_box_against_brute_force(self, n):
        rng = np.random.default_rng(200 + n)
        M = random_spd(rng, n, (12,))
        q = rng.normal(size=(12, n)) * 3
        lower = -rng.uniform(0, 1, (12, n))
        upper = rng.uniform(0.2, 1.5, (12, n))
        upper[:, 0] = np.inf  # mixed finite and infinite upper bounds
        upper[:, 1] = lower[:, 1]  # a fixed variable
        sol = solve(M, q, lower=lower, upper=upper)
        assert (sol.status == Status.SUCCESS).all() and sol.p_matrix.all()
        assert_complementary(sol.z, sol.w, lower, upper)
        for k in range(12):
            (expected,) = brute_force(M[k], q[k], lower[k], upper[k])
            np.testing.assert_allclose(sol.z[k], expected, atol=1e-9)

    def test_guess_usually_right_on_spill_in_games(self):
        # Geographic spill-in games (the benchmark's): the guess is right for most games, so
        # one factorisation and one step solve them; all are certified unique.
        M, q = spill_in_games(np.random.default_rng(7), 400, 12)
        sol = solve(M, q)
        assert (sol.status == Status.SUCCESS).all() and sol.p_matrix.all()
        assert (sol.iterations == 1).mean() > 0.8
        for k in range(0, 400, 40):
            (expected,) = brute_force(M[k], q[k])
            np.testing.assert_allclose(sol.z[k], expected, rtol=1e-9, atol=1e-12)

    def test_wrong_guess_is_corrected(self):
        # Nearly collinear columns: Gauss-Seidel converges slowly, so the guessed free set is
        # often wrong and block pivoting from the guess changes it, several times for some.
        rng = np.random.default_rng(8)
        n = 8
        v = rng.uniform(0.5, 1.5, (60, n))
        M = v[:, :, None] * v[:, None, :] + 0.02 * np.eye(n)
        q = -rng.uniform(0.5, 1.5, (60, n)) + 0.3 * rng.normal(size=(60, n))
        sol = solve(M, q)
        assert (sol.status == Status.SUCCESS).all() and sol.p_matrix.all()
        assert (sol.iterations > 1).mean() > 0.3 and (sol.iterations >= 4).any()
        for k in range(60):
            (expected,) = brute_force(M[k], q[k])
            np.testing.assert_allclose(sol.z[k], expected, rtol=1e-8, atol=1e-10)

    def test_degenerate_ties(self):
        # Derived: M = 2 I + 1 1' (n = 5) and q built from z = (1, 1, 0, 0, 0) with
        # w = (0, 0, 0, 1, 0): two bound variables with w_i = 0 exactly (strict
        # complementarity fails). The unique solution is returned to rounding.
        n = 5
        M = 2 * np.eye(n) + np.ones((n, n))
        z = np.array([1.0, 1.0, 0.0, 0.0, 0.0])
        q = np.array([0.0, 0.0, 0.0, 1.0, 0.0]) - M @ z
        sol = solve(M, q)
        assert sol.status == Status.SUCCESS and sol.p_matrix
        np.testing.assert_allclose(sol.z, z, rtol=0, atol=1e-15)
        assert sol.residual <= 1e-15

    def test_indefinite_with_positive_diagonal(self):
        # Symmetric, positive diagonal, but not positive definite (the block [[1, 2], [2, 1]]):
        # the factorisation proves it is not a P-matrix, and pivoting starts from scratch.
        n = 6
        M = np.eye(n)
        M[:2, :2] = [[1.0, 2.0], [2.0, 1.0]]
        q = np.array([-1.0, -1.0, -1.0, 0.5, -2.0, 1.0])
        with pytest.warns(NotPMatrixWarning):
            sol = solve(M, q)
        assert sol.status == Status.NOT_UNIQUE and not sol.p_matrix
        sols = enumerate_solutions(M, q)
        assert sols.count == 3
        assert any(np.allclose(sol.z, z) for z in sols.z)

    def test_workers_bit_identical(self):
        # More games than one chunk of the kernel, with right and wrong guesses.
        rng = np.random.default_rng(9)
        M, q = spill_in_games(rng, 500, 10, length=0.3)
        one = solve(M, q, workers=1)
        assert one == solve(M, q, workers=2) == solve(M, q, workers=-1)
        assert (one.iterations == 1).any() and (one.iterations > 1).any()


class TestNotFinite:
    def test_row_sums_beyond_range(self):
        # Finite entries whose absolute row sums overflow: the problem cannot be scaled.
        M = np.array([[[1e308, 1e308], [1e308, 1e308]], [[2.0, 1.0], [1.0, 2.0]]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # in particular no NotPMatrixWarning
            sol = solve(M, [1.0, -1.0])
        np.testing.assert_array_equal(sol.status, [Status.NOT_FINITE, Status.SUCCESS])
        assert np.isnan(sol.z[0]).all() and np.isnan(sol.w[0]).all() and np.isnan(sol.residual[0])
        np.testing.assert_allclose(sol.z[1], [0.0, 0.5])

    @pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
    def test_non_finite_entry_in_a_large_batch(self, bad):
        M = np.broadcast_to(2 * np.eye(6), (200, 6, 6)).copy()
        M[137, 4, 2] = bad
        with pytest.raises(ValueError, match=r"`M` must be finite; M\[137, 4, 2\]"):
            solve(M, -np.ones(6))


def test_shared_bounds_equal_per_instance_bounds():
    # Bounds without batch axes reach the kernel as one shared row; the answers are those of
    # the same bounds repeated for every instance.
    rng = np.random.default_rng(11)
    M = random_spd(rng, 6, (40,))
    q = rng.normal(size=(40, 6)) * 3
    lower, upper = -rng.uniform(0, 1, 6), np.where(rng.uniform(size=6) < 0.5, np.inf, 1.0)
    shared = solve(M, q, lower=lower, upper=upper)
    repeated = solve(M, q, lower=np.tile(lower, (40, 1)), upper=np.tile(upper, (40, 1)))
    assert shared == repeated
    assert (shared.status == Status.SUCCESS).all()
