"""Tests of pure equilibria of n-player games (`burden.games.pure_equilibria`)."""

import numpy as np
import pytest

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
