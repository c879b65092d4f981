"""Result objects of :mod:`burden.games`: equilibrium sets and ordinal classes of batched games.

Statuses, tolerances and the slot layout are explained in ``docs/games.md``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from burden._results import Result, result_class
from burden.games._input import index_iv

#: most extreme equilibrium points a 2×2 game can have (docs/games.md): the slots of its result
K_2X2 = 4

__all__ = ["K_2X2", "GameClass", "GameEquilibria", "PureEquilibria"]


@result_class
class GameEquilibria(Result):
    """All Nash equilibria of a batch of bimatrix games, in fixed-size slots.

    Each game of the batch has ``count`` equilibria stored in the first ``count`` of ``K``
    slots; unused slots hold NaN (and ``component == -1``). ``K`` is fixed by the function
    that made the result (see :func:`burden.games.equilibria_2x2` and
    :func:`burden.games.support_enumeration`).

    Attributes
    ----------
    row : ndarray, shape ``(..., K, m)``
        Row player's mixed strategy in each slot (probabilities over the m rows).
    col : ndarray, shape ``(..., K, n)``
        Column player's mixed strategy in each slot.
    payoffs : ndarray, shape ``(..., K, 2)``
        Expected payoffs ``(x @ A @ y, x @ B @ y)`` of the row and column player.
    count : ndarray of int, shape ``(...)``
        Number of equilibria (or, in a degenerate 2×2 game, of extreme points) listed
        (``int8`` from :func:`burden.games.equilibria_2x2`, whose counts are at most 4).
    component : ndarray of int, shape ``(..., K)``
        Label of the connected component of the equilibrium set each slot belongs to,
        numbered 0, 1, ... in slot order; -1 for unused slots. Isolated equilibria have a
        component of their own; the extreme points of a continuum share a label (``int8``
        from :func:`burden.games.equilibria_2x2`).
    degenerate : ndarray of bool, shape ``(...)``
        The game is degenerate (payoff ties): equilibria may form continua.
    status : ndarray of int8, shape ``(...)``
        :class:`burden.Status` per game: ``SUCCESS`` (nondegenerate, the complete certified
        set), ``NOT_UNIQUE`` (degenerate: every listed profile is certified, the set has
        ties or continua), or a failure (``NOT_CERTIFIED``: some profile the algorithm
        found failed its regret certificate and is not listed; ``NOT_FINITE``: payoffs
        overflow). ``docs/games.md`` has the certificate.
    """

    row: NDArray[np.float64]
    col: NDArray[np.float64]
    payoffs: NDArray[np.float64]
    count: NDArray[np.integer]
    component: NDArray[np.integer]
    degenerate: NDArray[np.bool_]
    status: NDArray[np.int8]

    _core_dims: ClassVar[tuple[str, ...]] = ("equilibrium",)

    def as_list(self, index: int | tuple[int, ...] = ()) -> list[tuple[NDArray, NDArray]]:
        """Return the equilibria of one game as a list of ``(x, y)`` strategy pairs.

        Parameters
        ----------
        index : int or tuple of int
            Position of the game in the batch (``()`` for an unbatched result).

        Examples
        --------
        >>> from burden.games import equilibria_2x2
        >>> eq = equilibria_2x2([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # Prisoner's Dilemma
        >>> eq.as_list()
        [(array([0., 1.]), array([0., 1.]))]
        """
        index = index_iv(index, len(self.batch_shape))
        k = int(self.count[index])
        return [(self.row[index][s].copy(), self.col[index][s].copy()) for s in range(k)]

    def to_frame(self, batch_names=None, *, unused: bool = False):
        """Return one row per (game, equilibrium slot) as a :class:`pandas.DataFrame`.

        The index has one labelled level per batch axis (``batch_names``, as in
        :meth:`burden.Result.to_frame`) and the level ``equilibrium`` (the slot); every field
        is a column (``row[0]``, ``row[1]``, ..., ``payoffs[0]``, ``payoffs[1]``; per-game
        fields such as ``count`` and ``status`` repeat). Unused slots are left out unless
        ``unused=True``, which keeps the full rectangular layout.

        Examples
        --------
        >>> import numpy as np
        >>> from burden.games import equilibria_2x2
        >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])
        >>> eq = equilibria_2x2(np.stack([A, A]), np.stack([A[::-1, ::-1], A.T]))
        >>> eq.to_frame()[["row[0]", "col[0]", "status"]]
                              row[0]    col[0]  status
        scenario equilibrium
        0        0            1.000000  1.000000       0
                 1            0.000000  0.000000       0
                 2            0.666667  0.333333       0
        1        0            1.000000  1.000000       0
                 1            0.000000  0.000000       0
                 2            0.333333  0.333333       0
        """
        frame = super().to_frame(batch_names)
        if unused:
            return frame
        return frame[frame["component"].to_numpy() >= 0]


@result_class
class GameClass(Result):
    """Ordinal type of each 2×2 game of a batch (see :func:`burden.games.classify_2x2`).

    Attributes
    ----------
    name : ndarray of str, shape ``(...)``
        One of :data:`burden.games.classify.NAMES`: a named family (``"prisoners_dilemma"``,
        ``"chicken"``, ``"stag_hunt"``, ``"deadlock"``, ``"harmony"``, ``"hero"``,
        ``"leader"``), ``"battle_of_the_sexes"`` (a game with ties whose tie-breakings are
        all Hero or Leader), ``"other_symmetric"`` (an ordinally symmetric game without a
        name here), ``"asymmetric"`` or ``"tie"`` (a game with ties whose tie-breakings
        do not share one name). The defining inequalities are tabulated in ``docs/games.md``.
    code : ndarray of int, shape ``(...)``
        Position 1..144 of the strict ordinal game in the Robinson–Goforth-style 12×12
        table (see :func:`burden.games.classify_2x2`); 0 for games with ties.
    tie : ndarray of bool, shape ``(...)``
        Some player has equal payoffs (within ``tol``) in two outcomes.
    cooperate : ndarray of int, shape ``(..., 2)``
        Index of the action playing the role of "cooperate" (C) for the row and the
        column player in an ordinally symmetric game; -1 where there is none (asymmetric
        games, or ties whose tie-breakings disagree).
    status : ndarray of int8, shape ``(...)``
        :class:`burden.Status` per game: ``SUCCESS`` for a strict game (its type is
        unique), ``NOT_UNIQUE`` for a game with ties (several strict types refine it).
    """

    name: NDArray[np.str_]
    code: NDArray[np.int64]
    tie: NDArray[np.bool_]
    cooperate: NDArray[np.int64]
    status: NDArray[np.int8]

    def __str__(self) -> str:
        """The name for a single game, otherwise the array of names."""
        return str(self.name[()]) if self.name.ndim == 0 else str(self.name)

    def __eq__(self, other: object) -> Any:
        """Compare the names with a string (elementwise for a batch); else as any result."""
        if isinstance(other, str):
            result = self.name == other
            return bool(result) if np.ndim(result) == 0 else result
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # results hold arrays: equal ones need not hash alike


@result_class
class PureEquilibria(Result):
    """Pure Nash equilibria of a batch of n-player games (see :func:`burden.games.pure_equilibria`).

    Attributes
    ----------
    mask : ndarray of bool, shape ``(..., a_1, ..., a_N)``
        True at the pure equilibria of each game.
    count : ndarray of int, shape ``(...)``
        Number of pure equilibria of each game.
    status : ndarray of int8, shape ``(...)``
        :class:`burden.Status` per game: ``SUCCESS`` when no player has a tied best reply
        (within ``tol``) at any pure equilibrium, else ``NOT_UNIQUE`` (weak equilibria:
        ties may join pure equilibria by continua of mixed ones).
    """

    mask: NDArray[np.bool_]
    count: NDArray[np.int64]
    status: NDArray[np.int8]

    @property
    def _core_dims(self) -> tuple[str, ...]:  # type: ignore[override]  # one axis per player
        return tuple(f"action_{i}" for i in range(self.mask.ndim - self.status.ndim))

    def profiles(self, index: int | tuple[int, ...] = ()) -> list[tuple[int, ...]]:
        """The pure equilibria of one game as a list of action profiles.

        Examples
        --------
        >>> from burden.games import pure_equilibria
        >>> pure_equilibria([[[3, 3], [0, 5]], [[5, 0], [1, 1]]]).profiles()
        [(1, 1)]
        """
        index = index_iv(index, len(self.batch_shape))
        return [tuple(int(a) for a in p) for p in np.argwhere(self.mask[index])]
