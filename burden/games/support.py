"""All Nash equilibria of batches of small bimatrix games by support enumeration.

The model, the scale-free vectorised algorithm (all minors of ``[M | 1]`` by Laplace
expansion, weights and slacks as ratios of shift-invariant minors), the regret certificate
and the degeneracy flags are derived in ``docs/games.md`` ("Support enumeration").
"""

from __future__ import annotations

import functools
import itertools
import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import thread_map
from burden._status import Status, status_dtype
from burden._validation import workers_iv
from burden._warnings import DegenerateGameWarning
from burden.games._input import bimatrix_iv, tol_iv
from burden.games._results import GameEquilibria

__all__ = ["CERTIFICATE_FLOOR", "MAX_ACTIONS", "support_enumeration"]

MAX_ACTIONS = 8  # 8×8 games have 12,869 support pairs; larger ones need other algorithms
#: smallest relative regret a certificate allows: room for the rounding of x A y and A y
CERTIFICATE_FLOOR = 2.0**-40
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
    of ``[M | 1]`` that give the opponent's indifference strategy (numerators of the weights,
    whose signed sum is the denominator) and the outside slacks.

    ``cols`` counts the real columns; the ones column has index ``cols``.
    """
    ones = cols
    _, ext_k = _combos(cols + 1, k)
    supports_j, _ = _combos(cols, k)
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
    return num_idx, num_sign, slack_idx, slack_sign, slack_col


def _standardise(M: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Shift each column of each game by its entry of smallest magnitude and scale the game
    by a power of two to a largest entry in [0.5, 1); return the result and the payoffs'
    magnitudes ``|M|`` (before the shift) in the same units.

    Every quantity the checks use is a minor of ``[M | 1]`` containing the ones column, so
    neither the shift nor the common factor changes them beyond rounding. Shifting by the
    smallest entry never more than doubles an entry and removes a common offset (payoffs
    ``1e9 + small``) before the products; unlike a map onto [1, 2] it adds nothing to small
    entries, and unlike a shift by the minimum it leaves them small beside a huge outlier.
    The power of two is exact and keeps products of minors inside floating-point range.
    """
    smallest = np.take_along_axis(M, np.abs(M).argmin(axis=-2)[:, None, :], axis=-2)
    shifted = M - smallest
    _, exponent = np.frexp(np.abs(shifted).max(axis=(-2, -1), keepdims=True))
    factor = np.ldexp(1.0, -exponent)
    return shifted * factor, np.abs(M) * factor


def _indifference_checks(M: NDArray[np.float64], magnitude: NDArray[np.float64], tol: float):
    """Row player's side of every support pair, for a chunk of games.

    ``M`` has shape ``(rows, cols, N)`` (standardised payoffs of the player choosing rows,
    batch last) and ``magnitude`` the same shape (``|payoff|`` before the shift, in the same
    units): the slack of row i against supports (I, J) is a tie within ``tol`` times the
    largest magnitude in rows I and i, columns J. Returns, per support size k,
    ``(ok, weights)``: ``ok[I, J, g]`` says the opponent's strategy on J that makes rows I
    indifferent exists, is nonnegative and leaves no better row (within ``tol``);
    ``weights(I, J, g)`` gives that strategy on J for selected triples.
    """
    rows, cols, n_games = M.shape
    ext = np.concatenate([M, np.ones((rows, 1, n_games))], axis=1)
    col_magnitude = magnitude.max(axis=0)  # (cols, N)
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
        num_idx, num_sign, slack_idx, slack_sign, slack_col = _check_plan(rows, cols, k)
        # Weight t is num_sign[t] N_t / S and an outside slack slack_sign U / S, with S the
        # signed sum of the N_t; all are minors with the ones column, hence invariant under
        # the shift. w >= -tol is checked as w S² >= -tol S² (no division); an exactly
        # singular system (S = 0) has no unique solution and is skipped, as QuantEcon does.
        numerators = [minors[:, num_idx[:, t]] for t in range(k)]  # unsigned
        denominator = numerators[0] * num_sign[0]
        for t in range(1, k):
            (np.add if num_sign[t] > 0 else np.subtract)(denominator, numerators[t], out=denominator)
        square = denominator * denominator
        floor = -tol * square
        ok = square > 0
        for t, prod in enumerate(numerators):
            prod *= denominator
            ok &= prod >= floor if num_sign[t] > 0 else prod <= -floor
        del numerators
        if slack_idx is not None:
            # Slacks are payoffs: the tolerance is relative to the payoffs compared, the
            # largest magnitude in rows I and i, columns J. Most slacks are decided by their
            # sign or by the bound over all rows (`loose`); only the rest need that scale.
            supports_j = _combos(cols, k)[0]
            loose_floor = floor * col_magnitude[supports_j].max(axis=1)  # over all rows
            in_support = None  # (rows, J, N): largest magnitude of each row on J, if needed
            prod_buffer = np.empty(ok.shape, dtype=bool)
            for o in range(slack_idx.shape[1]):
                prod = upper[slack_idx[:, o, None], slack_col[None, :]]
                prod *= slack_sign[:, o, None, None] * denominator
                ok &= prod >= loose_floor  # necessary: the loose floor is the lower one
                if tol == 0:
                    continue
                ambiguous = np.less(prod, 0, out=prod_buffer)  # reused: no allocation per row
                ambiguous &= ok
                if ambiguous.any():
                    (i, j, g) = np.nonzero(ambiguous)
                    if in_support is None:
                        in_support = magnitude[:, supports_j].max(axis=2)
                    rows_compared = _combos(rows, k + 1)[0][slack_idx[i, o]]  # (ambiguous, k + 1)
                    scale = in_support[rows_compared, j[:, None], g[:, None]].max(axis=1)
                    ok[i, j, g] = prod[i, j, g] >= floor[i, j, g] * scale
        results.append((ok, functools.partial(_weights, minors, num_idx, num_sign)))
        if k < rows:
            minors = upper
    return results


