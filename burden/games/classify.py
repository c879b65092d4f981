r"""Ordinal classification of batches of 2×2 games (Rapoport–Guyer, Robinson–Goforth).

Model
-----
Only the order of each player's four payoffs matters for the ordinal type of a 2×2 game.
With strict preferences each player's payoffs are the ranks 1 < 2 < 3 < 4; relabelling
the actions (swapping the rows and/or the columns) does not change the game, which
leaves :math:`24 \cdot 24 / 4 = 144` distinct strict ordinal games (Robinson & Goforth
2005); identifying games that differ only by which player is called "row" leaves the 78 of
Rapoport & Guyer (1966).

**Code.** Robinson & Goforth arrange the 144 games in a 12×12 table by each player's
*payoff configuration*: relabel the actions so that each player's best outcome is met
when the opponent plays its action 0; a player's configuration is then one of 12 (the own
action giving the best outcome, times the 3! orders of the other three payoffs). We
number configurations ``c = 6 * own_action_of_best + k`` with ``k`` the lexicographic
index of the ranks of the other three outcomes read in (own action, opponent action)
order, and set ``code = 12 * c_row + c_col + 1`` (1..144). The code is invariant under
relabelling actions; swapping the players maps ``12 c_r + c_c + 1`` to
``12 c_c + c_r + 1``. The layout follows Robinson & Goforth's table; the numbers are ours.

**Names.** A game is *ordinally symmetric* if, after relabelling actions, the column
player's ranks are the transpose of the row player's. Writing its outcomes for the row
player as R (both play C), S (row plays C, column plays D), T (row D, column C) and P
(both D), the named games are the orders

======================  =============  ==========================================
name                    order          note
======================  =============  ==========================================
prisoners_dilemma       T > R > P > S  D dominant, DD worse than CC
chicken                 T > R > S > P  two pure equilibria CD, DC (Snowdrift)
stag_hunt               R > T > P > S  coordination on CC or DD (Assurance)
deadlock                T > P > R > S  D dominant, DD best for both
harmony                 R > T > S > P  C dominant, CC best for both
battle_of_the_sexes     S > T > R > P  Rapoport's (1967) "Hero" ...
                        T > S > R > P  ... and "Leader": equilibria CD and DC that
                                       the players rank differently
======================  =============  ==========================================

Which action is C is fixed by the named order (it is the action in R); the result reports
it per player in ``cooperate``. For symmetric games without a name here, C is the action
of the better symmetric outcome (R > P). Swapping both players' C and D labels maps an
order to its mirror (R, S, T, P) → (P, T, S, R); both describe the same game, so every
name is invariant under relabelling actions and under swapping the players.

Ties: a game with equal payoffs for some player has ``tie = True`` and ``code = 0``; its
name is the name shared by every strict game obtained by breaking its ties, or ``"tie"``
if they disagree. Where some tie-breaking makes the game symmetric, only such symmetric
tie-breakings count (so the Battle of the Sexes with equally bad mismatches is still
``battle_of_the_sexes``, while Matching Pennies is ``asymmetric``).

References
----------
Rapoport, A. & Guyer, M. (1966). A taxonomy of 2×2 games. *General Systems* 11, 203-214.
Rapoport, A. (1967). Exploiter, Leader, Hero, and Martyr: the four archetypes of the 2×2
game. *Behavioral Science* 12(2), 81-84.
Robinson, D. & Goforth, D. (2005). *The Topology of the 2x2 Games: A New Periodic Table*.
Routledge.
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden.games._input import bimatrix_iv, tol_iv
from burden.games._results import GameClass

__all__ = ["NAMES", "classify_2x2"]

NAMES = (
    "prisoners_dilemma",
    "chicken",
    "stag_hunt",
    "deadlock",
    "harmony",
    "battle_of_the_sexes",
    "other_symmetric",
    "asymmetric",
    "tie",
)
_ORDERS = {  # best first, outcomes named from the row player's side
    "TRPS": "prisoners_dilemma",
    "TRSP": "chicken",
    "RTPS": "stag_hunt",
    "TPRS": "deadlock",
    "RTSP": "harmony",
    "STRP": "battle_of_the_sexes",
    "TSRP": "battle_of_the_sexes",
}
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


def classify_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> GameClass:
    """Ordinal type of each 2×2 game of a batch.

    Parameters
    ----------
    A, B : array_like, shape ``(..., 2, 2)``
        Payoffs of the row and the column player (``A[..., r, c]`` when row plays ``r``
        and column plays ``c``); batch shapes broadcast. Any labelling of the actions.
    tol : float, optional
        Payoffs of one player closer than ``tol * max|payoff|`` count as tied.

    Returns
    -------
    GameClass
        ``name`` (str), ``code`` (1..144, 0 for ties), ``tie`` and ``cooperate``
        (``(..., 2)``: which action is C for each player, -1 if none), as described in
        the module docstring. ``str(result)`` and ``result == "chicken"`` work on names.

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
    whose equally bad mismatches are a tie.

    >>> import numpy as np
    >>> A = np.array([[[0, -1], [1, -10]], [[4, 1], [3, 2]], [[2, -1], [-1, 1]]])
    >>> B = np.array([[[0, 1], [-1, -10]], [[4, 3], [1, 2]], [[1, -1], [-1, 2]]])
    >>> c = classify_2x2(A, B)
    >>> c.name
    array(['chicken', 'stag_hunt', 'battle_of_the_sexes'], dtype='<U19')
    >>> c.code, c.tie
    (array([144,  14,   0]), array([False, False,  True]))
    """
    A, B = bimatrix_iv(A, B, shape=(2, 2))
    tol_iv(tol)
    batch = A.shape[:-2]
    # Each player's payoffs as (own action, opponent action) cells: B is transposed.
    a = A.reshape(-1, 4)
    b = np.swapaxes(B, -1, -2).reshape(-1, 4)
    ranks, ties = [], np.zeros(a.shape[0], dtype=bool)
    gaps = [tol * np.abs(u).max(axis=1) for u in (a, b)]
    for u, gap in zip((a, b), gaps, strict=True):
        rank = np.zeros(u.shape, dtype=np.int64)
        for x, y in itertools.combinations(range(4), 2):  # six comparisons, whole batch each
            x_better = u[:, x] > u[:, y] + gap
            y_better = u[:, y] > u[:, x] + gap
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
                u[part, :, None] < u[part, None, :] - gap[part, None, None]
                for u, gap in zip((a, b), gaps, strict=True)
            ]
            name[part], coop[part] = _tie_consensus(*less)
    return GameClass(
        name=np.array(NAMES)[name].reshape(batch),
        code=code.reshape(batch),
        tie=ties.reshape(batch),
        cooperate=coop.reshape((*batch, 2)),
    )


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
    coop_out = np.where(coop.sum(axis=2) == 1, coop.argmax(axis=2), -1)
    return name, coop_out
