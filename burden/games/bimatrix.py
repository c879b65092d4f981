"""All Nash equilibria of batches of 2×2 bimatrix games, in closed form.

The model, the closed form, the treatment of degenerate games and the slot layout of the
result are derived in ``docs/games.md`` ("2×2 games in closed form"); the compiled kernel
is :mod:`burden.games._bimatrix_kernel`.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike

from burden._status import status_dtype
from burden._validation import workers_iv
from burden._warnings import DegenerateGameWarning
from burden.games._input import bimatrix_iv, tol_iv
from burden.games._results import K_2X2, GameEquilibria

__all__ = ["equilibria_2x2"]


def _empty_outputs(n_games: int) -> dict[str, np.ndarray]:
    """The fields of a :class:`GameEquilibria` for ``n_games`` flat games, uninitialised.

    The kernel writes every element, so nothing is zero-filled. ``count`` and ``component``
    are at most 4: one byte each (docs/games.md, "Slot layout").
    """
    return {
        "row": np.empty((n_games, K_2X2, 2)),
        "col": np.empty((n_games, K_2X2, 2)),
        "payoffs": np.empty((n_games, K_2X2, 2)),
        "count": np.empty(n_games, dtype=np.int8),
        "component": np.empty((n_games, K_2X2), dtype=np.int8),
        "degenerate": np.empty(n_games, dtype=bool),
        "status": np.empty(n_games, dtype=status_dtype),
    }


def equilibria_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0, workers: int = 1) -> GameEquilibria:
    """Every Nash equilibrium of each 2×2 bimatrix game of a batch, in closed form.

    Parameters
    ----------
    A, B : array_like, shape ``(..., 2, 2)``
        Payoffs of the row and the column player; ``A[..., r, c]`` when row plays ``r``
        and column plays ``c``. Batch shapes broadcast; an empty batch gives an empty result.
    tol : float, optional
        Relative tie tolerance (``docs/games.md``, "Tolerances"): two payoffs ``u``, ``v``
        of a player against the same opponent action count as tied when
        ``|u - v| <= tol * max(|u|, |v|)``. The default 0 treats only exact ties as ties; the
        closed form is then exact in its signs.
    workers : int, optional
        Threads of the compiled kernel (SciPy's convention: default 1; ``-1`` means one per
        CPU), for this call only. The answer is bit-identical for every value.

    Returns
    -------
    GameEquilibria
        ``row`` and ``col`` of shape ``(..., 4, 2)``, ``payoffs`` ``(..., 4, 2)``,
        ``count`` (int8), ``component`` (int8) ``(..., 4)``, ``degenerate`` and ``status``
        ``(...)``;
        slot layout in ``docs/games.md``. In a degenerate game the slots hold the extreme
        points of the equilibrium components (``component`` groups them) and the status is
        ``NOT_UNIQUE``.

    Warns
    -----
    DegenerateGameWarning
        If some game of the batch is degenerate.

    Examples
    --------
    Battle of the Sexes (Luce & Raiffa 1957, p. 91, payoffs rescaled): two pure equilibria
    and a mixed one.

    >>> import numpy as np
    >>> from burden.games import equilibria_2x2
    >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])
    >>> eq = equilibria_2x2(A, A[::-1, ::-1])
    >>> eq.count, eq.status
    (array(3, dtype=int8), array(0, dtype=int8))
    >>> eq.row[2], eq.col[2]
    (array([0.666667, 0.333333]), array([0.333333, 0.666667]))

    A batch of random games is solved in one call:

    >>> rng = np.random.default_rng(1)
    >>> eq = equilibria_2x2(rng.normal(size=(10**5, 2, 2)), rng.normal(size=(10**5, 2, 2)))
    >>> eq.count.shape, int(eq.count.max()), bool(eq.success.all())
    ((100000,), 3, True)
    """
    A, B = bimatrix_iv(A, B, shape=(2, 2))
    tol = tol_iv(tol)
    # Imported on first use: numba's import alone costs about half a second of `import burden`.
    from burden._numba import kernel_threads
    from burden.games._bimatrix_kernel import solve_2x2

    workers = workers_iv(workers)
    batch = A.shape[:-2]
    flat_a, flat_b = (np.ascontiguousarray(M.reshape(-1, 4)) for M in (A, B))
    fields = _empty_outputs(flat_a.shape[0])
    with kernel_threads(workers):
        solve_2x2(flat_a, flat_b, tol, *fields.values())
    degenerate = fields["degenerate"]
    if degenerate.any():
        warnings.warn(
            f"{int(degenerate.sum())} of {degenerate.size} games are degenerate (payoff ties); "
            "their equilibria are reported by the extreme points of the components",
            DegenerateGameWarning,
            stacklevel=2,
        )
    return GameEquilibria(**{name: value.reshape(batch + value.shape[1:]) for name, value in fields.items()})
