"""Pure Nash equilibria of batches of n-player normal-form games.

The model and the tolerance are explained in ``docs/games.md`` ("Pure equilibria of
n-player games"): each player's condition is a maximum along that player's action axis, so
the whole batch is checked with N reductions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from burden._status import Status, status_dtype
from burden._validation import as_float_array
from burden.games._input import tol_iv
from burden.games._results import PureEquilibria

__all__ = ["pure_equilibria"]


def pure_equilibria(payoffs: ArrayLike, *, tol: float = 0.0) -> PureEquilibria:
    """The pure Nash equilibria of each n-player game of a batch.

    Parameters
    ----------
    payoffs : array_like, shape ``(..., a_1, ..., a_N, N)``
        Payoff profiles: ``payoffs[..., s_1, ..., s_N, i]`` is player i's payoff when the
        players choose ``s_1, ..., s_N``. The number of players N is the length of the last
        axis; the N axes before it are the players' actions, any axes before those index
        the games.
    tol : float, optional
        Relative tie tolerance (``docs/games.md``, "Tolerances"): a deviation from payoff
        ``u`` to ``v`` breaks an equilibrium only if ``v - u > tol * max(|u|, |v|)``. The
        default 0 counts exact ties as best responses (weak equilibria are included).

    Returns
    -------
    PureEquilibria
        ``mask`` (bool, shape ``(..., a_1, ..., a_N)``, True at the pure equilibria),
        ``count`` and ``status`` (shape ``(...)``; ``NOT_UNIQUE`` where some player has a
        tied best reply at a pure equilibrium).

    Examples
    --------
    Prisoner's Dilemma (Axelrod 1984 payoffs; action 0 = cooperate): mutual
    defection is the only equilibrium.

    >>> from burden.games import pure_equilibria
    >>> pd = [[[3, 3], [0, 5]], [[5, 0], [1, 1]]]
    >>> eq = pure_equilibria(pd)
    >>> eq.mask
    array([[False, False],
           [False,  True]])
    >>> eq.profiles(), eq.status
    ([(1, 1)], array(0, dtype=int8))

    A three-player coordination game with a batch of two games: everybody choosing the
    same action is an equilibrium.

    >>> import numpy as np
    >>> same = np.zeros((2, 2, 2, 3))
    >>> same[0, 0, 0] = same[1, 1, 1] = 1
    >>> pure_equilibria(np.stack([same, same])).mask[0]
    array([[[ True, False],
            [False, False]],
    <BLANKLINE>
           [[False, False],
            [False,  True]]])
    """
    u = as_float_array(payoffs, "payoffs")
    tol = tol_iv(tol)
    if u.ndim < 2 or u.shape[-1] < 1:
        raise ValueError(f"`payoffs` must have shape (..., a_1, ..., a_N, N) with N >= 1; got {u.shape}")
    n_players = u.shape[-1]
    if u.ndim < n_players + 1:
        raise ValueError(
            f"`payoffs` has {n_players} players (last axis) and so needs {n_players} action axes "
            f"before it; got shape {u.shape}"
        )
    action_axes = range(u.ndim - 1 - n_players, u.ndim - 1)
    if any(u.shape[ax] < 1 for ax in action_axes):
        raise ValueError(f"every player needs at least one action; got shape {u.shape}")
    batch_ndim = u.ndim - 1 - n_players
    core = tuple(range(batch_ndim, u.ndim - 1))
    mask = np.ones(u.shape[:-1], dtype=bool)
    weak = np.zeros(u.shape[:-1], dtype=bool)  # some player has another best reply there
    for i, ax in enumerate(action_axes):
        own = u[..., i]
        best_payoff = own.max(axis=ax, keepdims=True)
        gap = tol * np.maximum(np.abs(best_payoff), np.abs(own))
        with np.errstate(over="ignore"):  # an overflowing shortfall is +inf: not a best reply
            shortfall = best_payoff - own
        best = shortfall <= gap
        mask &= best
        weak |= best.sum(axis=ax, keepdims=True) > 1
    count = mask.sum(axis=core)
    tied = (mask & weak).any(axis=core)
    status = np.where(tied, Status.NOT_UNIQUE, Status.SUCCESS).astype(status_dtype)
    return PureEquilibria(mask=mask, count=count, status=status)
