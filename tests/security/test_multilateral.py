"""Tests of the n-ally commitment game on the LCP core (docs/security.md)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from burden import MultipleEquilibriaWarning
from burden.security import CommitmentGame, MultilateralCommitmentGame


def kkt_violation(g, c):
    """Largest violation of the box KKT conditions for marginal utilities ``g`` at ``c``."""
    return np.where(c <= 0, np.maximum(g, 0), np.where(c >= 1, np.maximum(-g, 0), np.abs(g)))


def random_dyads(rng, n):
    size = (n, 2)
    return CommitmentGame(
        pi=rng.uniform(0, 1, size),
        d=rng.uniform(0, 3, size),
        e=rng.uniform(0, 3, size),
        s=rng.uniform(0, 1, size),
        m=rng.uniform(0, 2, size),
        kappa=rng.uniform(0, 1, size),
        deterrence=rng.uniform(-1, 3, size),
        spiral=rng.uniform(0, 0.3, size),
        k=rng.uniform(0.05, 1, size),
        realign=rng.uniform(0, 1.5, n),
    )


def test_two_allies_agree_with_the_dyadic_solver():
    rng = np.random.default_rng(0)
    dyads = random_dyads(rng, 200)
    ours = dyads.equilibria()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MultipleEquilibriaWarning)
        lcp = MultilateralCommitmentGame.from_dyadic(dyads).equilibria()
    np.testing.assert_array_equal(lcp.count, ours.count)
    assert lcp.complete.all()
    # The LCP lists solutions in basis order; compare as sorted sets.
    order = np.lexsort((lcp.c[..., 1], lcp.c[..., 0]), axis=-1)
    lcp_sorted = np.take_along_axis(lcp.c, order[..., None], axis=-2)
    np.testing.assert_allclose(lcp_sorted, ours.c[:, : lcp.c.shape[1]], atol=1e-9)
    assert np.all(np.isnan(ours.c[:, lcp.c.shape[1] :]))  # the dyadic result's unused slots
    utility = np.take_along_axis(lcp.utility, order[..., None], axis=-2)
    # the same utilities, constant included (from_dyadic passes the reduced form's const)
    np.testing.assert_allclose(utility, ours.utility[:, : lcp.c.shape[1]], atol=1e-9)


def test_p_matrix_games_have_one_equilibrium_that_passes_kkt():
    rng = np.random.default_rng(1)
    n = 5
    gamma = rng.uniform(-0.2, 0.2, (300, n, n)) * (1 - np.eye(n))
    eta = np.abs(gamma).sum(-1) + rng.uniform(0.1, 1, (300, n))  # strictly diagonally dominant M
    alpha = rng.normal(0, 1, (300, n))
    game = MultilateralCommitmentGame(alpha, 0.0, gamma, eta)
    eq = game.equilibrium()
    assert eq.unique.all() and np.all(eq.status == 0)
    g = alpha + np.einsum("...ij,...j->...i", gamma, eq.c) - eta * eq.c
    violation = np.where(eq.c <= 0, np.maximum(g, 0), np.where(eq.c >= 1, np.maximum(-g, 0), np.abs(g)))
    assert violation.max() < 1e-9
    for i in range(n):  # each ally is best-responding
        np.testing.assert_allclose(game.best_response(i, eq.c), eq.c[:, i], atol=1e-9)
    sols = game.equilibria()
    np.testing.assert_array_equal(sols.count, 1)
    np.testing.assert_allclose(sols.c[:, 0], eq.c, atol=1e-9)


def test_coordination_among_three_allies_has_several_equilibria():
    gamma = 1.0 * (np.ones((3, 3)) - np.eye(3))
    game = MultilateralCommitmentGame(alpha=-0.5, beta=0.0, gamma=gamma, eta=0.5)
    with pytest.warns(MultipleEquilibriaWarning):
        eq = game.equilibria()
    found = {tuple(np.round(row, 9)) for row in eq.c[: int(eq.count)]}
    assert (0.0, 0.0, 0.0) in found and (1.0, 1.0, 1.0) in found
    for row in eq.c[: int(eq.count)]:
        g = -0.5 + gamma @ row - 0.5 * row
        assert kkt_violation(g, row).max() < 1e-9


def test_payoff_batches_and_validation():
    game = MultilateralCommitmentGame([[1.0, 0.0], [0.0, 1.0]], [[0.0, 2.0], [0.0, 0.0]], 0.0, 1.0)
    assert game.batch_shape == (2,) and game.n == 2
    np.testing.assert_allclose(game.payoff([1.0, 1.0]), [[2.5, -0.5], [1.5, 0.5]])
    with pytest.raises(ValueError, match="zero diagonal"):
        MultilateralCommitmentGame([0.0, 0.0], 0.0, [[1.0, 0.0], [0.0, 0.0]], 1.0)
    with pytest.raises(ValueError, match="`eta` must be >= 0"):
        MultilateralCommitmentGame([0.0, 0.0], 0.0, 0.0, -1.0)
    with pytest.raises(ValueError, match="do not broadcast"):
        MultilateralCommitmentGame([0.0, 0.0], 0.0, np.zeros((3, 3)), 1.0)
    with pytest.raises(ValueError, match=r"`gamma` must have shape \(\.\.\., 2, 2\)"):
        MultilateralCommitmentGame([0.0, 0.0], np.zeros((2, 2)), np.zeros((3, 3)), 1.0)
    with pytest.raises(ValueError, match="number of allies"):
        MultilateralCommitmentGame(0.0, 0.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="`c`"):
        game.payoff([1.5, 0.0])
    with pytest.raises(ValueError, match="`ally`"):
        game.best_response(2, [0.0, 0.0])


def test_indifferent_ally_is_flagged_incomplete():
    # eta_1 = 0 and ally 1 indifferent whatever the others do: a continuum the enumeration cannot list.
    game = MultilateralCommitmentGame([0.0, 0.2], 0.0, 0.0, [0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MultipleEquilibriaWarning)
        eq = game.equilibria()
    assert not eq.complete


def test_workers_do_not_change_the_answer():
    rng = np.random.default_rng(2)
    dyads = random_dyads(rng, 300)
    game = MultilateralCommitmentGame.from_dyadic(dyads)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one, two = game.equilibria(workers=1), game.equilibria(workers=2)
    assert one == two
    n = 4
    gamma = rng.uniform(-0.2, 0.2, (300, n, n)) * (1 - np.eye(n))
    eta = np.abs(gamma).sum(-1) + rng.uniform(0.1, 1, (300, n))
    p_game = MultilateralCommitmentGame(rng.normal(0, 1, (300, n)), 0.0, gamma, eta)
    assert p_game.equilibrium(workers=1) == p_game.equilibrium(workers=-1)


def test_batch_matches_loop(batch_matches_loop, batch_shape):
    rng = np.random.default_rng(3)
    n = 3
    shape = (*batch_shape, n)
    gamma = rng.uniform(-0.2, 0.2, (*batch_shape, n, n)) * (1 - np.eye(n))
    eta = np.abs(gamma).sum(-1) + rng.uniform(0.1, 1, shape)
    args = {
        "alpha": rng.normal(0, 1, shape),
        "beta": np.zeros((*batch_shape, n, n)),
        "gamma": gamma,
        "eta": eta,
    }
    core = {"alpha": 1, "eta": 1, "beta": 2, "gamma": 2}
    batch_matches_loop(lambda **kw: MultilateralCommitmentGame(**kw).equilibrium(), args, core)


def test_empty_batches():
    game = MultilateralCommitmentGame(np.empty((0, 3)), 0.0, 0.1, 1.0)
    one, every = game.equilibrium(), game.equilibria()
    assert one.c.shape == (0, 3) and one.status.shape == (0,)
    assert every.c.shape[0] == 0 and every.c.shape[-1] == 3 and every.status.shape == (0,)
