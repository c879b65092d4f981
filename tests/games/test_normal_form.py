"""Tests of pure equilibria of n-player games (`burden.games.pure_equilibria`)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from burden import Status
from burden.games import pure_equilibria


def test_prisoners_dilemma_and_coordination():
    # Axelrod (1984) payoffs T = 5, R = 3, P = 1, S = 0 (action 0 = C): only (D, D).
    pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    np.testing.assert_array_equal(pure_equilibria(pd).mask, [[False, False], [False, True]])
    # Matching Pennies has no pure equilibrium.
    pennies = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    assert not pure_equilibria(pennies).mask.any()


def test_ties_count_as_best_responses_unless_tol_excludes_them():
    # Derived: a one-player game with two equally good actions.
    np.testing.assert_array_equal(pure_equilibria([[1.0], [1.0], [0.0]]).mask, [True, True, False])
    np.testing.assert_array_equal(pure_equilibria([[1.0], [1.0 - 1e-12]], tol=1e-9).mask, [True, True])


def test_agrees_with_quantecon_pure_nash_brute(rng):
    qe = pytest.importorskip("quantecon.game_theory")
    payoffs = rng.integers(0, 3, size=(200, 2, 3, 2, 3)).astype(float)  # ties included
    mask = pure_equilibria(payoffs).mask
    assert mask.shape == (200, 2, 3, 2)
    for g in range(payoffs.shape[0]):
        reference = qe.pure_nash_brute(qe.NormalFormGame(payoffs[g]))
        assert sorted(map(tuple, np.argwhere(mask[g]))) == sorted(reference)


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batch_equals_loop_of_single_games(rng, shape):
    payoffs = rng.integers(0, 3, size=(*shape, 2, 2, 2, 3))
    mask = pure_equilibria(payoffs).mask
    assert mask.shape == (*shape, 2, 2, 2)
    for index in np.ndindex(*shape):
        np.testing.assert_array_equal(mask[index], pure_equilibria(payoffs[index]).mask)


@pytest.mark.parametrize(
    ("payoffs", "message"),
    [
        (np.zeros((2, 2, 3)), "needs 3 action axes"),
        (np.zeros(3), r"must have shape \(\.\.\., a_1, \.\.\., a_N, N\)"),
        (np.zeros((2, 0, 2)), "at least one action"),
        (
            np.array([[[np.inf, 0], [0, 0]], [[0, 0], [0, 0]]]),
            r"`payoffs` must be finite; payoffs\[0, 0, 0\]",
        ),
    ],
)
def test_bad_input_is_rejected(payoffs, message):
    with pytest.raises(ValueError, match=message):
        pure_equilibria(payoffs)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int64, (4, 2, 3, 2, 3), elements=st.integers(-5, 5)),
    st.lists(st.integers(-12, 12), min_size=3, max_size=3),
)
def test_scaling_each_players_payoffs_keeps_the_equilibria(payoffs, exponents):
    # Pure equilibria and ties are invariant under positive scaling of each player's payoffs.
    u = payoffs / 7
    eq = pure_equilibria(u, tol=1e-9)
    scaled = pure_equilibria(u * 10.0 ** np.array(exponents), tol=1e-9)
    assert scaled == eq


def test_status_flags_weak_equilibria():
    # Derived: in the first game player 0 is indifferent at the equilibrium (0, 0).
    weak = np.array([[[1, 1], [0, 0]], [[1, 0], [0, 0]]], dtype=float)
    strict = np.array([[[2, 1], [0, 0]], [[1, 0], [-1, -1]]], dtype=float)
    eq = pure_equilibria(np.stack([weak, strict]))
    np.testing.assert_array_equal(eq.status, [Status.NOT_UNIQUE, Status.SUCCESS])
    assert eq.count.tolist() == [int(eq.mask[0].sum()), 1] and eq.success.all()
    assert eq.profiles(1) == [(0, 0)]


def test_to_frame_has_one_level_per_action_axis():
    pytest.importorskip("pandas")
    frame = pure_equilibria(np.zeros((2, 2, 3, 2))).to_frame()
    assert frame.index.names == ["scenario", "action_0", "action_1"] and frame["mask"].all()
