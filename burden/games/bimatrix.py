r"""All Nash equilibria of batches of 2×2 bimatrix games, in closed form.

Model
-----
The row player chooses action 0 with probability :math:`p`, the column player chooses
action 0 with probability :math:`q`; payoffs are :math:`A_{rc}` (row player) and
:math:`B_{rc}` (column player) when row plays :math:`r` and column plays :math:`c`.
The row player's gain from action 0 over action 1 is linear in :math:`q`,

.. math:: \Delta_A(q) = a_1 q + a_0 (1 - q), \quad a_1 = A_{00} - A_{10},\ a_0 = A_{01} - A_{11},

and the column player's gain from action 0 is
:math:`\Delta_B(p) = b_1 p + b_0 (1 - p)` with :math:`b_1 = B_{00} - B_{01}`,
:math:`b_0 = B_{10} - B_{11}`. A profile :math:`(p, q)` is a Nash equilibrium (Nash
1951) iff :math:`p` is a best response to :math:`q` (``p = 1`` if
:math:`\Delta_A(q) > 0`, ``p = 0`` if :math:`\Delta_A(q) < 0`, any ``p`` if
:math:`\Delta_A(q) = 0`) and vice versa. The indifference conditions give the only
interior candidates, :math:`q^* = a_0 / (a_0 - a_1)` (when :math:`a_0 a_1 < 0`) and
:math:`p^* = b_0 / (b_0 - b_1)` (when :math:`b_0 b_1 < 0`).

Best responses are constant between consecutive points of the grid
:math:`\{0, p^*, 1\} \times \{0, q^*, 1\}`, so the equilibrium set is a union of grid
points, grid edges and (only when both players are always indifferent) the whole square.
The game is *nondegenerate* iff :math:`a_0, a_1, b_0, b_1` are all non-zero; then the
equilibria are isolated: one or two pure ones and at most one mixed one, an odd number in
total. A degenerate game (a payoff tie that makes a player indifferent against a pure
strategy) can have continua of equilibria; they are reported by the equilibrium grid
points, which are exactly the extreme points of the maximal convex sets of equilibria,
and grouped into connected components.

Layout of the result (``K = 4`` slots): equilibria are listed in the order pure profiles
``(0, 0), (0, 1), (1, 0), (1, 1)`` (row action, column action), then profiles in which one
player mixes (row pure ``0``/``1`` against :math:`q^*`, then :math:`p^*` against column
``0``/``1``), then :math:`(p^*, q^*)`; the first ``count`` slots are used. A 2×2 game
has at most 4 such points (e.g. a "zigzag" component, or the whole square when all
payoffs of each player are equal).

References
----------
Nash, J. (1951). Non-cooperative games. *Annals of Mathematics* 54(2), 286-295.
von Stengel, B. (2002). Computing equilibria for two-person games. In *Handbook of Game
Theory* vol. 3, ch. 45.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import for_each_chunk
from burden._validation import workers_iv
from burden._warnings import DegenerateGameWarning
from burden.games._input import bimatrix_iv, tol_iv
from burden.games._results import GameEquilibria

__all__ = ["equilibria_2x2"]

K_2X2 = 4  # most extreme equilibrium points a 2×2 game can have (see the module docstring)
_CHUNK = 2**15  # games per pass: the work arrays stay in the CPU caches
_SLOTS = np.arange(K_2X2)

# Candidate grid points (i, j) in output order; i indexes p in (0, p*, 1), j indexes q in
# (0, q*, 1). Pure profile (row action r, column action c) is (i, j) = (2 - 2r, 2 - 2c).
_CAND_I = np.array([2, 2, 0, 0, 2, 0, 1, 1, 1])
_CAND_J = np.array([2, 0, 2, 0, 1, 1, 2, 0, 1])
# _ALLOWED[g, s + 1]: a player may put weight at grid index g (0: action 1 only, 1: mixed,
# 2: action 0 only) when its gain from action 0 has sign s.
_ALLOWED = np.array([[True, True, False], [False, True, False], [False, True, True]])


def _allowed(g: int, sign: NDArray[np.int8] | None) -> NDArray[np.bool_] | bool:
    """Whether grid index ``g`` is a best response when the gain from action 0 has ``sign``.

    ``sign is None`` marks the opponent's interior indifference point, where the player's
    own gain is zero by construction and every grid index is a best response.
    """
    if sign is None:
        return True
    return (sign <= 0, sign == 0, sign >= 0)[g]


def equilibria_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0, workers: int = 1) -> GameEquilibria:
    """Every Nash equilibrium of each 2×2 bimatrix game of a batch, in closed form.

    Parameters
    ----------
    A, B : array_like, shape ``(..., 2, 2)``
        Payoffs of the row and the column player; ``A[..., r, c]`` when row plays ``r``
        and column plays ``c``. Batch shapes broadcast.
    tol : float, optional
        Payoff differences with ``|d| <= tol * max|payoff|`` (per game and player) count as
        ties. The default 0 treats only exact ties as ties.
    workers : int, optional
        Threads that solve chunks of the batch in parallel (SciPy's convention: default 1;
        ``-1`` means one per CPU). The answer does not depend on it.

    Returns
    -------
    GameEquilibria
        ``row`` and ``col`` of shape ``(..., 4, 2)``, ``payoffs`` ``(..., 4, 2)``,
        ``count``, ``component`` ``(..., 4)`` and ``degenerate`` ``(...)``; slot layout as
        in the module docstring. In a degenerate game the slots hold the extreme points of
        the equilibrium components (``component`` groups them).

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
    >>> eq.count
    array(3)
    >>> eq.row[2], eq.col[2]
    (array([0.666667, 0.333333]), array([0.333333, 0.666667]))

    A batch of random games is solved in one call:

    >>> rng = np.random.default_rng(1)
    >>> eq = equilibria_2x2(rng.normal(size=(10**5, 2, 2)), rng.normal(size=(10**5, 2, 2)))
    >>> eq.count.shape, int(eq.count.max())
    ((100000,), 3)
    """
    A, B = bimatrix_iv(A, B, shape=(2, 2))
    tol_iv(tol)
    workers = workers_iv(workers)
    batch = A.shape[:-2]
    A, B = A.reshape(-1, 2, 2), B.reshape(-1, 2, 2)  # one flat batch axis inside
    n_games = A.shape[0]
    fields = {
        "row": np.full((n_games, K_2X2, 2), np.nan),
        "col": np.full((n_games, K_2X2, 2), np.nan),
        "payoffs": np.full((n_games, K_2X2, 2), np.nan),
        "count": np.zeros(n_games, dtype=np.int64),
        "component": np.empty((n_games, K_2X2), dtype=np.int64),
        "degenerate": np.empty(n_games, dtype=bool),
    }

    def solve_chunk(part: slice) -> None:
        _closed_form(A[part], B[part], tol, {name: value[part] for name, value in fields.items()})

    for_each_chunk(solve_chunk, n_games, _CHUNK, workers)
    degenerate = fields["degenerate"]
    if degenerate.any():
        warnings.warn(
            f"{int(degenerate.sum())} of {degenerate.size} games are degenerate (payoff ties); "
            "their equilibria are reported by the extreme points of the components",
            DegenerateGameWarning,
            stacklevel=2,
        )
    return GameEquilibria(**{name: value.reshape(batch + value.shape[1:]) for name, value in fields.items()})


def _closed_form(A: NDArray[np.float64], B: NDArray[np.float64], tol: float, out: dict[str, NDArray]) -> None:
    """Fill ``out``, views of the :class:`GameEquilibria` fields (NaN slots, zero counts),
    for a flat chunk of games ``(N, 2, 2)``."""
    # Entries (M00, M01, M10, M11) as contiguous (N,) rows: every later operation is dense.
    entries_a, entries_b = (np.ascontiguousarray(M.reshape(-1, 4).T) for M in (A, B))
    # Gains from action 0 at the pure strategies of the opponent (module docstring).
    a0 = entries_a[1] - entries_a[3]
    a1 = entries_a[0] - entries_a[2]
    b0 = entries_b[2] - entries_b[3]
    b1 = entries_b[0] - entries_b[1]
    if tol > 0:
        thr_a = tol * np.abs(A).max(axis=(-2, -1))
        thr_b = tol * np.abs(B).max(axis=(-2, -1))
        a0, a1 = (np.where(np.abs(d) <= thr_a, 0.0, d) for d in (a0, a1))
        b0, b1 = (np.where(np.abs(d) <= thr_b, 0.0, d) for d in (b0, b1))
    sa0, sa1, sb0, sb1 = (np.sign(d).astype(np.int8) for d in (a0, a1, b0, b1))
    has_q = sa0 * sa1 < 0
    has_p = sb0 * sb1 < 0
    degenerate = (sa0 == 0) | (sa1 == 0) | (sb0 == 0) | (sb1 == 0)
    # Gain signs at the grid values (0, *, 1) of the opponent's probability; None at the
    # interior point, where the player is indifferent by construction.
    sign_a, sign_b = (sa0, None, sa1), (sb0, None, sb1)
    present_p, present_q = (None, has_p, None), (None, has_q, None)

    # One candidate at a time (whole-batch vector operations), scattered straight into the
    # next free slot of each game where it is an equilibrium.
    n_games = degenerate.shape[0]
    count = out["count"]
    # Flat views; only each strategy's first entry is scattered, the second is 1 minus it.
    row, col, payoffs = (out[name].reshape(-1) for name in ("row", "col", "payoffs"))
    valid_all = np.empty((9, n_games), dtype=bool)
    any_degenerate = degenerate.any()
    for c, (i, j) in enumerate(zip(_CAND_I, _CAND_J, strict=True)):
        if (i == 1) != (j == 1) and not any_degenerate:
            valid_all[c] = False  # one player mixing against a pure strategy needs a tie
            continue
        valid = _allowed(i, sign_a[j]) & _allowed(j, sign_b[i])
        for extra in (present_p[i], present_q[j]):
            if extra is not None:
                valid = valid & extra
        valid_all[c] = valid
        (where,) = np.nonzero(valid_all[c])
        p = _grid_value(i, b0, b1, where)
        q = _grid_value(j, a0, a1, where)
        first = 2 * (K_2X2 * where + count[where])  # flat index of (game, slot, 0)
        row[first] = p
        col[first] = q
        payoffs[first] = _expected_payoff(entries_a, where, p, q)
        payoffs[first + 1] = _expected_payoff(entries_b, where, p, q)
        count += valid_all[c]

    np.subtract(1.0, out["row"][..., 0], out=out["row"][..., 1])
    np.subtract(1.0, out["col"][..., 0], out=out["col"][..., 1])
    component = out["component"]
    component[...] = np.where(_SLOTS < count[:, None], _SLOTS, -1)
    if any_degenerate:
        component[degenerate] = _components(
            valid_all[:, degenerate].T,
            np.stack([sa0, np.zeros_like(sa0), sa1], axis=-1)[degenerate],
            np.stack([sb0, np.zeros_like(sb0), sb1], axis=-1)[degenerate],
            has_p[degenerate],
            has_q[degenerate],
        )

    out["degenerate"][...] = degenerate


def _grid_value(index: int, gain0: NDArray, gain1: NDArray, where: NDArray[np.intp]) -> float | NDArray:
    """Probability of action 0 at grid index 0, 1 or 2 (0, the indifference point, 1).

    The indifference point ``g0 / (g0 - g1)`` of the opponent's gain is computed only for
    the games ``where`` it is used (there the gains have opposite signs).
    """
    if index != 1:
        return index / 2
    g0, g1 = gain0[where], gain1[where]
    return g0 / (g0 - g1)


def _expected_payoff(entries: tuple[NDArray, ...], where: NDArray[np.intp], p, q) -> NDArray:
    """``x @ M @ y`` for ``x = (p, 1 - p)``, ``y = (q, 1 - q)`` in the games ``where``.

    ``entries`` are ``(M00, M01, M10, M11)``, rows of a contiguous ``(4, N)`` array; ``p`` and ``q``
    are the probabilities of action 0 in those games, or scalars. A pure profile returns its
    payoff entry exactly.
    """
    if np.isscalar(p) and np.isscalar(q):
        return entries[2 * int(p == 0) + int(q == 0)][where]
    m00, m01, m10, m11 = (m[where] for m in entries)
    return p * (q * m00 + (1 - q) * m01) + (1 - p) * (q * m10 + (1 - q) * m11)


def _components(
    valid: NDArray[np.bool_],
    sign_a: NDArray[np.int8],
    sign_b: NDArray[np.int8],
    has_p: NDArray[np.bool_],
    has_q: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """Connected-component labels of the equilibrium points of degenerate 2×2 games.

    Two equilibrium grid points are connected when the open grid edge between them
    consists of equilibria; on an open edge a best response is constant, so one sign
    decides. ``valid`` is ``(N, 9)`` in candidate order; returns ``(N, K_2X2)`` labels.
    """
    n = valid.shape[0]
    on = np.ones(n, dtype=bool)
    # Signs of a player's gain on the open intervals (0, *), (*, 1) and (0, 1) of the
    # opponent's probability: the endpoint sign where the interior point exists, else the
    # common sign of both ends.
    gaps_b = [
        (0, 1, sign_b[:, 0], has_p),
        (1, 2, sign_b[:, 2], has_p),
        (0, 2, np.sign(sign_b[:, 0] + sign_b[:, 2]), ~has_p),
    ]
    gaps_a = [
        (0, 1, sign_a[:, 0], has_q),
        (1, 2, sign_a[:, 2], has_q),
        (0, 2, np.sign(sign_a[:, 0] + sign_a[:, 2]), ~has_q),
    ]
    node = {(int(i), int(j)): c for c, (i, j) in enumerate(zip(_CAND_I, _CAND_J, strict=True))}
    edges = []
    for j in range(3):  # edges along p at fixed q: row player indifferent, column's q fixed
        for lo, hi, s, exists in gaps_b:
            ok = exists & (on if j != 1 else has_q) & (sign_a[:, j] == 0) & _ALLOWED[j, s + 1]
            edges.append((node[lo, j], node[hi, j], ok))
    for i in range(3):  # edges along q at fixed p
        for lo, hi, s, exists in gaps_a:
            ok = exists & (on if i != 1 else has_p) & (sign_b[:, i] == 0) & _ALLOWED[i, s + 1]
            edges.append((node[i, lo], node[i, hi], ok))
    label = np.where(valid, np.arange(9), 9)
    for _ in range(8):  # label propagation; a path through 9 points has at most 8 edges
        for u, v, ok in edges:
            low = np.minimum(label[:, u], label[:, v])
            label[ok, u] = low[ok]
            label[ok, v] = low[ok]
    # Each label is the smallest candidate index in its component, i.e. its first slot, so
    # ranking the roots (points labelled by themselves) numbers components in slot order.
    root = label == np.arange(9)
    rank = np.cumsum(root, axis=1) - root
    renumbered = np.take_along_axis(rank, np.minimum(label, 8), axis=1)
    out = np.full((n, K_2X2), -1)
    game, cand = np.nonzero(valid)
    out[game, (np.cumsum(valid, axis=1) - 1)[game, cand]] = renumbered[game, cand]
    return out
