"""Adversarial regression cases for `burden.games`: each class of input that once produced a
wrong answer with a success status, a crash, or an unclear error, with several instances.

Grow this module with every defect found.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burden import DegenerateGameWarning, Status
from burden.games import classify_2x2, equilibria_2x2, pure_equilibria, support_enumeration

ALL_SOLVERS = ("equilibria_2x2", "support_enumeration", "classify_2x2")


def regrets(A, B, x, y):
    """Each player's gain from the best pure deviation (independent of the solver)."""
    return (A @ y).max() - x @ A @ y, (x @ B).max() - x @ B @ y


def quantecon_equilibria(A, B):
    qe = pytest.importorskip("quantecon.game_theory")
    return qe.support_enumeration(qe.NormalFormGame([qe.Player(A), qe.Player(B.T)]))


# --- support enumeration: scale-free, certified -------------------------------------------


@pytest.mark.parametrize("big", [1e7, 1e9, 1e11, 1e13])
@pytest.mark.parametrize("cell", [(0, 0), (1, 2), (2, 1)])
def test_one_huge_payoff_does_not_hide_or_invent_equilibria(big, cell, same_sets):
    # The 3×3 game with A[0, 0] = 1e9 once gave a profile with regret 6 and missed an
    # equilibrium (the map onto [1, 2] cancelled every minor); the huge entry is moved around.
    A = np.array([[1e9, 6, 3], [8, 3, 9], [2, 7, 3]], dtype=float)
    A[0, 0] = 5.0
    A[cell] = big
    B = np.array([[4, 0, 9], [3, 1, 1], [6, 7, 6]], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)  # tiny weights are ties at `tol`
        eq = support_enumeration(A, B)
    reference = quantecon_equilibria(A, B)
    if eq.status == Status.SUCCESS:
        same_sets(eq.as_list(), reference, atol=1e-9)
    for x, y in eq.as_list():  # whatever the status, no listed profile is a non-equilibrium
        r_row, r_col = regrets(A, B, x, y)
        assert r_row <= 1e-9 * (np.abs(A) @ y).max() and r_col <= 1e-9 * (x @ np.abs(B)).max()


def test_the_reported_3x3_example_matches_quantecon(same_sets):
    A = np.array([[1e9, 6, 3], [8, 3, 9], [2, 7, 3]])
    B = np.array([[4, 0, 9], [3, 1, 1], [6, 7, 6]])
    eq = support_enumeration(A, B, tol=0.0)
    assert eq.status == Status.SUCCESS and eq.count == 3
    same_sets(eq.as_list(), quantecon_equilibria(A.astype(float), B.astype(float)), atol=1e-12)


@pytest.mark.parametrize("scale", [1e-300, 1e-100, 1e-12, 1e10, 1e100, 1e300])
def test_prisoners_dilemma_at_extreme_scales(scale):
    # Axelrod (1984) payoffs T = 5, R = 3, P = 1, S = 0, scaled: only (D, D) at every scale.
    A = np.array([[3.0, 0.0], [5.0, 1.0]]) * scale
    for eq in (support_enumeration(A, A.T), equilibria_2x2(A, A.T)):
        assert eq.status == Status.SUCCESS and eq.count == 1
        x, y = eq.as_list()[0]
        np.testing.assert_array_equal(x, [0, 1])
        np.testing.assert_array_equal(y, [0, 1])


def test_outlier_games_certified_answers_agree_with_quantecon(rng, same_sets):
    # Derived: random games with one payoff of each player blown up to 1e3 .. 1e14.
    for _ in range(40):
        m, n = rng.integers(2, 5, size=2)
        A, B = rng.normal(size=(2, m, n))
        A[rng.integers(m), rng.integers(n)] = 10.0 ** rng.integers(3, 15)
        B[rng.integers(m), rng.integers(n)] = -(10.0 ** rng.integers(3, 15))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateGameWarning)
            eq = support_enumeration(A, B)
        for x, y in eq.as_list():
            r_row, r_col = regrets(A, B, x, y)
            assert r_row <= 1e-9 * (np.abs(A) @ y).max() + 1e-300
            assert r_col <= 1e-9 * (x @ np.abs(B)).max() + 1e-300
        if eq.status == Status.SUCCESS:
            same_sets(eq.as_list(), quantecon_equilibria(A, B), atol=1e-6)


def test_a_profile_that_fails_its_certificate_is_not_listed(monkeypatch):
    import burden.games.support as support

    monkeypatch.setattr(support, "_certified", lambda A, Bt, x, y, tol: np.zeros(len(x), dtype=bool))
    with pytest.warns(DegenerateGameWarning):  # an even count (0) also flags degeneracy
        eq = support_enumeration(np.eye(3), np.eye(3), tol=0.0)
    assert eq.count == 0 and eq.status == Status.NOT_CERTIFIED and not eq.success


# --- 2×2 closed form at the edges of floating point -----------------------------------------


@pytest.mark.parametrize("scale", [5e-324, 1e-310, 1e-150, 1e150, 1.5e308])
def test_matching_pennies_at_the_edges_of_floating_point(scale):
    # Payoff differences overflow at 1.5e308 and are subnormal at 5e-324; the mixed
    # equilibrium (1/2, 1/2) must survive both (derived).
    A = np.array([[1.0, -1.0], [-1.0, 1.0]]) * scale
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning either
        eq = equilibria_2x2(A, -A)
    assert eq.status == Status.SUCCESS and eq.count == 1
    np.testing.assert_array_equal(eq.row[0], [0.5, 0.5])
    np.testing.assert_array_equal(eq.col[0], [0.5, 0.5])


