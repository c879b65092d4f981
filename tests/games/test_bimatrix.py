"""Tests of the closed-form equilibria of 2×2 games (`burden.games.equilibria_2x2`)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from burden import DegenerateGameWarning, Status
from burden.games import equilibria_2x2, pure_equilibria


def equilibrium_set(eq, index=()):
    """The equilibria of one game as a sorted list of (x, y) tuples of rounded floats."""
    return sorted((tuple(np.round(x, 9)), tuple(np.round(y, 9))) for x, y in eq.as_list(index))


def assert_all_are_equilibria(A, B, eq, atol=1e-9):
    """No player gains by deviating from any reported profile; payoffs are x A y, x B y."""
    for s in range(eq.row.shape[-2]):
        used = s < eq.count
        x, y = eq.row[..., s, :], eq.col[..., s, :]
        row_values = np.einsum("...rc,...c->...r", A, y)
        col_values = np.einsum("...r,...rc->...c", x, B)
        u_row = np.einsum("...r,...r->...", x, row_values)
        u_col = np.einsum("...c,...c->...", y, col_values)
        assert np.all(~used | (u_row >= row_values.max(axis=-1) - atol))
        assert np.all(~used | (u_col >= col_values.max(axis=-1) - atol))
        assert np.all(~used | np.isclose(eq.payoffs[..., s, 0], u_row, atol=atol))
        assert np.all(~used | np.isclose(eq.payoffs[..., s, 1], u_col, atol=atol))
        assert np.all(used | np.isnan(x).all(axis=-1))


# --- Textbook games -----------------------------------------------------------------------


def test_prisoners_dilemma_has_only_mutual_defection():
    # Axelrod (1984), The Evolution of Cooperation: T = 5, R = 3, P = 1, S = 0; action 0 = C.
    A = np.array([[3, 0], [5, 1]])
    eq = equilibria_2x2(A, A.T)
    assert equilibrium_set(eq) == [((0.0, 1.0), (0.0, 1.0))]
    np.testing.assert_array_equal(eq.payoffs[0], [1, 1])
    assert not eq.degenerate


def test_battle_of_the_sexes_has_two_pure_and_one_mixed_equilibrium():
    # Luce & Raiffa (1957), Games and Decisions, p. 91: (2, 1), (-1, -1) / (-1, -1), (1, 2).
    # Mixed equilibrium from the indifference conditions (derived): x = (3/5, 2/5), y = (2/5, 3/5).
    A = np.array([[2, -1], [-1, 1]])
    B = np.array([[1, -1], [-1, 2]])
    eq = equilibria_2x2(A, B)
    assert eq.count == 3
    np.testing.assert_allclose(eq.row[:3], [[1, 0], [0, 1], [0.6, 0.4]])
    np.testing.assert_allclose(eq.col[:3], [[1, 0], [0, 1], [0.4, 0.6]])
    np.testing.assert_allclose(eq.payoffs[2], [0.2, 0.2])  # derived: 2·.6·.4 - .6·.6 - .4·.4 + .4·.6
    np.testing.assert_array_equal(eq.component[:3], [0, 1, 2])


def test_matching_pennies_has_the_unique_half_half_equilibrium():
    # von Neumann & Morgenstern (1944): zero-sum, payoffs ±1; unique equilibrium (1/2, 1/2).
    A = np.array([[1, -1], [-1, 1]])
    eq = equilibria_2x2(A, -A)
    assert equilibrium_set(eq) == [((0.5, 0.5), (0.5, 0.5))]
    np.testing.assert_allclose(eq.payoffs[0], [0, 0])


def test_stag_hunt_and_chicken_have_three_equilibria():
    # Ordinal forms R > T > P > S (Stag Hunt) and T > R > S > P (Chicken); payoffs derived.
    stag = np.array([[4, 1], [3, 2]])
    chicken = np.array([[0, -1], [1, -10]])
    eq = equilibria_2x2(np.stack([stag, chicken]), np.stack([stag.T, chicken.T]))
    np.testing.assert_array_equal(eq.count, [3, 3])
    # Stag hunt: CC, DD and the mixed one with q = (P - S) / (R - T + P - S) = 1/2 (derived).
    assert equilibrium_set(eq, 0) == sorted(
        [((1.0, 0.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0)), ((0.5, 0.5), (0.5, 0.5))]
    )
    # Chicken: CD, DC and the mixed one with q = (S - P) / (S - P + T - R) = 9/10 (derived).
    assert equilibrium_set(eq, 1) == sorted(
        [((1.0, 0.0), (0.0, 1.0)), ((0.0, 1.0), (1.0, 0.0)), ((0.9, 0.1), (0.9, 0.1))]
    )


# --- Degenerate games ---------------------------------------------------------------------


def test_all_ties_make_the_whole_square_one_component():
    # Derived: constant payoffs, every profile is an equilibrium; extreme points: the corners.
    with pytest.warns(DegenerateGameWarning, match="1 of 1 games are degenerate"):
        eq = equilibria_2x2(np.zeros((2, 2)), np.ones((2, 2)))
    assert eq.degenerate and eq.count == 4
    np.testing.assert_array_equal(eq.row[:, 0], [1, 1, 0, 0])
    np.testing.assert_array_equal(eq.col[:, 0], [1, 0, 1, 0])
    np.testing.assert_array_equal(eq.component, [0, 0, 0, 0])


def test_indifferent_row_player_gives_a_zigzag_component():
    # Derived: the row player is always indifferent; the column player's gain from action 0
    # is 4p - 3, so p* = 3/4. Equilibria: q = 0 for p <= 3/4, q = 1 for p >= 3/4, any q at
    # p = 3/4 — one connected component with extreme points (1,1), (0,0), (3/4,1), (3/4,0).
    with pytest.warns(DegenerateGameWarning):
        eq = equilibria_2x2([[1, 1], [1, 1]], [[1, 0], [-1, 2]])
    assert eq.count == 4
    np.testing.assert_allclose(eq.row[:, 0], [1, 0, 0.75, 0.75])
    np.testing.assert_allclose(eq.col[:, 0], [1, 0, 1, 0])
    np.testing.assert_array_equal(eq.component, [0, 0, 0, 0])


def test_weakly_dominant_action_gives_an_isolated_point_and_a_segment():
    # Derived: row's action 0 is weakly dominant (a tie when column plays 1); column's best
    # response is 0 against row's 0 and 1 against row's 1. Equilibria: the pure (0, 0)
    # (isolated) and the segment {(p, q = 0): p <= 1/2}... checked here by its extreme points.
    A = [[1, 0], [0, 0]]
    B = [[1, 0], [0, 1]]
    with pytest.warns(DegenerateGameWarning):
        eq = equilibria_2x2(A, B)
    # Column's gain from action 0 is 2p - 1 (p* = 1/2); row's gain is q (zero only at q = 0).
    assert equilibrium_set(eq) == sorted(
        [((1.0, 0.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0)), ((0.5, 0.5), (0.0, 1.0))]
    )
    components = dict(zip(map(tuple, eq.row[: eq.count].round(9)), eq.component[: eq.count], strict=True))
    assert components[(0.0, 1.0)] == components[(0.5, 0.5)] != components[(1.0, 0.0)]


def test_tolerance_turns_near_ties_into_ties():
    A = np.array([[1.0, 1.0 + 1e-13], [0.0, 1.0]])
    B = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert not equilibria_2x2(A, B).degenerate
    with pytest.warns(DegenerateGameWarning):
        assert equilibria_2x2(A, B, tol=1e-12).degenerate


@settings(max_examples=60, deadline=None)
@given(arrays(np.int64, (2, 2, 2), elements=st.integers(-2, 2)))
def test_pure_slots_match_brute_force_also_in_degenerate_games(payoffs):
    A, B = payoffs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = equilibria_2x2(A, B)
    assert_all_are_equilibria(A.astype(float), B.astype(float), eq)
    pure = {(int(x[1]), int(y[1])) for x, y in eq.as_list() if set(x) <= {0, 1} and set(y) <= {0, 1}}
    brute = {tuple(int(i) for i in a) for a in np.argwhere(pure_equilibria(np.stack([A, B], axis=-1)).mask)}
    assert pure == brute
    assert eq.count >= 1  # every finite game has an equilibrium (Nash 1951)


# --- Random games against the peers -------------------------------------------------------


def test_agrees_with_quantecon_on_random_games(rng, same_sets):
    qe = pytest.importorskip("quantecon.game_theory")
    A, B = rng.normal(size=(2, 2000, 2, 2))
    eq = equilibria_2x2(A, B)
    assert not eq.degenerate.any()
    for g in range(A.shape[0]):
        reference = qe.support_enumeration(qe.NormalFormGame([qe.Player(A[g]), qe.Player(B[g].T)]))
        same_sets(eq.as_list(g), reference)


def test_agrees_with_nashpy_on_random_games(rng, same_sets):
    nashpy = pytest.importorskip("nashpy")
    A, B = rng.normal(size=(2, 300, 2, 2))
    eq = equilibria_2x2(A, B)
    for g in range(A.shape[0]):
        same_sets(eq.as_list(g), list(nashpy.Game(A[g], B[g]).support_enumeration()))


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (16, 2, 2, 2), elements=st.floats(-1e3, 1e3, allow_subnormal=False)))
def test_every_profile_is_an_equilibrium_and_nondegenerate_counts_are_odd(payoffs):
    A, B = payoffs[:, 0], payoffs[:, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = equilibria_2x2(A, B)
    assert_all_are_equilibria(A, B, eq, atol=1e-9 * max(1.0, np.abs(payoffs).max()))
    assert np.all(eq.count[~eq.degenerate] % 2 == 1)
    assert np.all(
        eq.component[~eq.degenerate]
        == np.where(np.arange(4) < eq.count[~eq.degenerate, None], np.arange(4), -1)
    )


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batch_equals_loop_of_single_games(rng, shape):
    A = rng.integers(-2, 3, size=(*shape, 2, 2)).astype(float)  # ties included
    B = rng.integers(-2, 3, size=(*shape, 2, 2)).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = equilibria_2x2(A, B)
        assert eq.row.shape == (*shape, 4, 2) and eq.count.shape == shape
        for index in np.ndindex(*shape):
            one = equilibria_2x2(A[index], B[index])
            for field in ("row", "col", "payoffs", "count", "component", "degenerate"):
                np.testing.assert_array_equal(getattr(eq, field)[index], getattr(one, field))


def test_payoffs_broadcast_against_each_other():
    A = np.array([[3, 0], [5, 1]])
    B = np.stack([A.T, -A])  # a batch of two column payoffs against one row payoff matrix
    eq = equilibria_2x2(A, B)
    assert eq.count.shape == (2,)


# --- Result object and bad input ----------------------------------------------------------


def test_result_helpers():
    pd = pytest.importorskip("pandas")
    A = np.array([[2, -1], [-1, 1]])
    eq = equilibria_2x2(np.stack([A, A]), np.stack([A[::-1, ::-1], A.T]))
    frame = eq.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == int(eq.count.sum())
    assert frame.index.names == ["scenario", "equilibrium"]
    assert {"component", "degenerate", "count", "status", "payoffs[0]", "payoffs[1]"} <= set(frame.columns)
    np.testing.assert_allclose(frame[["row[0]", "row[1]"]].to_numpy(), eq.row[eq.component >= 0])
    full = eq.to_frame(["game"], unused=True)  # the rectangular slot layout, NaN in unused slots
    assert len(full) == eq.component.size and full.index.names == ["game", "equilibrium"]
    assert full["row[0]"].isna().sum() == int((eq.component < 0).sum())
    assert "GameEquilibria(" in repr(eq) and "degenerate" in repr(eq)
    assert len(eq.as_list((1,))) == eq.count[1]
    with pytest.raises(ValueError, match="`index` must have 1 entries"):
        eq.as_list()


@pytest.mark.parametrize(
    ("A", "B", "error", "message"),
    [
        ([[1, np.nan], [0, 0]], np.zeros((2, 2)), ValueError, r"`A` must be finite; A\[0, 1\]"),
        (np.zeros((2, 2)), [[1, 0], [np.inf, 0]], ValueError, r"`B` must be finite; B\[1, 0\]"),
        (np.zeros((2, 3)), np.zeros((2, 3)), ValueError, r"shape \(\.\.\., 2, 2\)"),
        (np.zeros((2, 2)), np.zeros((3, 2)), ValueError, "same \\(m, n\\) core shape"),
        (np.zeros((3, 2, 2)), np.zeros((4, 2, 2)), ValueError, "do not broadcast"),
        (np.zeros(2), np.zeros(2), ValueError, r"`A` must have shape \(\.\.\., m, n\)"),
        ([["a", "b"], ["c", "d"]], np.zeros((2, 2)), TypeError, "`A` must be an array of real numbers"),
    ],
)
def test_bad_input_is_rejected_with_a_named_argument(A, B, error, message):
    with pytest.raises(error, match=message):
        equilibria_2x2(A, B)


def test_bad_tolerance_is_rejected():
    with pytest.raises(ValueError, match="`tol`"):
        equilibria_2x2(np.eye(2), np.eye(2), tol=-1.0)


# --- Scale invariance, thread invariance, statuses ----------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int64, (8, 2, 2, 2), elements=st.integers(-40, 40)),
    st.integers(-12, 12),
    st.integers(-12, 12),
)
def test_scaling_each_players_payoffs_keeps_the_equilibria(payoffs, k_row, k_col):
    # Equilibria are invariant under positive scaling of a player's payoffs (Nash 1951);
    # payoffs are multiples of 1/7, so scaling never merges or splits two of them.
    A, B = payoffs[:, 0] / 7, payoffs[:, 1] / 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = equilibria_2x2(A, B)
        scaled = equilibria_2x2(A * 10.0**k_row, B * 10.0**k_col)
    for field in ("count", "component", "degenerate", "status"):
        np.testing.assert_array_equal(getattr(scaled, field), getattr(eq, field))
    np.testing.assert_allclose(scaled.row, eq.row, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(scaled.col, eq.col, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(scaled.payoffs / [10.0**k_row, 10.0**k_col], eq.payoffs, rtol=1e-9, atol=1e-12)


def test_thread_count_does_not_change_a_bit(rng):
    A = np.concatenate([rng.normal(size=(20_000, 2, 2)), rng.integers(-1, 2, size=(5000, 2, 2))])
    B = np.concatenate([rng.normal(size=(20_000, 2, 2)), rng.integers(-1, 2, size=(5000, 2, 2))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        one, two, every = (equilibria_2x2(A, B, workers=w) for w in (1, 2, -1))
    assert one == two == every  # Result equality: every field, NaN equal to NaN, bit for bit


def test_statuses_follow_degeneracy(rng):
    A = np.stack([np.array([[3, 0], [5, 1]]), np.ones((2, 2))])
    B = np.stack([np.array([[3, 5], [0, 1]]), np.array([[1, 0], [-1, 2]])])
    with pytest.warns(DegenerateGameWarning):
        eq = equilibria_2x2(A, B)
    np.testing.assert_array_equal(eq.status, [Status.SUCCESS, Status.NOT_UNIQUE])
    assert eq.success.all() and eq.batch_shape == (2,)


def test_batch_matches_loop_with_the_shared_check(rng, batch_shape, batch_matches_loop):
    A = rng.integers(-2, 3, size=(*batch_shape, 2, 2)).astype(float)  # ties included
    B = rng.normal(size=(*batch_shape, 2, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        batch_matches_loop(equilibria_2x2, {"A": A, "B": B}, {"A": 2, "B": 2}, rtol=0)


def test_count_and_component_are_one_byte_each():
    # at most 4 equilibria per 2×2 game (docs/games.md, "Slot layout"): int8 is honest, and
    # the kernel, bound by writing its outputs, writes 35 of 234 bytes per game less
    rng = np.random.default_rng(3)
    eq = equilibria_2x2(rng.normal(size=(50, 2, 2)), rng.normal(size=(50, 2, 2)))
    assert eq.count.dtype == np.int8 and eq.component.dtype == np.int8
    np.testing.assert_array_equal(eq.count, (eq.component >= 0).sum(axis=-1))
    assert not eq.count.flags.writeable and not eq.component.flags.writeable
