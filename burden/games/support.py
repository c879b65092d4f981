r"""All Nash equilibria of batches of small bimatrix games by support enumeration.

Model
-----
In a bimatrix game :math:`(A, B)` with :math:`m \times n` payoff matrices, a mixed profile
:math:`(x, y)` is a Nash equilibrium (Nash 1951) iff every action in the support of
:math:`x` is a best response to :math:`y` and vice versa. In a *nondegenerate* game
(no mixed strategy with support size :math:`k` has more than :math:`k` pure best
responses) the supports :math:`I, J` of an equilibrium have equal size :math:`k` and the
equilibrium is the unique solution of the indifference conditions

.. math:: A_{IJ}\, y_J = v \mathbf 1,\quad \mathbf 1^\top y_J = 1, \qquad
          B_{IJ}^\top x_I = u \mathbf 1,\quad \mathbf 1^\top x_I = 1,

with :math:`x, y \ge 0` and no better reply outside the supports. Support enumeration
checks all :math:`\binom{m+n}{m} - 1` such support pairs (von Stengel 2007, §3.3).

Vectorised algorithm
--------------------
Payoffs are first mapped affinely into :math:`[1, 2]` (this changes no equilibrium and
makes every equilibrium payoff positive). By Cramer's rule every quantity the checks need
is a ratio of minors of :math:`\tilde A = [A \mid \mathbf 1]`: with :math:`y' = y / v`
solving :math:`A_{IJ} y' = \mathbf 1`,

* :math:`y'_{j_t} = \pm \det \tilde A_{I,\, J \setminus j_t \cup \{\mathbf 1\}} / \det A_{IJ}`, and
* the slack of an outside row :math:`i`,
  :math:`1 - (A y')_i = \pm \det \tilde A_{I \cup i,\, J \cup \{\mathbf 1\}} / \det A_{IJ}`
  (Schur complement).

All minors of all sizes are built level by level by Laplace expansion along the first row,
for the whole batch at once (batch axis last, so each gather moves contiguous blocks):
about :math:`\sum_k k \binom{m}{k}\binom{n+1}{k}` multiply-adds per game instead of a
LAPACK call per support pair. This is written by hand because no library computes all
minors of a batch of small matrices; the column player's checks use :math:`B^\top` in the
same way. Checks use a tolerance ``tol`` relative to each player's payoff range.

Degeneracy is flagged (with a :class:`~burden.DegenerateGameWarning`) when it shows: a
pure strategy with tied best responses, an equilibrium with a zero weight in its support
or an extra best response outside it (both within ``tol``), or an even number of
equilibria (a nondegenerate game has an odd number). In degenerate games the result holds
the equal-support equilibria found (duplicates removed); continua and equilibria with
unequal supports are not enumerated.

References
----------
Nash, J. (1951). Non-cooperative games. *Annals of Mathematics* 54(2), 286-295.
von Stengel, B. (2007). Equilibrium computation for two-player games in strategic and
extensive form. In Nisan et al. (eds.), *Algorithmic Game Theory*, ch. 3.
"""

from __future__ import annotations

import functools
import itertools
import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._warnings import DegenerateGameWarning
from burden.games._input import bimatrix_iv
from burden.games._results import GameEquilibria

__all__ = ["MAX_ACTIONS", "support_enumeration"]

MAX_ACTIONS = 8  # 8×8 games have 12,869 support pairs; larger ones need other algorithms
_CHUNK_BUDGET = 2**20  # floats per work array: bounds memory, and small enough for the caches


@functools.cache
def _combos(size: int, k: int) -> tuple[NDArray[np.intp], dict[tuple[int, ...], int]]:
    """Sorted k-subsets of ``range(size)`` as an array, and their positions."""
    combos = list(itertools.combinations(range(size), k))
    return np.array(combos, dtype=np.intp).reshape(len(combos), k), {c: i for i, c in enumerate(combos)}


@functools.cache
def _laplace_plan(rows: int, cols: int, k: int):
    """Index arrays to expand every k×k minor along its first row into (k-1)×(k-1) minors."""
    row_combos, _ = _combos(rows, k)
    col_combos, _ = _combos(cols, k)
    _, sub_rows = _combos(rows, k - 1)
    _, sub_cols = _combos(cols, k - 1)
    first_row = row_combos[:, 0]
    rest = np.array([sub_rows[tuple(r[1:])] for r in row_combos], dtype=np.intp)
    drop = np.array(
        [[sub_cols[tuple(np.delete(c, t))] for t in range(k)] for c in col_combos], dtype=np.intp
    ).reshape(len(col_combos), k)
    return first_row, rest, col_combos, drop


