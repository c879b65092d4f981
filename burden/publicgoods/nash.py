"""Nash equilibrium of voluntary contributions to an alliance good: :func:`nash`.

One entry point for every model (the pure public good, spill-ins, joint products) and one
result, :class:`~burden.publicgoods.results.NashEquilibrium`. The methods (sort-and-add, the
quasi-linear closed form, batched root finding for any other preferences) are derived in
``docs/publicgoods.md``; spill-ins and joint products in ``docs/impure.md``.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import for_each_chunk
from burden._roots import solve_monotone
from burden._status import Status, status_dtype
from burden._validation import workers_iv
from burden._warnings import MultipleEquilibriaWarning
from burden.preferences import Preferences
from burden.publicgoods._certify import REL_TOL, certify_nash
from burden.publicgoods._inputs import (
    DEFAULT_CHUNK,
    chunk_iv,
    linear_foc_at,
    members_iv,
    prefs_members,
    prefs_rows,
    solve_by_presence,
    spillover_iv,
)
from burden.publicgoods._linear import LinearNash, nash_linear
from burden.publicgoods.joint_products import joint_product_nash
from burden.publicgoods.results import NashEquilibrium
from burden.publicgoods.spillover import linear_foc_iv, spillover_nash

__all__ = ["nash"]


def nash(
    w: ArrayLike,
    prefs: Preferences,
    *,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    spillover: ArrayLike | None = None,
    chunk: int = DEFAULT_CHUNK,
    workers: int = 1,
) -> NashEquilibrium:
    """Nash equilibrium contributions to an alliance good.

    Member ``i`` with wealth ``w_i`` provides ``g_i`` in ``[0, w_i/p]`` and enjoys
    ``Q_i = g_i + Σ_{j≠i} θ_ij g_j + G0``; with the default ``spillover`` (``θ = 1``) the good
    is purely public and every member enjoys the total ``G = G0 + Σ g``. See
    ``docs/publicgoods.md`` and ``docs/impure.md`` for the models and methods, and
    ``docs/status.md`` for ``status``.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth, ``> 0``. Leading axes are scenarios. NaN marks an absent member: its
        per-member fields are NaN (``contributors`` False) and it counts in no total.
    prefs : Preferences
        Members' preferences (built-in, :class:`~burden.JointProduct`, or a user subclass);
        parameters broadcast against ``w``. With spill-ins: preferences with a linear
        first-order condition (CobbDouglas, CES, StoneGeary) or JointProduct.
    p : array_like, shape ``(...)``, optional
        Unit price of the good, ``> 0`` (default 1).
    G0 : array_like, shape ``(...)``, optional
        Exogenous provision enjoyed by every member, ``>= 0`` (default 0). An unfunded ``G0``
        is crowded out only partially (``docs/publicgoods.md``, "Outside provision").
    spillover : float or array_like, shape ``(..., n, n)``, optional
        Spill-in weights ``θ`` in [0, 1]: a scalar per call, or a matrix with
        ``θ[..., i, j]`` the share of ``j``'s provision that protects ``i`` (diagonal
        ignored). ``None`` (default) or ``1.0``: the pure public good.
    chunk : int, optional
        Scenarios solved at once (bounds memory; default 8192).
    workers : int, optional
        Threads that solve chunks in parallel (SciPy's convention: default 1; ``-1`` one per
        CPU). The answer does not depend on it.

    Returns
    -------
    NashEquilibrium
        ``g``, ``G``, ``Q``, ``x``, ``contributors``, ``dropout``, ``indeterminate``,
        ``residual``, ``status`` and the lazy ``utility``; per-member fields have shape
        ``batch + (n,)``, per-scenario fields ``batch``.

    Raises
    ------
    ValueError, TypeError
        For invalid input, naming the argument and the offending element.

    Warns
    -----
    MultipleEquilibriaWarning
        When members' individual contributions are indeterminate (the total is not).
    NotPMatrixWarning
        When a spill-in matrix does not guarantee a unique equilibrium.

    Examples
    --------
    Two allies with Cobb–Douglas ``a = 1/2`` (derived in ``docs/publicgoods.md``):

    >>> import burden as bd
    >>> eq = bd.nash([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> eq.g, eq.G
    (array([40., 20.]), array(60.))
    >>> bd.nash([100.0, 40.0], bd.CobbDouglas(0.5)).g  # the small ally free-rides
    array([50.,  0.])

    A batch of three scenarios with a patron providing ``G0``:

    >>> bd.nash([[100.0, 80.0]] * 3, bd.CobbDouglas(0.5), G0=[0.0, 30.0, 200.0]).G
    array([ 60.,  70., 200.])

    Spill-ins: half of each ally's defence protects the other (derived in ``docs/impure.md``):

    >>> eq = bd.nash([100.0, 80.0], bd.CobbDouglas(0.5), spillover=0.5)
    >>> eq.g, eq.G, eq.Q
    (array([42.666667, 29.333333]), array(72.), array([57.333333, 50.666667]))
    """
    workers = workers_iv(workers)
    chunk = chunk_iv(chunk)
    w, p, G0, absent = members_iv(w, prefs, p, G0, absent=True)
    n = w.shape[-1]
    theta, is_matrix = None, False
    if spillover is not None:
        theta, is_matrix, batch = spillover_iv(spillover, n, p.shape)
        if not is_matrix and theta == 1.0:
            theta = None  # the pure public good, solved as such
        else:
            w, p, G0 = np.broadcast_to(w, batch + (n,)), np.broadcast_to(p, batch), np.broadcast_to(G0, batch)
    if absent:
        return _with_absent_members(w, prefs, p, G0, theta, is_matrix, chunk, workers)
    indeterminate = Q = linear = None
    # Overflow, underflow and 0 * inf at the edge of floating point are expected here: the
    # certificate reports them per scenario (NOT_FINITE), never as a numpy warning.
    with np.errstate(all="ignore"):
        if prefs.closed_form == "joint_product":
            theta = np.asarray(1.0) if theta is None else theta
            g, Q, x, dropout, status = joint_product_nash(w, prefs, theta, is_matrix, p, G0)
        elif is_matrix:
            g, Q, x, dropout, status = spillover_nash(w, prefs, theta, p, G0, chunk)
        elif theta is not None:  # one spill-in θ: the sort-and-add kernel on V = G0 + θ Σ g
            linear = nash_linear(
                w, *linear_foc_iv(prefs, p), p, G0, spillover=theta, chunk=chunk, workers=workers
            )
            g, x, dropout = linear.g, linear.x, linear.dropout
            Q = linear.G[..., None] + (1.0 - theta) * g
        else:
            g, G, x, dropout, indeterminate, status, linear = _pure(w, prefs, p, G0, chunk, workers)
        if Q is not None:
            G = G0 + g.sum(-1)
    if linear is not None:  # the kernel certified every scenario in its own pass
        contributors, residual = linear.contributors, linear.residual
        status = _linear_status(linear, prefs, x, G[..., None] if Q is None else Q)
    else:
        contributors = g > 0
        residual, status = certify_nash(prefs, w, p, G0, g, G, x, Q, status, chunk, workers)
    if indeterminate is None:
        indeterminate = np.broadcast_to(False, g.shape)  # nobody's share is indeterminate
    elif indeterminate.any():
        warnings.warn(
            "tied quasi-linear members (or members whose replacement function jumps at the "
            "equilibrium): the total G is unique but their split is not "
            "(a wealth-proportional split is reported; see `indeterminate`)",
            MultipleEquilibriaWarning,
            stacklevel=2,
        )
    return NashEquilibrium(
        g=g,
        G=np.asarray(G),
        Q=np.broadcast_to(np.asarray(G)[..., None], g.shape) if Q is None else Q,
        x=x,
        contributors=contributors,
        dropout=dropout,
        indeterminate=indeterminate,
        residual=residual,
        status=status,
        _prefs=prefs,
    )


def _linear_status(linear: LinearNash, prefs: Preferences, x: NDArray, Q: NDArray) -> NDArray:
    """The status of the sort-and-add kernel's answer, from its in-pass certificate.

    Every check of :func:`certify_nash` (``docs/publicgoods.md``, "Certificates") is made by the
    kernel on the answer it writes: finite values and coefficients, the identity, bounds and
    budget, and each member's best response relative both to its budget and to the terms it is
    computed from; subsistence levels (of ``x`` and of the good each member enjoys, ``Q``)
    are checked here.
    """
    status = np.where(linear.certified(REL_TOL), Status.SUCCESS, Status.NOT_CERTIFIED)
    status = np.where(linear.out_of_range(), Status.NOT_FINITE, status)
    levels = prefs.subsistence()
    if levels is not None:
        with np.errstate(invalid="ignore"):
            short = ((x <= levels[0]) | (Q <= levels[1])).any(-1)
        status = np.where(short & (status != Status.NOT_FINITE), Status.INFEASIBLE, status)
    return status.astype(status_dtype)


def _with_absent_members(
    w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray, theta, is_matrix: bool, chunk: int, workers: int
) -> NashEquilibrium:
    """:func:`nash` when NaN wealth marks absent members: each group of scenarios with the same
    members present is solved without the absent ones, whose per-member fields are NaN
    (``contributors`` False) and who count in no total (``docs/publicgoods.md``)."""
    batch, n = w.shape[:-1], w.shape[-1]
    rows = int(np.prod(batch, dtype=np.int64))
    W = np.reshape(w, (rows, n))
    P, G0s = np.reshape(np.broadcast_to(p, batch), rows), np.reshape(np.broadcast_to(G0, batch), rows)
    TH = np.reshape(theta, (rows, n, n)) if is_matrix else theta

    def solve(idx: NDArray, cols: NDArray) -> NashEquilibrium:
        sub = prefs_members(prefs_rows(prefs, batch, idx), n, cols)
        spill = None if theta is None else (TH[idx][:, cols][:, :, cols] if is_matrix else theta)
        return nash(
            W[np.ix_(idx, cols)], sub, p=P[idx], G0=G0s[idx], spillover=spill, chunk=chunk, workers=workers
        )

    members = {name: np.full((rows, n), np.nan) for name in ("g", "Q", "x", "dropout")}
    members |= {name: np.zeros((rows, n), dtype=bool) for name in ("contributors", "indeterminate")}
    # nobody present: the patron's provision alone
    scenarios = {
        "G": G0s.astype(float),
        "residual": np.zeros(rows),
        "status": np.zeros(rows, dtype=status_dtype),
    }
    solve_by_presence(W, solve, members, scenarios)
    shape = batch + (n,)
    return NashEquilibrium(
        **{name: v.reshape(shape) for name, v in members.items()},
        **{name: v.reshape(batch) for name, v in scenarios.items()},
        _prefs=prefs,
    )


def _pure(
    w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray, chunk: int, workers: int
) -> tuple[NDArray, ...]:
    """The pure public good: ``g, G, x, dropout, indeterminate, status, linear`` (full batch shapes).

    ``linear`` is the sort-and-add kernel's :class:`LinearNash` (with its certificate) when the
    preferences have a linear first-order condition, else ``None``.
    """
    pm = p[..., None]
    status = np.zeros(p.shape, dtype=status_dtype)
    foc = None if prefs.closed_form == "quasi_linear" else linear_foc_at(prefs, p)
    if foc is not None:
        with np.errstate(all="ignore"):  # overflow and 0 * inf are reported as NOT_FINITE
            eq = nash_linear(w, *foc, p, G0, chunk=chunk, workers=workers)
        return eq.g, eq.G, eq.x, eq.dropout, None, status, eq
    if prefs.closed_form == "quasi_linear":
        with np.errstate(divide="ignore", invalid="ignore"):
            g, G, indeterminate = _quasilinear(w, np.broadcast_to(prefs.b, w.shape), p, G0)
            x = w - pm * g
            dropout = np.broadcast_to(prefs.dropout(w, pm), w.shape).copy()
        return g, G, x, dropout, indeterminate, status, None
    return (*_numeric(w, prefs, p, G0, chunk, workers), None)


def _quasilinear(w: NDArray, b: NDArray, p: NDArray, G0: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Quasi-linear closed form (docs/publicgoods.md); returns ``g``, ``G``, ``indeterminate``."""
    ideal = b / p[..., None]
    order = np.argsort(-ideal, axis=-1)
    ideal_sorted = np.take_along_axis(ideal, order, axis=-1)
    budget = G0[..., None] + np.cumsum(np.take_along_axis(w / p[..., None], order, axis=-1), axis=-1)
    G = np.maximum(G0, np.max(np.minimum(ideal_sorted, budget), axis=-1))
    spends_all = ideal > G[..., None]
    marginal = ideal == G[..., None]
    remainder = G - G0 - np.sum(np.where(spends_all, w / p[..., None], 0.0), axis=-1)
    # Tied marginal members: any split of the remainder is an equilibrium; wealth-proportional is feasible.
    marginal_wealth = np.sum(np.where(marginal, w, 0.0), axis=-1)
    share = np.where(marginal, w / np.where(marginal_wealth > 0, marginal_wealth, 1.0)[..., None], 0.0)
    g = np.where(spends_all, w / p[..., None], share * remainder[..., None])
    indeterminate = marginal & (np.sum(marginal, axis=-1, keepdims=True) > 1) & (remainder[..., None] > 0)
    return g, G, indeterminate


def _numeric(
    w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray, chunk: int, workers: int
) -> tuple[NDArray, ...]:
    """Any preferences: root of ``G - G0 - Σ r_i(G)`` (increasing in G), chunk by chunk."""
    batch, n = w.shape[:-1], w.shape[-1]
    rows = int(np.prod(batch, dtype=np.int64))
    w2 = np.reshape(w, (rows, n))
    p1, G01 = np.reshape(p, rows), np.reshape(G0, rows)
    g, x, dropout = (np.empty((rows, n)) for _ in range(3))
    indeterminate = np.empty((rows, n), dtype=bool)
    G = np.empty(rows)
    status = np.empty(rows, dtype=status_dtype)

    def solve_chunk(part: slice) -> None:
        out = _numeric_rows(w2[part], prefs_rows(prefs, batch, part), p1[part], G01[part])
        g[part], G[part], x[part], dropout[part], indeterminate[part], status[part] = out

    for_each_chunk(solve_chunk, rows, chunk, workers)
    shape = batch + (n,)
    return (
        g.reshape(shape),
        G.reshape(batch),
        x.reshape(shape),
        dropout.reshape(shape),
        indeterminate.reshape(shape),
        status.reshape(batch),
    )


def _numeric_rows(w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray) -> tuple[NDArray, ...]:
    """:func:`_numeric` on flat ``(rows, n)`` arrays.

    The replacement functions of preferences without income effects (or with jumps) are
    discontinuous: at the root the members whose replacement jumps there are indifferent over
    the jump and share what the others leave to reach ``G``, in proportion to their jumps.
    """
    pm = p[:, None]

    def excess(G: NDArray) -> NDArray:
        return G - G0 - np.sum(prefs.replacement(G[:, None], w, pm), axis=-1)

    # Bracket: at G0 the excess is -Σ r_i(G0) <= 0; at G0 + Σ w/p it is >= 0. A zero lower end
    # is nudged up because many utilities are singular at G = 0.
    total = G0 + np.sum(w / pm, axis=-1)
    lo = np.where(G0 > 0, G0, total * 1e-300)
    with np.errstate(all="ignore"):
        nobody = excess(lo) >= 0  # nobody contributes: G = G0 (0 without a patron)
        everyone = ~nobody & (excess(total) <= 0)  # every member spends all its wealth
    G, root_status = solve_monotone(excess, lo, total, active=~nobody & ~everyone)
    G = np.where(nobody, G0, np.where(everyone, total, G))
    with np.errstate(all="ignore"):
        g = np.where(nobody[:, None], 0.0, prefs.replacement(G[:, None], w, pm))
        gap = G - G0 - g.sum(-1)
        indeterminate = np.zeros(w.shape, dtype=bool)
        rows = np.flatnonzero(np.abs(gap) > REL_TOL * G)  # only where the replacement functions jump
        if rows.size:
            sub = prefs_rows(prefs, (w.shape[0],), rows)
            G_r, w_r, p_r = G[rows, None], w[rows], pm[rows]
            step = 8 * np.finfo(float).eps
            left = sub.replacement(G_r * (1.0 - step), w_r, p_r)
            right = sub.replacement(G_r * (1.0 + step), w_r, p_r)
            jump = np.maximum(left - right, 0.0)
            room = jump.sum(-1)
            needed = G[rows] - G0[rows] - right.sum(-1)
            share = (needed >= -REL_TOL * G[rows]) & (needed <= room * (1.0 + REL_TOL)) & (room > 0)
            fraction = np.clip(needed / np.where(share, room, 1.0), 0.0, 1.0)
            g[rows] = np.where(share[:, None], right + jump * fraction[:, None], g[rows])
            indeterminate[rows] = share[:, None] & (jump > 0) & ((jump > 0).sum(-1, keepdims=True) > 1)
        x = w - pm * g
        dropout = np.broadcast_to(prefs.dropout(w, pm), w.shape)
    status = np.where(root_status == 0, Status.SUCCESS, Status.NOT_CONVERGED).astype(status_dtype)
    return g, G, x, dropout, indeterminate, status
