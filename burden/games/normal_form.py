r"""Pure Nash equilibria of batches of n-player normal-form games.

Model
-----
Players :math:`i = 1, \dots, N` choose actions :math:`s_i \in \{0, \dots, a_i - 1\}`; a
game is a payoff profile array :math:`u[s_1, \dots, s_N, i]` (the layout of QuantEcon's
``NormalFormGame.payoff_profile_array``). A profile :math:`s` is a pure Nash equilibrium
(Nash 1951) iff no player gains by a unilateral deviation:
:math:`u_i(s) \ge \max_{t} u_i(t, s_{-i})` for all :math:`i`. Each player's condition is
a maximum along that player's action axis, so the whole batch is checked with N
reductions.

References
----------
Nash, J. (1951). Non-cooperative games. *Annals of Mathematics* 54(2), 286-295.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._validation import as_float_array
from burden.games._input import tol_iv

__all__ = ["pure_equilibria"]


def pure_equilibria(payoffs: ArrayLike, *, tol: float = 0.0) -> NDArray[np.bool_]:
    """Mask of the pure Nash equilibria of each n-player game of a batch.

    Parameters
    ----------
    payoffs : array_like, shape ``(..., a_1, ..., a_N, N)``
        Payoff profiles: ``payoffs[..., s_1, ..., s_N, i]`` is player i's payoff when the
        players choose ``s_1, ..., s_N``. The number of players N is the length of the last
        axis; the N axes before it are the players' actions, any axes before those index
        the games.
    tol : float, optional
        A deviation must gain more than ``tol`` to break an equilibrium. The default 0
        counts ties as best responses (weak equilibria are included).

    Returns
    -------
    ndarray of bool, shape ``(..., a_1, ..., a_N)``
        True at the pure equilibria.

    Examples
    --------
    Prisoner's Dilemma (Axelrod 1984 payoffs; action 0 = cooperate): mutual
    defection is the only equilibrium.

    >>> from burden.games import pure_equilibria
    >>> pd = [[[3, 3], [0, 5]], [[5, 0], [1, 1]]]
    >>> pure_equilibria(pd)
    array([[False, False],
           [False,  True]])

    A three-player coordination game with a batch of two games: everybody choosing the
    same action is an equilibrium.

    >>> import numpy as np
    >>> same = np.zeros((2, 2, 2, 3))
    >>> same[0, 0, 0] = same[1, 1, 1] = 1
    >>> pure_equilibria(np.stack([same, same]))[0]
    array([[[ True, False],
            [False, False]],
    <BLANKLINE>
           [[False, False],
            [False,  True]]])
    """
    u = as_float_array(payoffs, "payoffs")
    tol_iv(tol)
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
    mask = np.ones(u.shape[:-1], dtype=bool)
    for i, ax in enumerate(action_axes):
        own = u[..., i]
        mask &= own >= own.max(axis=ax, keepdims=True) - tol
    return mask
