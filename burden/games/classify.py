"""Ordinal classification of batches of 2×2 games (Rapoport–Guyer, Robinson–Goforth).

The ordinal model, the 1–144 code, the named families with their defining inequalities,
and the treatment of ties are explained in ``docs/games.md`` ("Ordinal classification").
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import for_each_chunk
from burden._status import Status, status_dtype
from burden._validation import workers_iv
from burden.games._input import bimatrix_iv, tol_iv
from burden.games._results import GameClass

__all__ = ["NAMES", "classify_2x2"]

#: every name :func:`classify_2x2` returns (the named families first)
NAMES = (
    "prisoners_dilemma",
    "chicken",
    "stag_hunt",
    "deadlock",
    "harmony",
    "hero",
    "leader",
    "battle_of_the_sexes",
    "other_symmetric",
    "asymmetric",
    "tie",
)
# Strict orders of the outcomes R, S, T, P (best first, from the row player's side, with
# action C as in R) that define each named family; docs/games.md gives the inequalities.
_ORDERS = {
    "TRPS": "prisoners_dilemma",  # T > R > P > S
    "TRSP": "chicken",  # T > R > S > P
    "RTPS": "stag_hunt",  # R > T > P > S
    "TPRS": "deadlock",  # T > P > R > S
    "RTSP": "harmony",  # R > T, R > S, S > P: C dominant, CC best
    "RSTP": "harmony",
    "RSPT": "harmony",
    "STRP": "hero",  # S > T > R > P
    "TSRP": "leader",  # T > S > R > P
}
# Names of games with ties whose tie-breakings all fall into these (and only these) families.
_UNIONS = {"battle_of_the_sexes": ("hero", "leader")}  # {S, T} > {R, P}
_CHUNK = 2**16  # games per pass: bounds the work arrays, and the unit of `workers`
_TIE_CHUNK = 2**13  # tied games handled at once (each needs 24 × 24 tie-breakings)
_PERMS = np.array(list(itertools.permutations(range(4))), dtype=np.int64)  # rank of each cell
_WEIGHTS = 4 ** np.arange(3, -1, -1)  # ranks of the cells (00, 01, 10, 11) as a base-4 key


def _configuration(ranks: NDArray[np.int64]) -> int:
    """Payoff configuration 0..11 from canonical ranks[own action, opponent action].

    Canonical: the player's best outcome (rank 3) is at the opponent's action 0.
    """
    own = int(np.argmax(ranks[:, 0]))
    others = tuple(int(r) for cell, r in enumerate(ranks.ravel()) if cell != 2 * own)
    return 6 * own + sorted(itertools.permutations(others)).index(others)


def _strict_table() -> tuple[NDArray[np.int8], NDArray[np.int16], NDArray[np.int8]]:
    """Name index, code and C actions of every strict game, keyed by base-4 rank keys."""
    names = np.full((256, 256), -1, dtype=np.int8)
    codes = np.zeros((256, 256), dtype=np.int16)
    coop = np.full((256, 256, 2), -1, dtype=np.int8)
    for pa, pb in itertools.product(_PERMS, _PERMS):
        ra, rb = pa.reshape(2, 2), pb.reshape(2, 2)
        key = (int(pa @ _WEIGHTS), int(pb @ _WEIGHTS))
        # Canonical labels: the row player's best outcome in column 0, the column player's in row 0.
        canon_a = ra[:, ::-1] if (ra == 3).argmax() % 2 else ra
        canon_b = rb[:, ::-1] if (ra == 3).argmax() % 2 else rb
        flip_rows = (canon_b == 3).argmax() // 2
        canon_a, canon_b = (canon_a[::-1], canon_b[::-1]) if flip_rows else (canon_a, canon_b)
        codes[key] = 12 * _configuration(canon_a) + _configuration(canon_b.T) + 1
        found = None
        for flip_r, flip_c in itertools.product((0, 1), repeat=2):
            a = ra[::-1] if flip_r else ra
            a = a[:, ::-1] if flip_c else a
            b = rb[::-1] if flip_r else rb
            b = b[:, ::-1] if flip_c else b
            if not np.array_equal(b, a.T):
                continue
            order = "".join(sorted("RSTP", key=lambda o: -a.ravel()["RSTP".index(o)]))
            if order in _ORDERS:
                found = (NAMES.index(_ORDERS[order]), flip_r, flip_c)
                break
            if found is None and a[0, 0] > a[1, 1]:
                found = (NAMES.index("other_symmetric"), flip_r, flip_c)
        if found is None:
            names[key] = NAMES.index("asymmetric")
        else:
            names[key], coop[key] = found[0], found[1:]
    return names, codes, coop


_NAME_TABLE, _CODE_TABLE, _COOP_TABLE = _strict_table()


def classify_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0, workers: int = 1) -> GameClass:
    """Ordinal type of each 2×2 game of a batch.

    Parameters
    ----------
    A, B : array_like, shape ``(..., 2, 2)``
        Payoffs of the row and the column player (``A[..., r, c]`` when row plays ``r``
        and column plays ``c``); batch shapes broadcast. Any labelling of the actions.
    tol : float, optional
        Relative tie tolerance (``docs/games.md``, "Tolerances"): two payoffs ``u``, ``v``
        of a player count as tied when ``|u - v| <= tol * max(|u|, |v|)``. The default 0
        compares exactly.
    workers : int, optional
        Threads that classify chunks of the batch in parallel (SciPy's convention: default
        1; ``-1`` means one per CPU). The answer does not depend on it.

    Returns
    -------
    GameClass
        ``name`` (str), ``code`` (1..144, 0 for ties), ``tie``, ``cooperate``
        (``(..., 2)``: which action is C for each player, -1 if none) and ``status``
        (``SUCCESS``, or ``NOT_UNIQUE`` for games with ties). The families and their
        inequalities are tabulated in ``docs/games.md``. ``str(result)`` and
        ``result == "chicken"`` work on names.

    Examples
    --------
    Prisoner's Dilemma with Axelrod's (1984) payoffs, written with "defect" first:

    >>> from burden.games import classify_2x2
    >>> A = [[1, 5], [0, 3]]
    >>> B = [[1, 0], [5, 3]]
    >>> c = classify_2x2(A, B)
    >>> str(c), c.cooperate, bool(c.tie)
    ('prisoners_dilemma', array([1, 1]), False)

    A batch: Chicken, Stag Hunt, and the Battle of the Sexes of Luce & Raiffa (1957, p. 91),
    whose equally bad mismatches are a tie between Rapoport's Hero and Leader.

    >>> import numpy as np
    >>> A = np.array([[[0, -1], [1, -10]], [[4, 1], [3, 2]], [[2, -1], [-1, 1]]])
    >>> B = np.array([[[0, 1], [-1, -10]], [[4, 3], [1, 2]], [[1, -1], [-1, 2]]])
    >>> c = classify_2x2(A, B)
    >>> c.name
    array(['chicken', 'stag_hunt', 'battle_of_the_sexes'], dtype='<U19')
    >>> c.code, c.tie, c.status
    (array([144,  14,   0]), array([False, False,  True]), array([0, 0, 1], dtype=int8))
    """
    A, B = bimatrix_iv(A, B, shape=(2, 2))
    tol = tol_iv(tol)
    workers = workers_iv(workers)
    batch = A.shape[:-2]
    # Each player's payoffs as (own action, opponent action) cells: B is transposed.
    a = A.reshape(-1, 4)
    b = np.swapaxes(B, -1, -2).reshape(-1, 4)
    n_games = a.shape[0]
    name = np.empty(n_games, dtype=np.int64)
    code = np.empty(n_games, dtype=np.int64)
    tie = np.empty(n_games, dtype=bool)
    coop = np.empty((n_games, 2), dtype=np.int64)

    def classify_chunk(part: slice) -> None:
        name[part], code[part], tie[part], coop[part] = _classify(a[part], b[part], tol)

    for_each_chunk(classify_chunk, n_games, _CHUNK, workers)
    status = np.where(tie, Status.NOT_UNIQUE, Status.SUCCESS).astype(status_dtype)
    return GameClass(
        name=np.array(NAMES)[name].reshape(batch),
        code=code.reshape(batch),
        tie=tie.reshape(batch),
        cooperate=coop.reshape((*batch, 2)),
        status=status.reshape(batch),
    )


def _classify(a: NDArray[np.float64], b: NDArray[np.float64], tol: float) -> tuple[NDArray, ...]:
    """Name index, code, tie flag and C actions of flat games given as (own, opponent) cells."""
    with np.errstate(over="ignore"):  # an overflowing difference keeps its sign
        return _classify_finite_or_not(a, b, tol)


def _classify_finite_or_not(
    a: NDArray[np.float64], b: NDArray[np.float64], tol: float
) -> tuple[NDArray, ...]:
    ranks, ties = [], np.zeros(a.shape[0], dtype=bool)
    for u in (a, b):
        rank = np.zeros(u.shape, dtype=np.int64)
        for x, y in itertools.combinations(range(4), 2):  # six comparisons, whole chunk each
            diff = u[:, x] - u[:, y]
            gap = tol * np.maximum(np.abs(u[:, x]), np.abs(u[:, y]))
            x_better = diff > gap
            y_better = -diff > gap
            rank[:, x] += x_better
            rank[:, y] += y_better
            ties |= ~(x_better | y_better)
        ranks.append(rank)
    key_a = _key(ranks[0])
    key_b = _key(ranks[1][:, [0, 2, 1, 3]])  # tables use (row action, column action) cells
    name = _NAME_TABLE[key_a, key_b].astype(np.int64)
    code = _CODE_TABLE[key_a, key_b].astype(np.int64)
    coop = _COOP_TABLE[key_a, key_b].astype(np.int64)
    if ties.any():
        (where,) = np.nonzero(ties)
        code[where] = 0
        for start in range(0, where.size, _TIE_CHUNK):
            part = where[start : start + _TIE_CHUNK]
            less = [
                u[part, None, :] - u[part, :, None]
                > tol * np.maximum(np.abs(u[part, None, :]), np.abs(u[part, :, None]))
                for u in (a, b)
            ]
            name[part], coop[part] = _tie_consensus(*less)
    return name, code, ties, coop


def _key(ranks: NDArray[np.int64]) -> NDArray[np.int64]:
    """Base-4 key of ranks given in cell order (0, 0), (0, 1), (1, 0), (1, 1)."""
    return ((ranks[:, 0] * 4 + ranks[:, 1]) * 4 + ranks[:, 2]) * 4 + ranks[:, 3]


def _consensus_tables() -> NDArray[np.float64]:
    """Indicator matrices over (row ranking, column ranking) pairs of the 24 × 24 strict
    refinements: one per name, then "row C is action 0/1" and "column C is action 0/1"
    (counted on symmetric refinements only)."""
    keys_a = _key(_PERMS)
    keys_b = _key(_PERMS[:, [0, 2, 1, 3]])  # column rankings are given in (own, opponent) cells
    names = _NAME_TABLE[keys_a[:, None], keys_b[None, :]]
    coop = _COOP_TABLE[keys_a[:, None], keys_b[None, :]]
    tables = [names == k for k in range(len(NAMES))]
    tables += [coop[..., p] == action for p in (0, 1) for action in (0, 1)]
    return np.stack(tables).astype(np.float64)


_CONSENSUS = _consensus_tables()
_PERM_VIOLATES = ~(_PERMS[:, :, None] < _PERMS[:, None, :])  # (24, cell, cell)


def _tie_consensus(less_a: NDArray[np.bool_], less_b: NDArray[np.bool_]) -> tuple[NDArray, NDArray]:
    """Name and C actions shared by every tie-breaking of each tied game (else "tie", -1).

    ``less_*[g, x, y]`` says cell x is strictly worse than cell y for that player (cells in
    (own action, opponent action) order).
    """
    # A strict ranking refines a weak order iff it keeps every strict comparison.
    consistent = [
        (less.reshape(-1, 16).astype(np.float64) @ _PERM_VIOLATES.reshape(24, 16).T) == 0
        for less in (less_a, less_b)
    ]
    n_tables = _CONSENSUS.shape[0]
    via_a = consistent[0].astype(np.float64) @ _CONSENSUS.transpose(1, 0, 2).reshape(24, -1)
    present = (via_a.reshape(-1, n_tables, 24) * consistent[1][:, None, :]).sum(axis=2) > 0
    names, coop = present[:, : len(NAMES)], present[:, len(NAMES) :].reshape(-1, 2, 2)
    # Where some tie-breaking is symmetric, only symmetric tie-breakings count.
    asym = NAMES.index("asymmetric")
    symmetric = np.delete(names, asym, axis=1).any(axis=1)
    names[symmetric, asym] = False
    name = np.where(names.sum(axis=1) == 1, names.argmax(axis=1), NAMES.index("tie"))
    for union, members in _UNIONS.items():  # several names, all inside one union of families
        inside = np.isin(np.arange(len(NAMES)), [NAMES.index(m) for m in members])
        name[(names.sum(axis=1) > 1) & ~names[:, ~inside].any(axis=1)] = NAMES.index(union)
    coop_out = np.where(coop.sum(axis=2) == 1, coop.argmax(axis=2), -1)
    return name, coop_out