def test_overflowing_comparisons_raise_no_warning():
    # Derived: a Stag Hunt (R > T > P > S) whose payoff differences overflow.
    A = np.array([[1.7e308, -1.7e308], [1.6e308, -1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = classify_2x2(A, A.T, tol=1e-9)
        eq = equilibria_2x2(A, A.T, tol=1e-9)
        pure = pure_equilibria(np.stack([A, A.T], axis=-1), tol=1e-9)
    assert c == "stag_hunt" and not c.tie
    assert eq.success and eq.count == 3 and np.isfinite(eq.row[2]).all()
    assert pure.profiles() == [(0, 0), (1, 1)]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("tol", [None, "0", True, np.nan, -1e-9, np.inf])
@pytest.mark.parametrize("solver", ALL_SOLVERS)
def test_bad_tol_is_refused_naming_it(solver, tol):
    func = {"equilibria_2x2": equilibria_2x2, "support_enumeration": support_enumeration}.get(
        solver, classify_2x2
    )
    error = TypeError if tol is None or isinstance(tol, (str, bool)) else ValueError
    with pytest.raises(error, match="`tol`"):
        func(np.eye(2), np.eye(2), tol=tol)


@pytest.mark.parametrize("tol", [None, True, np.nan])
def test_bad_tol_of_pure_equilibria(tol):
    with pytest.raises((TypeError, ValueError), match="`tol`"):
        pure_equilibria(np.zeros((2, 2, 2)), tol=tol)


@pytest.mark.parametrize("workers", [0, -2, 1.0, True, "2"])
@pytest.mark.parametrize("solver", ALL_SOLVERS)
def test_bad_workers_is_refused_naming_it(solver, workers):
    func = {"equilibria_2x2": equilibria_2x2, "support_enumeration": support_enumeration}.get(
        solver, classify_2x2
    )
    with pytest.raises(ValueError, match="`workers`"):
        func(np.eye(2), np.eye(2), workers=workers)


@pytest.mark.parametrize("index", [0.0, True, (0, 1.0), np.float64(1.0)])
def test_float_or_bool_positions_are_refused(index):
    eq = equilibria_2x2(np.stack([np.eye(2)] * 3), np.stack([np.eye(2)] * 3))
    with pytest.raises(TypeError, match="`index` must be an int"):
        eq.as_list(index)
    with pytest.raises(TypeError, match="`index` must be an int"):
        pure_equilibria(np.zeros((3, 2, 2, 2))).profiles(index)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_payoffs_are_refused_naming_the_argument(bad):
    A = np.eye(2)
    A[1, 0] = bad
    for func in (equilibria_2x2, support_enumeration, classify_2x2):
        with pytest.raises(ValueError, match=r"`A` must be finite; A\[1, 0\]"):
            func(A, np.eye(2))
        with pytest.raises(ValueError, match=r"`B` must be finite; B\[1, 0\]"):
            func(np.eye(2), A)
    with pytest.raises(ValueError, match="`payoffs` must be finite"):
        pure_equilibria(np.stack([A, A], axis=-1))


def test_boolean_payoffs_are_refused():
    for func in (equilibria_2x2, support_enumeration, classify_2x2):
        with pytest.raises(TypeError, match="`A` must be an array of real numbers"):
            func(np.eye(2, dtype=bool), np.eye(2))


def test_empty_batches_give_empty_results():
    empty = np.zeros((0, 2, 2))
    for func in (equilibria_2x2, support_enumeration, classify_2x2):
        result = func(empty, empty)
        assert result.batch_shape == (0,) and result.status.shape == (0,)
    eq = equilibria_2x2(np.zeros((3, 0, 2, 2)), np.zeros((3, 0, 2, 2)))
    assert eq.row.shape == (3, 0, 4, 2)
    pure = pure_equilibria(np.zeros((0, 2, 2, 2)))
    assert pure.mask.shape == (0, 2, 2) and pure.status.shape == (0,)


# --- certificates hold whenever a status is a success, over extreme floats -----------------


def _certificate_holds(A, B, eq, index=()):
    for x, y in eq.as_list(index):
        for M, own, opp in ((A[index], x, y), (B[index].T, y, x)):
            gain = M @ opp - own @ M @ opp
            scale = np.abs(M) @ opp + own @ np.abs(M) @ opp
            assert np.all(gain <= 1e-9 * scale)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(-300, 290),
    st.integers(-300, 290),
    st.integers(1, 4),
    st.integers(1, 4),
)
def test_successful_statuses_are_certified_at_any_scale(seed, k_row, k_col, m, n):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(3, m, n)) * 10.0**k_row
    B = rng.normal(size=(3, m, n)) * 10.0**k_col
    A[0, 0, 0] *= 1e6  # one outlier per player in the first game
    B[0, -1, -1] *= -1e6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        found = [support_enumeration(A, B)]
        if (m, n) == (2, 2):
            found.append(equilibria_2x2(A, B))
    for eq in found:
        for g in range(3):
            if eq.success[g]:
                assert eq.count[g] >= 1
                _certificate_holds(A, B, eq, (g,))
