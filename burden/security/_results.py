"""Result objects of :mod:`burden.security` (the models are explained in ``docs/security.md``).

Every result has a per-scenario ``status`` from :class:`burden.Status` (``docs/status.md``)
and ``success = status >= 0``; results pickle, compare with ``==`` and tabulate with
``to_frame()``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from burden._results import Result, result_class

__all__ = [
    "CommitmentEquilibria",
    "CommitmentMatrixGame",
    "MultilateralEquilibria",
    "MultilateralEquilibrium",
    "ReducedForm",
    "TradeOff",
    "TrustCutoffs",
]


@result_class
class ReducedForm(Result):
    """Coefficients of ``U_i = const_i + α_i c_i + β_i c_j + γ_i c_i c_j − η_i c_i²/2``.

    Every coefficient has shape ``(..., 2)`` (ally 1, ally 2).

    Attributes
    ----------
    alpha, beta, gamma, eta, const : ndarray, shape (..., 2)
        The coefficients (``docs/security.md``, "Reduced form").
    status : ndarray of int8, shape (...)
        ``SUCCESS``, or ``NOT_FINITE`` where a coefficient overflowed.
    """

    _core_dims = ("ally",)

    alpha: NDArray[np.float64]
    beta: NDArray[np.float64]
    gamma: NDArray[np.float64]
    eta: NDArray[np.float64]
    const: NDArray[np.float64]
    status: NDArray[np.int8]


@result_class
class CommitmentEquilibria(Result):
    """Every equilibrium of a batch of dyadic commitment games, in ``K = 4`` fixed slots.

    Each game's ``count`` equilibria fill the first ``count`` slots, sorted by ``c_1`` then
    ``c_2``; unused slots hold NaN (``stable`` False). A regular game has at most three
    equilibria; the fourth slot serves degenerate games, whose equilibrium set is listed by
    its extreme points.

    Attributes
    ----------
    c : ndarray, shape (..., K, 2)
        Equilibrium commitments (last axis: ally 1, ally 2). Where ``continuum`` is true they
        are the extreme points of the equilibrium set.
    count : ndarray of int8, shape (...)
        Number of slots in use (at most ``K``, hence the narrow integer type).
    continuum : ndarray of bool, shape (...)
        True where the equilibria form segments (then see ``segments``).
    segments : ndarray, shape (..., L, 2, 2)
        End points ``[start, end]`` of each segment of equilibria, NaN-padded; ``L`` is the
        largest number of segments of a game of the batch (0 when no game has a continuum).
        When both allies ignore their own commitment every profile is an equilibrium: the
        four edges of the square.
    stable : ndarray of bool, shape (..., K)
        Local asymptotic stability under best-response dynamics (``docs/security.md``).
    abandonment_risk : ndarray, shape (..., K, 2)
        ``π_i (1 − c_j)``: probability that ally i faces a crisis alone.
    entrapment_risk : ndarray, shape (..., K, 2)
        ``π_j (1 + m_j c_i) c_i``: expected exposure of ally i to the partner's wars (a
        rate, not a probability: it can exceed 1 when ``m_j`` is large).
    bargaining_share : ndarray, shape (..., K, 2)
        ``κ_i (c_j − c_i)/2``: the bargaining term of ``U_i``; positive when the partner is
        the more committed (i holds the leverage).
    utility : ndarray, shape (..., K, 2)
        ``U_i`` at the equilibrium.
    status : ndarray of int8, shape (...)
        ``SUCCESS``: every equilibrium is listed and certified (no ally gains more than
        ``tol`` × the game's payoff scale by any deviation). ``NOT_UNIQUE``: certified, but
        the set also holds segments (``continuum``). ``NOT_CERTIFIED``: some listed point
        failed its certificate. ``NOT_FINITE``: the payoff coefficients overflowed.
    """

    _core_dims = ("equilibrium", "ally")

    c: NDArray[np.float64]
    count: NDArray[np.int8]
    continuum: NDArray[np.bool_]
    segments: NDArray[np.float64]
    stable: NDArray[np.bool_]
    abandonment_risk: NDArray[np.float64]
    entrapment_risk: NDArray[np.float64]
    bargaining_share: NDArray[np.float64]
    utility: NDArray[np.float64]
    status: NDArray[np.int8]


@result_class
class CommitmentMatrixGame(Result):
    """The strong/weak reduction of a commitment game to a 2×2 bimatrix game.

    Action 0 is **strong** commitment (``c = 1``, "cooperate"), action 1 is **weak**
    commitment (``c = 0``, "defect"); ``A[..., r, s]`` is ally 1's payoff and
    ``B[..., r, s]`` ally 2's when ally 1 plays ``r`` and ally 2 plays ``s``.

    Attributes
    ----------
    A, B : ndarray, shape (..., 2, 2)
        Payoff matrices of ally 1 (row) and ally 2 (column).
    name : ndarray of str, shape (...)
        The ordinal type from :func:`burden.games.classify_2x2` (e.g. ``"prisoners_dilemma"``,
        ``"chicken"``, ``"stag_hunt"``).
    classification : GameClass
        The full result of :func:`burden.games.classify_2x2`.
    status : ndarray of int8, shape (...)
        ``SUCCESS``, or ``NOT_FINITE`` where a payoff overflowed.
    """

    _core_dims = ("row", "column")

    A: NDArray[np.float64]
    B: NDArray[np.float64]
    name: NDArray[np.str_]
    classification: object
    status: NDArray[np.int8]


@result_class
class TradeOff(Result):
    """Equilibria of a commitment game along one parameter, as continuous branches.

    The batch shape is the game's batch shape followed by ``V = len(values)``. The
    equilibrium axis is a **branch** axis: ``c[..., v, b, :]`` is branch ``b`` at
    ``values[v]``, NaN where branch ``b`` does not exist. A branch is continued from one value
    to the next by matching the equilibria (sorted by ``c_1``, which cannot cross without
    merging) in order, closest first; a branch that ends (an equilibrium vanishes, as in a
    fold where a stable and an unstable one meet) is never reused, and an equilibrium that
    appears starts a new branch. So ``values`` against ``c[..., :, b, i]`` draws each branch
    as one continuous curve, with gaps where it does not exist, and no false jumps. ``B``
    is the largest number of branches of a game of the batch.

    Attributes
    ----------
    vary : str
        The parameter varied.
    ally : int or None
        The ally whose parameter was varied (None for ``realign``).
    values : ndarray, shape (V,)
        The values taken.
    c, abandonment_risk, entrapment_risk, bargaining_share, utility : ndarray, shape (..., V, B, 2)
        As in :class:`CommitmentEquilibria`, per branch.
    stable : ndarray of bool, shape (..., V, B)
        Stability of each branch at each value (False where it does not exist).
    count : ndarray of int8, shape (..., V)
        Number of equilibria at each value.
    continuum : ndarray of bool, shape (..., V)
        True where the equilibria form segments (their extreme points are the branches there).
    status : ndarray of int8, shape (..., V)
        The status of :class:`CommitmentEquilibria` at each value.
    """

    _core_dims = ("branch", "ally")

    vary: str
    ally: int | None
    values: NDArray[np.float64]
    c: NDArray[np.float64]
    count: NDArray[np.int8]
    continuum: NDArray[np.bool_]
    stable: NDArray[np.bool_]
    abandonment_risk: NDArray[np.float64]
    entrapment_risk: NDArray[np.float64]
    bargaining_share: NDArray[np.float64]
    utility: NDArray[np.float64]
    status: NDArray[np.int8]


@result_class
class MultilateralEquilibrium(Result):
    """One equilibrium per game of an n-ally commitment game.

    Attributes
    ----------
    c : ndarray, shape (..., n)
        Commitments (NaN where ``status < 0``).
    utility : ndarray, shape (..., n)
        Each ally's payoff at ``c``.
    unique : ndarray of bool, shape (...)
        True where the LCP matrix is proven a P-matrix, so ``c`` is the only equilibrium.
    residual : ndarray, shape (...)
        Largest gain of an ally from any deviation at ``c``, relative to the game's payoff
        scale (0 at an exact equilibrium).
    status : ndarray of int8, shape (...)
        ``SUCCESS`` (certified), ``NOT_UNIQUE`` (certified, but other equilibria may exist) or
        a failure of :func:`burden.lcp.solve` or of the certificate.
    """

    _core_dims = ("ally",)

    c: NDArray[np.float64]
    utility: NDArray[np.float64]
    unique: NDArray[np.bool_]
    residual: NDArray[np.float64]
    status: NDArray[np.int8]


@result_class
class MultilateralEquilibria(Result):
    """All equilibria of each game of an n-ally commitment game.

    Attributes
    ----------
    c : ndarray, shape (..., K, n)
        Equilibria, NaN-padded to ``K = max(count)``.
    utility : ndarray, shape (..., K, n)
        Payoffs at each equilibrium.
    count : ndarray of int, shape (...)
        Number of equilibria found.
    complete : ndarray of bool, shape (...)
        False where a singular block (an indifferent ally, ``η_i = 0``) may hide a continuum.
    status : ndarray of int8, shape (...)
        ``SUCCESS``: the list is complete and every point is certified. ``NOT_UNIQUE``:
        every point is certified, but the list may miss a continuum (``complete`` False).
        ``NOT_CERTIFIED``: some point failed its certificate, or none was found.
    """

    _core_dims = ("equilibrium", "ally")

    c: NDArray[np.float64]
    utility: NDArray[np.float64]
    count: NDArray[np.int_]
    complete: NDArray[np.bool_]
    status: NDArray[np.int8]


@result_class
class TrustCutoffs(Result):
    """All cutoff equilibria of Kydd's trust game for a batch of costs ``c``.

    Attributes
    ----------
    cutoffs : ndarray, shape (..., K)
        Interior cutoff types ``t*`` (types below cooperate), ascending, NaN-padded to
        ``K = max(count)``.
    count : ndarray of int, shape (...)
        Number of interior cutoffs found.
    everyone_cooperates : ndarray of bool, shape (...)
        True where the type support is bounded above by ``t <= 1`` (all types trustworthy),
        so that universal cooperation is also an equilibrium.
    spiral : ndarray of bool, shape (...)
        True where mutual defection is the only equilibrium.
    status : ndarray of int8, shape (...)
        ``SUCCESS`` where every cutoff converged and passed its certificate (the cutoff
        equation holds to rounding, relative to its terms); ``NOT_CONVERGED`` where the root
        finder failed for some cutoff.
    """

    _core_dims = ("cutoff",)

    cutoffs: NDArray[np.float64]
    count: NDArray[np.int_]
    everyone_cooperates: NDArray[np.bool_]
    spiral: NDArray[np.bool_]
    status: NDArray[np.int8]
