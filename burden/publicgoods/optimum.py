"""Pareto reference points of the pure public good: :func:`lindahl`, :func:`samuelson_residual`.

Derivations (Lindahl prices with exogenous provision, the Samuelson condition) in
``docs/publicgoods.md``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import for_each_chunk
from burden._roots import solve_monotone
from burden._status import Status, status_dtype
from burden._validation import as_float_array, workers_iv
from burden.preferences import Preferences
from burden.publicgoods._certify import REL_TOL
from burden.publicgoods._inputs import (
    DEFAULT_CHUNK,
    chunk_iv,
    members_iv,
    prefs_members,
    prefs_rows,
    solve_by_presence,
)
from burden.publicgoods.results import LindahlOptimum

__all__ = ["lindahl", "samuelson_residual"]

_HUGE = np.finfo(np.float64).max
# families the compiled kernel solves (exact built-in types: a subclass overriding utility or mrs
# has closed_form None)
_KERNEL_FAMILIES = ("cobb_douglas", "ces", "stone_geary")


def lindahl(
    w: ArrayLike,
    prefs: Preferences,
    *,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    chunk: int = DEFAULT_CHUNK,
    workers: int = 1,
) -> LindahlOptimum:
    """Lindahl equilibrium: personalised cost shares at which all members demand the same total.

    Member ``i`` pays the share ``tau_i`` of the cost ``p (G - G0)`` of what the alliance buys
    on top of exogenous provision ``G0``; at the equilibrium every member demands the same
    total ``G`` and the shares add up to one. Where the members' summed willingness to pay at
    ``G0`` is below the price the alliance buys nothing (``G = G0``) and ``tau`` are the
    shares of the next unit's price. Method and certificate in ``docs/publicgoods.md``.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth, ``> 0``; NaN marks an absent member, as in :func:`burden.nash`.
    prefs : Preferences
        Members' preferences; parameters broadcast against ``w``. Not
        :class:`~burden.JointProduct` (use :func:`burden.joint_optimum`).
    p : array_like, shape ``(...)``, optional
        Unit price of the alliance good (default 1).
    G0 : array_like, shape ``(...)``, optional
        Exogenous provision, ``>= 0`` (default 0), as in :func:`burden.nash`.
    chunk : int, optional
        Scenarios solved or evaluated at once (bounds memory; default 8192).
    workers : int, optional
        Threads that solve chunks in parallel (default 1; ``-1`` one per CPU).

    Returns
    -------
    LindahlOptimum
        ``g``, ``G``, ``Q``, ``x``, ``tau``, ``utility``, ``welfare``, ``residual``, ``status``.

    Examples
    --------
    Derived in ``docs/publicgoods.md``: ``G = Σ a w / p = 90``, ``tau = (5/9, 4/9)``.

    >>> import burden as bd
    >>> opt = bd.lindahl([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> opt.G, opt.tau
    (array(90.), array([0.555556, 0.444444]))
    """
    workers = workers_iv(workers)
    chunk = chunk_iv(chunk)
    if prefs.closed_form == "joint_product":
        raise TypeError(
            "`prefs` must describe a pure public good for `lindahl`; a JointProduct's private "
            "benefit has no Lindahl price: use burden.joint_optimum"
        )
    w, p, G0, absent = members_iv(w, prefs, p, G0, absent=True)
    if absent:
        return _with_absent_members(w, prefs, p, G0, chunk, workers)
    if prefs.closed_form in _KERNEL_FAMILIES:
        return _lindahl_compiled(w, prefs, p, G0, chunk, workers)
    batch, n = w.shape[:-1], w.shape[-1]
    rows = int(np.prod(batch, dtype=np.int64))
    w2 = np.reshape(w, (rows, n))
    p1, G01 = np.reshape(p, rows), np.reshape(G0, rows)
    g, x, tau, utility = (np.empty((rows, n)) for _ in range(4))
    G, residual = np.empty(rows), np.empty(rows)
    status = np.empty(rows, dtype=status_dtype)

    def solve_chunk(part: slice) -> None:
        out = _lindahl_rows(w2[part], prefs_rows(prefs, batch, part), p1[part], G01[part])
        g[part], G[part], x[part], tau[part], utility[part], residual[part], status[part] = out

    for_each_chunk(solve_chunk, rows, chunk, workers)
    shape = batch + (n,)
    G = G.reshape(batch)
    utility = utility.reshape(shape)
    return LindahlOptimum(
        g=g.reshape(shape),
        G=G,
        Q=np.broadcast_to(G[..., None], shape),
        x=x.reshape(shape),
        tau=tau.reshape(shape),
        utility=utility,
        welfare=np.asarray(utility.sum(-1)),
        residual=residual.reshape(batch),
        status=status.reshape(batch),
    )


def kernel_params(prefs: Preferences) -> dict[str, NDArray]:
    """The family parameters the compiled kernels take besides ``a`` (``_KERNEL_FAMILIES`` only)."""
    if prefs.closed_form == "stone_geary":
        return {"x_min": prefs.x_min, "G_min": prefs.G_min}
    return {"rho": getattr(prefs, "rho", np.zeros(()))}  # Cobb–Douglas: CES with rho = 0


def _lindahl_compiled(
    w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray, chunk: int, workers: int
) -> LindahlOptimum:
    """:func:`lindahl` of the built-in families, by the compiled kernel (utilities included)."""
    # imported on first use: numba's import alone costs `import burden` about half a second
    from burden.publicgoods._kernels_lindahl import _MAX_ITERATIONS, lindahl_arrays

    sol = lindahl_arrays(
        w,
        prefs.a,
        p,
        G0=G0,
        log_utility=prefs.closed_form == "cobb_douglas",
        **kernel_params(prefs),
        chunk=chunk,
        workers=workers,
    )
    residual = np.asarray(np.maximum(sol.price_residual, sol.member_residual))
    certified = (residual <= REL_TOL) & sol.feasible  # the tolerance of every Lindahl certificate
    # A failure's first cause names it: an infeasible problem's NaN is no overflow.
    status = np.select(
        [certified, ~sol.feasible, sol.iterations >= _MAX_ITERATIONS, np.isinf(residual)],
        [Status.SUCCESS, Status.INFEASIBLE, Status.NOT_CONVERGED, Status.NOT_FINITE],
        Status.NOT_CERTIFIED,
    ).astype(status_dtype)
    utility = sol.utility
    # Extreme curvature (CES with rho near 1: t**sigma with sigma in the hundreds) can defeat the
    # kernel's Newton iteration; the bracketed root finder re-solves those few scenarios and its
    # answer replaces the kernel's where it is certified.
    failed_rows = np.flatnonzero(status < 0)
    if failed_rows.size:
        batch, n = w.shape[:-1], w.shape[-1]
        flat = [np.reshape(v, (-1, n)) for v in (w, sol.g, sol.x, sol.tau, utility)]
        G, res, st = (np.reshape(v, -1) for v in (sol.G, residual, status))
        p1, G01 = (np.reshape(np.broadcast_to(v, batch), -1) for v in (p, G0))
        redo = _lindahl_rows(
            flat[0][failed_rows], prefs_rows(prefs, batch, failed_rows), p1[failed_rows], G01[failed_rows]
        )
        ok = redo[-1] >= 0
        redone = failed_rows[ok]
        for target, value in zip((flat[1], G, flat[2], flat[3], flat[4], res, st), redo, strict=True):
            target[redone] = value[ok]
        np.reshape(sol.welfare, -1)[redone] = flat[4][redone].sum(-1)
    return LindahlOptimum(
        g=sol.g,
        G=sol.G,
        Q=np.broadcast_to(sol.G[..., None], w.shape),
        x=sol.x,
        tau=sol.tau,
        utility=utility,
        welfare=sol.welfare,
        residual=residual,
        status=status,
    )


def _with_absent_members(
    w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray, chunk: int, workers: int
) -> LindahlOptimum:
    """:func:`lindahl` when NaN wealth marks absent members (as :func:`burden.nash` does)."""
    batch, n = w.shape[:-1], w.shape[-1]
    rows = int(np.prod(batch, dtype=np.int64))
    W = np.reshape(w, (rows, n))
    P, G0s = np.reshape(p, rows), np.reshape(G0, rows)

    def solve(idx: NDArray, cols: NDArray) -> LindahlOptimum:
        sub = prefs_members(prefs_rows(prefs, batch, idx), n, cols)
        return lindahl(W[np.ix_(idx, cols)], sub, p=P[idx], G0=G0s[idx], chunk=chunk, workers=workers)

    members = {name: np.full((rows, n), np.nan) for name in ("g", "Q", "x", "tau", "utility")}
    # nobody present: the patron's provision alone
    scenarios = {"G": G0s.astype(float), "welfare": np.zeros(rows), "residual": np.zeros(rows)}
    scenarios["status"] = np.zeros(rows, dtype=status_dtype)
    solve_by_presence(W, solve, members, scenarios)
    shape = batch + (n,)
    return LindahlOptimum(
        **{name: v.reshape(shape) for name, v in members.items()},
        **{name: v.reshape(batch) for name, v in scenarios.items()},
    )


def _lindahl_rows(w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray) -> tuple[NDArray, ...]:
    """:func:`lindahl` on flat ``(rows, n)`` arrays, certified."""
    pm = p[:, None]
    status = np.full(p.shape, Status.SUCCESS, dtype=status_dtype)
    with np.errstate(all="ignore"):
        # Below the largest subsistence level of the good Lindahl prices are undefined.
        levels = prefs.subsistence()
        floor = np.maximum(G0, np.max(np.broadcast_to(levels[1], w.shape), axis=-1) if levels else 0.0)
        # The alliance buys nothing if the members' summed willingness to pay at G0 is below p.
        at_floor = np.where(floor > 0, floor, np.sum(w / pm, axis=-1) * 1e-300)
        willing = np.broadcast_to(prefs.mrs(w, at_floor[:, None]), w.shape)
        corner = (G0 >= floor) & ~(np.sum(willing, axis=-1) > p)
        scale = np.sum(w, axis=-1) / p

        # In u = log(G - floor): the total can lie anywhere from tiny to G0 + Σ w/p (where the
        # prices add up to at most Σ w/(G - G0) <= p), and a log-scale bracket is found at once.
        def excess_price(u: NDArray) -> NDArray:
            G = floor + np.exp(u)
            excess = p - np.sum(prefs.lindahl_price(G[:, None], w, G0[:, None]), axis=-1)
            # prices beyond the floating-point range near G = G0: far too dear
            excess = np.where(np.isnan(excess), -np.inf, excess)
            return np.where(corner, 1.0, np.clip(excess, -_HUGE, _HUGE))

        if prefs.closed_form == "quasi_linear":
            # t_i = b_i / G whatever the wealth: Σ t = p at G = Σ b / p (the budgets are checked below)
            G, root_status = np.sum(np.broadcast_to(prefs.b, w.shape), axis=-1) / p, np.zeros(p.shape)
        else:
            top = np.log(scale)
            # Prices still short of p at the top of the range (to rounding): every member spends
            # all it has, and the prices w/(G - G0) add up to p exactly there.
            at_top = ~corner & (excess_price(top) <= REL_TOL * p)
            u, root_status = solve_monotone(excess_price, top - 690.0, top, active=~corner & ~at_top)
            G = floor + np.exp(np.where(at_top, top, u))
        status[(root_status != 0) & ~corner] = Status.NOT_CONVERGED
        G = np.where(corner, G0, G)
        t, x = (np.broadcast_to(v, w.shape) for v in prefs.lindahl_allocation(G[:, None], w, G0[:, None]))
        next_unit = willing / np.where(corner, np.sum(willing, axis=-1), 1.0)[:, None] * pm
        t = np.where(corner[:, None], next_unit, t)
        x = np.where(corner[:, None], w, x)
        tau = t / pm
        g = tau * (G - G0)[:, None]
        utility = np.broadcast_to(prefs.utility(x, G[:, None]), w.shape)
        # Certificate: the prices add up to p, and each member demands G at its own price
        # (mrs = t where it keeps some consumption, mrs >= t where it spends everything).
        mrs = np.broadcast_to(prefs.mrs(x, G[:, None]), w.shape)
        interior = x > REL_TOL * w
        demand = np.where(interior, np.abs(mrs - t), np.maximum(t - mrs, 0.0)) / t
        demand = np.where(corner[:, None], 0.0, demand)
        spent = np.abs(x + pm * g - w) / w  # the budget, x + p g = w
        residual = np.maximum(np.maximum(np.abs(tau.sum(-1) - 1.0), demand.max(-1)), spent.max(-1))
        residual = np.where(np.isnan(residual), np.inf, residual)
        finite = np.isfinite(G) & np.isfinite(g).all(-1) & np.isfinite(x).all(-1) & np.isfinite(tau).all(-1)
        levels = prefs.subsistence()
        x_floor = np.broadcast_to(levels[0], w.shape) if levels else 0.0
        feasible = ((x > x_floor) if levels else (x >= -REL_TOL * w)).all(-1) & (g >= 0).all(-1)
    status = np.where((status >= 0) & ~finite, Status.NOT_FINITE, status)
    status = np.where((status >= 0) & ~feasible, Status.INFEASIBLE, status)
    status = np.where((status >= 0) & ~(residual <= REL_TOL), Status.NOT_CERTIFIED, status)
    return g, G, x, tau, utility, residual, status.astype(status_dtype)


def samuelson_residual(x: ArrayLike, G: ArrayLike, prefs: Preferences, *, p: ArrayLike = 1.0) -> NDArray:
    """Samuelson residual ``Σ_i mrs_i(x_i, G) - p`` at an allocation.

    Zero at interior Pareto optima; positive when the members jointly value one more unit above
    its price (under-provision), negative for over-provision.

    Parameters
    ----------
    x : array_like, shape ``(..., n)``
        Private consumption.
    G : array_like, shape ``(...)``
        Total provision.
    prefs : Preferences
    p : array_like, shape ``(...)``, optional

    Returns
    -------
    ndarray, shape ``(...)``

    Examples
    --------
    >>> import burden as bd
    >>> eq = bd.nash([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> bd.samuelson_residual(eq.x, eq.G, bd.CobbDouglas(0.5))  # 1 + 1 - 1 > 0: under-provision
    array(1.)
    >>> opt = bd.lindahl([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> print(bd.samuelson_residual(opt.x, opt.G, bd.CobbDouglas(0.5)).round(12))
    0.0
    """
    x = as_float_array(x, "x")
    G = as_float_array(G, "G")
    p = as_float_array(p, "p")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.sum(prefs.mrs(x, G[..., None]), axis=-1) - p)