@functools.cache
def _check_plan(rows: int, cols: int, k: int):
    """Index arrays locating, for every support pair (I, J) with |I| = |J| = k, the minors
    of ``[M | 1]`` that give the opponent's indifference strategy and the outside slacks.

    ``cols`` counts the real columns; the ones column has index ``cols``.
    """
    ones = cols
    _, ext_k = _combos(cols + 1, k)
    supports_j, _ = _combos(cols, k)
    det_idx = np.array([ext_k[tuple(j)] for j in supports_j], dtype=np.intp)
    num_idx = np.array(
        [[ext_k[(*np.delete(j, t), ones)] for t in range(k)] for j in supports_j], dtype=np.intp
    ).reshape(len(supports_j), k)
    num_sign = (-1.0) ** (k - 1 - np.arange(k))
    supports_i, _ = _combos(rows, k)
    if k < rows:
        _, rows_k1 = _combos(rows, k + 1)
        _, ext_k1 = _combos(cols + 1, k + 1)
        outside = [[i for i in range(rows) if i not in s] for s in supports_i]
        slack_idx = np.array(
            [
                [rows_k1[tuple(sorted((*s, i)))] for i in out]
                for s, out in zip(supports_i, outside, strict=True)
            ],
            dtype=np.intp,
        )
        # Moving the outside row from last place to its sorted place: k - position swaps.
        slack_sign = np.array(
            [
                [(-1.0) ** (k - sorted((*s, i)).index(i)) for i in out]
                for s, out in zip(supports_i, outside, strict=True)
            ]
        )
        slack_col = np.array([ext_k1[(*j, ones)] for j in supports_j], dtype=np.intp)
    else:
        slack_idx = slack_sign = slack_col = None
    return det_idx, num_idx, num_sign, slack_idx, slack_sign, slack_col


def _normalise(M: NDArray[np.float64]) -> NDArray[np.float64]:
    """Map each game's payoffs affinely onto [1, 2] (constant payoffs become 1)."""
    low = M.min(axis=(-2, -1), keepdims=True)
    span = M.max(axis=(-2, -1), keepdims=True) - low
    return 1.0 + np.divide(M - low, span, out=np.zeros_like(M), where=span > 0)


def _indifference_checks(M: NDArray[np.float64], tol: float):
    """Row player's side of every support pair, for a chunk of games.

    ``M`` has shape ``(rows, cols, N)`` (normalised payoffs of the player choosing rows,
    batch last). Returns, per support size k, ``(ok, weights)``: ``ok[I, J, g]`` says the
    opponent's strategy on J that makes rows I indifferent exists, is nonnegative and
    leaves no better row (within ``tol``); ``weights(I, J, g)`` gives that strategy on J
    for selected triples.
    """
    rows, cols, n_games = M.shape
    ext = np.concatenate([M, np.ones((rows, 1, n_games))], axis=1)
    minors = ext  # level 1: the entries themselves
    results = []
    for k in range(1, min(rows, cols) + 1):
        if k < rows:
            first_row, rest, col_combos, drop = _laplace_plan(rows, cols + 1, k + 1)
            upper = ext[first_row[:, None], col_combos[None, :, 0]] * minors[rest[:, None], drop[None, :, 0]]
            for t in range(1, k + 1):
                term = ext[first_row[:, None], col_combos[None, :, t]]
                term *= minors[rest[:, None], drop[None, :, t]]
                (np.subtract if t % 2 else np.add)(upper, term, out=upper)
        det_idx, num_idx, num_sign, slack_idx, slack_sign, slack_col = _check_plan(rows, cols, k)
        det = minors[:, det_idx]
        # A weight or slack w = ±minor / det must be >= -tol, i.e. ±minor * det >= -tol det².
        # Singular systems have no unique solution and are skipped (as QuantEcon does).
        ceiling = tol * det * det
        floor = -ceiling
        ok = np.abs(det) > 1e-14 * (2.0 * np.sqrt(k)) ** k  # Hadamard's bound for entries in [1, 2]
        for t in range(k):
            prod = minors[:, num_idx[:, t]]
            prod *= det
            ok &= prod >= floor if num_sign[t] > 0 else prod <= ceiling
        if slack_idx is not None:
            for o in range(slack_idx.shape[1]):
                prod = upper[slack_idx[:, o, None], slack_col[None, :]]
                prod *= slack_sign[:, o, None, None] * det
                ok &= prod >= floor
        results.append((ok, functools.partial(_weights, minors, det_idx, num_idx, num_sign)))
        if k < rows:
            minors = upper
    return results