def _weights(minors, num_idx, num_sign, i_idx, j_idx, game) -> NDArray[np.float64]:
    """The opponent's mixed strategy on its support for selected (I, J, game) triples."""
    w = num_sign * minors[i_idx[:, None], num_idx[j_idx], game[:, None]]
    w = np.clip(w / w.sum(axis=1, keepdims=True), 0.0, None)  # tolerated tiny negatives are zeros
    return w / w.sum(axis=1, keepdims=True)


def support_enumeration(
    A: ArrayLike, B: ArrayLike, *, tol: float = 1e-10, workers: int = 1
) -> GameEquilibria:
    """All Nash equilibria of each nondegenerate m×n bimatrix game of a batch.

    Parameters
    ----------
    A, B : array_like, shape ``(..., m, n)``
        Payoffs of the row and the column player (``m, n <= 8``); batch shapes broadcast;
        an empty batch gives an empty result.
    tol : float, optional
        Relative tie tolerance (``docs/games.md``, "Tolerances"), in ``[0, 0.01)``: weights
        down to ``-tol`` count as zero, and two expected payoffs of a player count as tied
        when they differ by at most ``tol`` times the largest ``|payoff|`` they involve. It also
        bounds the certificate (below).
    workers : int, optional
        Threads that solve chunks of the batch in parallel (SciPy's convention: default 1;
        ``-1`` means one per CPU). The answer does not depend on it.

    Returns
    -------
    GameEquilibria
        ``row`` ``(..., K, m)``, ``col`` ``(..., K, n)``, ``payoffs`` ``(..., K, 2)``,
        ``count``, ``component`` ``(..., K)`` (each equilibrium its own label),
        ``degenerate`` and ``status``, with ``K`` the largest count in the batch. Equilibria
        are ordered by support size, then lexicographically by the row and the column
        support; unused slots are NaN. Every listed profile is certified against the
        original payoffs: each player's regret (best deviation payoff minus the profile's
        payoff) is at most ``max(tol, 2**-40)`` times the scale of the payoffs in play
        (for the row player's deviation to row i, ``sum_j |A_ij| y_j + x @ |A| @ y``).
        A profile that fails is not listed; a game flagged degenerate gets ``NOT_UNIQUE``,
        a nondegenerate game with a failed profile (or no profile) ``NOT_CERTIFIED``.

    Warns
    -----
    DegenerateGameWarning
        If degeneracy is detected in some game (see ``docs/games.md``); its equilibrium
        list may then be incomplete.

    Examples
    --------
    The 3×2 game of von Stengel (2007, p. 58; Fig. 3.3): three equilibria.

    >>> import numpy as np
    >>> from burden.games import support_enumeration
    >>> A = np.array([[3, 3], [2, 5], [0, 6]])
    >>> B = np.array([[3, 2], [2, 6], [3, 1]])
    >>> eq = support_enumeration(A, B)
    >>> eq.count, eq.status
    (array(3), array(0, dtype=int8))
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
    tol = tol_iv(tol, high=1e-2)
    workers = workers_iv(workers)
    batch, (m, n) = A.shape[:-2], A.shape[-2:]
    A, B = A.reshape(-1, m, n), B.reshape(-1, m, n)
    n_games = A.shape[0]
    per_game = max(
        len(_combos(m, k)[0]) * len(_combos(n + 1, k)[0]) * max(k, 2) for k in range(1, min(m, n) + 2)
    )
    chunk = max(1, _CHUNK_BUDGET // per_game)
    starts = range(0, max(n_games, 1), chunk)
    found = thread_map(lambda s: _enumerate_chunk(A[s : s + chunk], B[s : s + chunk], tol), starts, workers)
    game = np.concatenate([f[0] + s for f, s in zip(found, starts, strict=True)])
    x = np.concatenate([f[1] for f in found])
    y = np.concatenate([f[2] for f in found])
    degenerate = np.concatenate([f[3] for f in found])
    uncertified = np.concatenate([f[4] for f in found])

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
    status = np.where(degenerate, Status.NOT_UNIQUE, Status.SUCCESS)
    # A candidate that fails its certificate in a degenerate game is an artefact of the
    # tie tolerance (dropped; the list is already flagged as possibly incomplete); in a
    # nondegenerate game it means lost precision, and the game fails.
    status[(uncertified & ~degenerate) | (count == 0)] = Status.NOT_CERTIFIED
    status[(~np.isfinite(payoffs).all(axis=2) & (component >= 0)).any(axis=1)] = Status.NOT_FINITE
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
        status=status.astype(status_dtype).reshape(batch),
    )


def _enumerate_chunk(A: NDArray[np.float64], B: NDArray[np.float64], tol: float):
    """Certified equilibria of a chunk of games as flat arrays (game, x, y), sorted, with
    the degeneracy and "some candidate failed its certificate" flags per game."""
    n_games, m, n = A.shape
    Bt = np.swapaxes(B, 1, 2)  # each player's payoffs as (own action, opponent action)
    # Pure strategies with tied best responses make a game degenerate.
    degenerate = np.zeros(n_games, dtype=bool)
    for M in (A, Bt):
        if M.shape[1] > 1:
            top2 = -np.partition(-M, 1, axis=1)[:, :2]
            degenerate |= _ties(top2[:, 0], top2[:, 1], tol).any(axis=1)
    An, scale_a = _standardise(A)
    Bn, scale_b = _standardise(Bt)
    row_side = _indifference_checks(np.moveaxis(An, 0, -1), np.moveaxis(scale_a, 0, -1), tol)  # (I, J)
    col_side = _indifference_checks(np.moveaxis(Bn, 0, -1), np.moveaxis(scale_b, 0, -1), tol)  # (J, I)

    games, xs, ys, order = [], [], [], []
    for k, ((ok_r, y_of), (ok_c, x_of)) in enumerate(zip(row_side, col_side, strict=True), 1):
        i_idx, j_idx, game = np.nonzero(ok_r & ok_c.transpose(1, 0, 2))
        x = np.zeros((game.size, m))
        y = np.zeros((game.size, n))
        rows_k, cols_k = _combos(m, k)[0], _combos(n, k)[0]
        np.put_along_axis(x, rows_k[i_idx], x_of(j_idx, i_idx, game), axis=1)
        np.put_along_axis(y, cols_k[j_idx], y_of(i_idx, j_idx, game), axis=1)
        # In a nondegenerate game an equilibrium has k positive weights and k best responses;
        # a weight within `tol` of zero (clipped to zero if negative) is a tie too.
        for own, opp, M, support in ((x, y, A[game], rows_k[i_idx]), (y, x, Bt[game], cols_k[j_idx])):
            value = np.einsum("ers,es->er", M, opp)
            near = _ties(value.max(axis=1, keepdims=True), value, tol)
            small = (np.take_along_axis(own, support, axis=1) <= tol).any(axis=1)
            degenerate[game[(near.sum(axis=1) > k) | small]] = True
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
    game, x, y = game[keep], x[keep], y[keep]
    certified = _certified(A[game], Bt[game], x, y, tol)
    uncertified = np.zeros(n_games, dtype=bool)
    uncertified[game[~certified]] = True
    return game[certified], x[certified], y[certified], degenerate, uncertified


def _ties(u: NDArray[np.float64], v: NDArray[np.float64], tol: float) -> NDArray[np.bool_]:
    """Payoffs equal within the relative tolerance: ``|u - v| <= tol * max(|u|, |v|)``."""
    return np.abs(u - v) <= tol * np.maximum(np.abs(u), np.abs(v))


def _certified(A, Bt, x, y, tol: float) -> NDArray[np.bool_]:
    """Regret certificate on the original payoffs (``Bt``: the column player's, transposed).

    No pure deviation gains more than ``max(tol, CERTIFICATE_FLOOR)`` times the size of the
    two expected payoffs compared (``(|M| opp)_i`` for deviation i plus ``own @ |M| opp``),
    which bounds their rounding error.
    """
    bound = max(tol, CERTIFICATE_FLOOR)
    certified = np.ones(x.shape[0], dtype=bool)
    for M, own, opp in ((A, x, y), (Bt, y, x)):
        value = np.einsum("ers,es->er", M, opp)  # payoff of each pure strategy
        size = np.einsum("ers,es->er", np.abs(M), opp)
        gain = value - np.einsum("er,er->e", own, value)[:, None]
        scale = size + np.einsum("er,er->e", own, size)[:, None]
        certified &= (gain <= bound * scale).all(axis=1)
    return certified


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
