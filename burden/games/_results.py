"""Result objects of :mod:`burden.games`: equilibrium sets and ordinal classes of batched games."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from burden._results import Result, result_class

__all__ = ["GameClass", "GameEquilibria"]


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
        Number of equilibria (or, in a degenerate 2×2 game, of extreme points) found.
    component : ndarray of int, shape ``(..., K)``
        Label of the connected component of the equilibrium set each slot belongs to,
        numbered 0, 1, ... in slot order; -1 for unused slots. Isolated equilibria have a
        component of their own; the extreme points of a continuum share a label.
    degenerate : ndarray of bool, shape ``(...)``
        The game is degenerate (payoff ties): equilibria may form continua.
    """

    row: NDArray[np.float64]
    col: NDArray[np.float64]
    payoffs: NDArray[np.float64]
    count: NDArray[np.int64]
    component: NDArray[np.int64]
    degenerate: NDArray[np.bool_]

    _core_dims: ClassVar[tuple[str, ...]] = ("equilibrium",)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the leading axes that index the games."""
        return self.count.shape

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
        index = index if isinstance(index, tuple) else (index,)
        if len(index) != len(self.batch_shape):
            raise ValueError(
                f"`index` must have {len(self.batch_shape)} entries for batch shape "
                f"{self.batch_shape}; got {index!r}"
            )
        k = int(self.count[index])
        return [(self.row[index][s].copy(), self.col[index][s].copy()) for s in range(k)]

    def to_frame(self):
        """Return one row per (game, equilibrium) as a :class:`pandas.DataFrame`.

        Columns: ``scenario`` (flat position in the batch), ``equilibrium`` (slot),
        ``component``, ``degenerate``, ``row_0 ... row_{m-1}``, ``col_0 ... col_{n-1}``,
        ``payoff_row``, ``payoff_col``. Unused slots are left out.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_frame() needs pandas: pip install 'burden[data]'") from exc
        k = self.component.shape[-1]
        used = (np.arange(k) < self.count[..., None]).reshape(-1)
        scenario, slot = np.divmod(np.arange(used.size), max(k, 1))
        data: dict[str, Any] = {"scenario": scenario[used], "equilibrium": slot[used]}
        data["component"] = self.component.reshape(-1)[used]
        data["degenerate"] = np.repeat(self.degenerate.reshape(-1), k)[used]
        for name, strategies in (("row", self.row), ("col", self.col)):
            flat = strategies.reshape(-1, strategies.shape[-1])[used]
            for a in range(flat.shape[1]):
                data[f"{name}_{a}"] = flat[:, a]
        payoffs = self.payoffs.reshape(-1, 2)[used]
        data["payoff_row"], data["payoff_col"] = payoffs[:, 0], payoffs[:, 1]
        return pd.DataFrame(data)


@result_class
class GameClass(Result):
    """Ordinal type of each 2×2 game of a batch (see :func:`burden.games.classify_2x2`).

    Attributes
    ----------
    name : ndarray of str, shape ``(...)``
        ``"prisoners_dilemma"``, ``"chicken"``, ``"stag_hunt"``, ``"deadlock"``,
        ``"harmony"``, ``"battle_of_the_sexes"``, ``"leader"``, ``"other_symmetric"``
        (an ordinally symmetric game without a name here), ``"asymmetric"`` or ``"tie"``
        (a game with payoff ties whose tie-breakings do not all share one name).
    code : ndarray of int, shape ``(...)``
        Position 1..144 of the strict ordinal game in the Robinson–Goforth-style 12×12
        table (see :func:`burden.games.classify_2x2`); 0 for games with ties.
    tie : ndarray of bool, shape ``(...)``
        Some player has equal payoffs in two outcomes.
    cooperate : ndarray of int, shape ``(..., 2)``
        Index of the action playing the role of "cooperate" (C) for the row and the
        column player in an ordinally symmetric game; -1 where there is none (asymmetric
        games, or ties whose tie-breakings disagree).
    """

    name: NDArray[np.str_]
    code: NDArray[np.int64]
    tie: NDArray[np.bool_]
    cooperate: NDArray[np.int64]

    _core_dims: ClassVar[tuple[str, ...]] = ()

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the leading axes that index the games."""
        return self.code.shape

    def __str__(self) -> str:
        """The name for a single game, otherwise the array of names."""
        return str(self.name[()]) if self.name.ndim == 0 else str(self.name)

    def __eq__(self, other: object) -> Any:
        """Compare the names with a string (elementwise for a batch)."""
        if isinstance(other, str):
            result = self.name == other
            return bool(result) if np.ndim(result) == 0 else result
        if isinstance(other, GameClass):
            return all(np.array_equal(getattr(self, f), getattr(other, f)) for f in self._fields())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking arrays inside: unhashable