def _weights(minors, det_idx, num_idx, num_sign, i_idx, j_idx, game) -> NDArray[np.float64]:
    """The opponent's mixed strategy on its support for selected (I, J, game) triples."""
    det = minors[i_idx, det_idx[j_idx], game]
    w = num_sign * minors[i_idx[:, None], num_idx[j_idx], game[:, None]] / det[:, None]
    w = np.clip(w, 0.0, None)  # tolerated tiny negatives are zeros
    return w / w.sum(axis=1, keepdims=True)


def support_enumeration(A: ArrayLike, B: ArrayLike, *, tol: float = 1e-10) -> GameEquilibria:
    """All Nash equilibria of each nondegenerate m×n bimatrix game of a batch.

    Parameters
    ----------
    A, B : array_like, shape ``(..., m, n)``
        Payoffs of the row and the column player (``m, n <= 8``); batch shapes broadcast.
    tol : float, optional
        Tolerance of the nonnegativity and best-response checks, relative to each
        player's payoff range (max - min) in the game.

    Returns
    -------
    GameEquilibria
        ``row`` ``(..., K, m)``, ``col`` ``(..., K, n)``, ``payoffs`` ``(..., K, 2)``,
        ``count``, ``component`` ``(..., K)`` (each equilibrium its own label) and
        ``degenerate``, with ``K`` the largest count in the batch. Equilibria are ordered
        by support size, then lexicographically by the row and the column support; unused
        slots are NaN.

    Warns
    -----
    DegenerateGameWarning
        If degeneracy is detected in some game (see the module docstring); its
        equilibrium list may then be incomplete.

    Examples
    --------
    The 3×2 game of von Stengel (2007, p. 58; Fig. 3.3): three equilibria.

    >>> import numpy as np
    >>> from burden.games import support_enumeration
    >>> A = np.array([[3, 3], [2, 5], [0, 6]])
    >>> B = np.array([[3, 2], [2, 6], [3, 1]])
    >>> eq = support_enumeration(A, B)
    >>> eq.count
    array(3)
    >>> eq.row
    array([[1.      , 0.      , 0.      ],
           [0.8     , 0.2     , 0.      ],
           [0.      , 0.333333, 0.666667]])
    >>> eq.col
    array([[1.      , 0.      ],
           [0.666667, 0.333333],
           [0.333333, 0.666667]])
    """
    A, B = bimatrix_iv(A, B, max_actions=MAX_ACTIONS)
    if not (np.isfinite(tol) and 0 <= tol < 1e-2):
        raise ValueError(f"`tol` must lie in [0, 0.01); got {tol!r}")
    batch, (m, n) = A.shape[:-2], A.shape[-2:]
    A, B = A.reshape(-1, m, n), B.reshape(-1, m, n)
    n_games = A.shape[0]
    per_game = max(
        len(_combos(m, k)[0]) * len(_combos(n + 1, k)[0]) * max(k, 2) for k in range(1, min(m, n) + 2)
    )
    chunk = max(1, _CHUNK_BUDGET // per_game)
    found = [
        _enumerate_chunk(A[s : s + chunk], B[s : s + chunk], tol) for s in range(0, max(n_games, 1), chunk)
    ]
    game = np.concatenate([f[0] + s for f, s in zip(found, range(0, max(n_games, 1), chunk), strict=True)])
    x = np.concatenate([f[1] for f in found])
    y = np.concatenate([f[2] for f in found])
    degenerate = np.concatenate([f[3] for f in found])

    count = np.bincount(game, minlength=n_games)
    degenerate |= count % 2 == 0
    k_max = int(count.max(initial=0))
    slot = np.arange(game.size) - np.repeat(np.cumsum(count) - count, count)
    row = np.full((n_games, k_max, m), np.nan)
    col = np.full((n_games, k_max, n), np.nan)
    row[game, slot], col[game, slot] = x, y
    payoffs = np.full((n_games, k_max, 2), np.nan)
    payoffs[game, slot, 0] = np.einsum("er,erc,ec->e", x, A[game], y)
    payoffs[game, slot, 1] = np.einsum("er,erc,ec->e", x, B[game], y)
    component = np.where(np.arange(k_max) < count[:, None], np.arange(k_max), -1)
    if degenerate.any():
        warnings.warn(
            f"{int(degenerate.sum())} of {n_games} games look degenerate (payoff ties): "
            "equilibria with unequal supports or in continua are not enumerated",
            DegenerateGameWarning,
            stacklevel=2,
        )
    return GameEquilibria(
        row=row.reshape(batch + row.shape[1:]),
        col=col.reshape(batch + col.shape[1:]),
        payoffs=payoffs.reshape(batch + payoffs.shape[1:]),
        count=count.reshape(batch),
        component=component.reshape(batch + component.shape[1:]),
        degenerate=degenerate.reshape(batch),
    )


def _enumerate_chunk(A: NDArray[np.float64], B: NDArray[np.float64], tol: float):
    """Equilibria of a chunk of games as flat arrays (game, x, y), sorted, and degeneracy."""
    n_games, m, n = A.shape
    An = _normalise(A)
    Bn = _normalise(B)
    # Pure strategies with tied best responses make a game degenerate.
    degenerate = np.zeros(n_games, dtype=bool)
    for M, axis in ((An, 1), (Bn, 2)):
        if M.shape[axis] > 1:
            top2 = -np.partition(-M, 1, axis=axis).take([0, 1], axis=axis)
            degenerate |= (np.abs(np.diff(top2, axis=axis)) <= tol).any(axis=(1, 2))
    row_side = _indifference_checks(np.moveaxis(An, 0, -1), tol)  # (I rows, J cols)
    col_side = _indifference_checks(np.moveaxis(np.swapaxes(Bn, 1, 2), 0, -1), tol)  # (J, I)

    games, xs, ys, order = [], [], [], []
    for k, ((ok_r, y_of), (ok_c, x_of)) in enumerate(zip(row_side, col_side, strict=True), 1):
        i_idx, j_idx, game = np.nonzero(ok_r & ok_c.transpose(1, 0, 2))
        x = np.zeros((game.size, m))
        y = np.zeros((game.size, n))
        rows_k, cols_k = _combos(m, k)[0], _combos(n, k)[0]
        np.put_along_axis(x, rows_k[i_idx], x_of(j_idx, i_idx, game), axis=1)
        np.put_along_axis(y, cols_k[j_idx], y_of(i_idx, j_idx, game), axis=1)
        # In a nondegenerate game an equilibrium has k positive weights and k best responses.
        for own, opp, M in ((x, y, An[game]), (y, x, np.swapaxes(Bn[game], 1, 2))):
            value = np.einsum("ers,es->er", M, opp)
            best = (value >= value.max(axis=1, keepdims=True) - tol).sum(axis=1)
            degenerate[game[(best > k) | ((own > 0) & (own <= tol)).any(axis=1)]] = True
        games.append(game)
        xs.append(x)
        ys.append(y)
        order.append(np.stack([np.full(game.size, k), i_idx, j_idx]))
    game = np.concatenate(games)
    x, y = np.concatenate(xs), np.concatenate(ys)
    k, i_idx, j_idx = np.concatenate(order, axis=1)
    sort = np.lexsort((j_idx, i_idx, k, game))
    game, x, y = game[sort], x[sort], y[sort]
    keep = _first_occurrences(game, x, y, degenerate)
    return game[keep], x[keep], y[keep], degenerate


def _first_occurrences(game, x, y, degenerate) -> NDArray[np.bool_]:
    """Drop repeats of an equilibrium (possible only in degenerate games, via zero weights).

    ``game`` is sorted, so repeats within a game are at most ``max count`` places apart.
    """
    keep = np.ones(game.size, dtype=bool)
    if not degenerate.any():
        return keep
    span = int(np.bincount(game).max(initial=0))
    for d in range(1, span):
        same = (game[d:] == game[:-d]) & degenerate[game[d:]]
        same &= (np.abs(x[d:] - x[:-d]).max(axis=1) <= 1e-9) & (np.abs(y[d:] - y[:-d]).max(axis=1) <= 1e-9)
        keep[d:] &= ~(same & keep[:-d])
    return keep
