r"""Cost-sharing rules for the alliance good: :func:`cost_sharing`.

Each member pays the share :math:`\tau_i` of every unit the alliance buys, so with total
:math:`G` (exogenous :math:`G_0` included) member :math:`i` consumes
:math:`x_i = w_i - \tau_i p (G - G_0)`. Its *ideal total* under that share solves
:math:`\mathrm{mrs}_i(x_i, G) = \tau_i p` (its demand at the personal price :math:`\tau_i p`).
The alliance then chooses :math:`G` by a stated collective rule: the median of the ideal
totals (majority voting with single-peaked preferences), or the utilitarian choice
(:math:`\sum_i u_i` maximal). Under Lindahl shares every member's ideal total is the Lindahl
level, so every rule picks it. Derivations in ``docs/sharing.md``.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._roots import solve_monotone
from burden._status import Status, combine_status, status_dtype
from burden._validation import as_float_array, check_interval
from burden.preferences import Preferences
from burden.publicgoods._inputs import members_iv
from burden.publicgoods.nash import nash
from burden.publicgoods.optimum import lindahl

__all__ = ["CostSharing", "cost_sharing", "ideal_total"]

RULES = ("income", "equal", "lindahl")
CHOICES = ("median", "utilitarian")
# certificates: relative residual of the accounting identity and of the first-order conditions
_REL_TOL = 1e-8
# the search for a total stops this close (relatively) to where some member's consumption is 0
_EDGE = 1e-12


@result_class
class CostSharing(Result):
    """The alliance good under a cost-sharing rule, beside the Nash outcome.

    Attributes
    ----------
    G : ndarray, shape ``batch``
        Total provision chosen (exogenous ``G0`` included).
    shares : ndarray, shape ``batch + (n,)``
        Cost shares ``tau`` (summing to 1).
    payments : ndarray, shape ``batch + (n,)``
        What each member pays, ``tau p (G - G0)``; they add up to ``p (G - G0)``.
    burden : ndarray, shape ``batch + (n,)``
        Payments as shares of wealth.
    x : ndarray, shape ``batch + (n,)``
        Private consumption ``w - payments``.
    ideal : ndarray, shape ``batch + (n,)``
        Each member's ideal total under its share (``inf`` for a member who pays nothing).
    utility, utility_nash : ndarray, shape ``batch + (n,)``
        Utilities under the rule and in the Nash equilibrium of voluntary contributions.
    prefers_nash : ndarray of bool, shape ``batch + (n,)``
        Members who would rather leave the rule for the Nash outcome (participation fails).
    status : ndarray of int, shape ``batch``
        ``INFEASIBLE`` where some member cannot pay its share of the chosen total;
        ``NOT_CONVERGED``/``NOT_CERTIFIED`` where a root search failed its certificate; the
        Nash solve's status joins (``docs/status.md``).
    """

    _core_dims = ("member",)

    G: NDArray
    shares: NDArray
    payments: NDArray
    burden: NDArray
    x: NDArray
    ideal: NDArray
    utility: NDArray
    utility_nash: NDArray
    prefers_nash: NDArray
    status: NDArray
    rule: str = dataclasses.field(default="")
    choice: str = dataclasses.field(default="")


def ideal_total(prefs: Preferences, w: NDArray, price: NDArray, G0: NDArray) -> tuple[NDArray, NDArray]:
    """Each member's demand for the total at the personal price ``price`` per unit above ``G0``.

    Maximises ``u(w - price (G - G0), G)`` over ``G >= G0``: the first-order condition
    ``mrs(w - price (G - G0), G) = price``, exact for preferences with a linear first-order
    line (``x = x0 + price c G``), batched root finding otherwise. ``price = 0`` gives ``inf``.
    Returns ``(G, status)`` with arrays of ``w``'s shape.
    """
    w, price, G0 = np.broadcast_arrays(w, price, G0)
    free = price == 0
    t = np.where(free, 1.0, price)
    status = np.zeros(w.shape, dtype=status_dtype)
    foc = prefs.linear_foc(t)
    with np.errstate(all="ignore"):
        if foc is not None:
            x0, c = foc
            # w + t G0 - t G = x0 + t c G on the member's budget, solved for G
            G = (w + t * G0 - x0) / (t * (1.0 + c))
        else:

            def residual(G: NDArray) -> NDArray:
                return prefs.mrs(w - t * (G - G0), G) - t

            lo = np.where(G0 > 0, G0, w / t * _EDGE)
            hi = G0 + w / t * (1.0 - _EDGE)
            interior = residual(lo) > 0
            G, root_status = solve_monotone(residual, lo, hi, active=interior)
            status = np.where(root_status == 0, status, Status.NOT_CONVERGED).astype(status_dtype)
            G = np.where(interior, G, lo)
    G = np.where(free, np.inf, np.maximum(G, G0))
    return G, status


def _shares_iv(rule: str | ArrayLike, w: NDArray) -> tuple[str, NDArray | None]:
    if isinstance(rule, str):
        if rule not in RULES:
            raise ValueError(f"`rule` must be one of {RULES} or an array of shares; got {rule!r}")
        if rule == "income":
            return rule, w / w.sum(axis=-1, keepdims=True)
        if rule == "equal":
            return rule, np.full(w.shape, 1.0 / w.shape[-1])
        return rule, None
    shares = check_interval(as_float_array(rule, "rule"), "rule", 0.0, 1.0, closed="both")
    try:
        shares = np.broadcast_to(shares, w.shape)
    except ValueError:
        raise ValueError(f"`rule` (shares of shape {np.shape(rule)}) must broadcast to {w.shape}") from None
    total = shares.sum(axis=-1)
    bad = np.abs(total - 1.0) > 1e-9
    if bad.any():
        index = tuple(np.argwhere(bad)[0]) if bad.ndim else ()
        raise ValueError(
            f"`rule` shares must sum to 1 for every scenario; they sum to {total[index]!r} at {index}"
        )
    return "given", shares


def _utilitarian(prefs: Preferences, w, shares, p, G0, ideal) -> tuple[NDArray, NDArray]:
    """The total maximising the sum of utilities: ``Σ u_x (mrs - tau p) = 0`` (decreasing in G)."""
    price = shares * p[..., None]
    headroom = np.min(np.where(price > 0, w / np.where(price > 0, price, 1.0), np.inf), axis=-1)

    def derivative(G: NDArray) -> NDArray:
        Gm = G[..., None]
        x = w - price * (Gm - G0[..., None])
        gain = prefs.mrs(x, Gm) - price
        return np.sum(prefs.marginal_utility_x(x, Gm, 0.0) * gain, axis=-1)

    lo = np.where(G0 > 0, G0, np.nanmin(np.where(np.isfinite(ideal), ideal, np.nan), axis=-1) * _EDGE)
    hi = G0 + headroom * (1.0 - _EDGE)
    with np.errstate(all="ignore"):
        interior = derivative(lo) > 0
    G, root_status = solve_monotone(derivative, lo, hi, active=interior)
    status = np.where(root_status == 0, Status.SUCCESS, Status.NOT_CONVERGED).astype(status_dtype)
    return np.where(interior, G, lo), status


def cost_sharing(
    w: ArrayLike,
    prefs: Preferences,
    rule: str | ArrayLike = "income",
    *,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    choice: Literal["median", "utilitarian"] = "median",
    workers: int = 1,
) -> CostSharing:
    """The alliance good when members pay fixed shares of its cost and choose the total together.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth (income), ``> 0``.
    prefs : Preferences
        Members' preferences for the pure public good.
    rule : {"income", "equal", "lindahl"} or array_like
        Cost shares: proportional to income (GDP shares, as NATO's common-funding formula),
        equal, the Lindahl (benefit) shares of :func:`burden.lindahl`, or given shares
        (``(..., n)``, non-negative, summing to 1).
    p, G0 : array_like, shape ``(...)``
        Price of the good and exogenous provision, as in :func:`burden.nash`.
    choice : {"median", "utilitarian"}
        Collective choice of the total for income, equal and given shares: the median of the
        members' ideal totals (for an even ``n``, the midpoint of the two middle ones), or the
        total maximising the sum of utilities as the preference classes state them. Lindahl
        shares make every member's ideal total the Lindahl level, whatever the choice.
    workers : int
        Threads for the underlying Nash and Lindahl solves.

    Returns
    -------
    CostSharing

    Examples
    --------
    Income shares for allies of wealth 100 and 80 with Cobb–Douglas ``a = 0.5`` (derived in
    ``docs/sharing.md``): each member's ideal total is ``a w / (tau p) = 90``, the Lindahl level:

    >>> import burden as bd
    >>> out = bd.cost_sharing([100.0, 80.0], bd.CobbDouglas(0.5), "income")
    >>> out.G, out.payments.round(4), out.prefers_nash
    (array(90.), array([50., 40.]), array([False, False]))
    """
    w_arr, p_arr, G0_arr = members_iv(w, prefs, p, G0)
    if choice not in CHOICES:
        raise ValueError(f"`choice` must be one of {CHOICES}; got {choice!r}")
    rule_name, shares = _shares_iv(rule, w_arr)
    eq = nash(w_arr, prefs, p=p_arr, G0=G0_arr, workers=workers)
    statuses = [eq.status]
    Gm0 = G0_arr[..., None]
    if shares is None:
        opt = lindahl(w_arr, prefs, p=p_arr, G0=G0_arr, workers=workers)
        shares, G = np.asarray(opt.tau), np.asarray(opt.G)
        ideal = np.broadcast_to(G[..., None], w_arr.shape)
        statuses.append(opt.status)
    else:
        ideal, ideal_status = ideal_total(prefs, w_arr, shares * p_arr[..., None], Gm0)
        statuses.append(np.min(ideal_status, axis=-1))  # any member's failure (codes < 0)
        if choice == "median":
            G = np.median(ideal, axis=-1)
        else:
            G, choice_status = _utilitarian(prefs, w_arr, shares, p_arr, G0_arr, ideal)
            statuses.append(choice_status)
    payments = shares * p_arr[..., None] * (G[..., None] - Gm0)
    x = w_arr - payments
    with np.errstate(all="ignore"):
        # a member left with nothing (it cannot pay its share) is ruined: utility -inf
        utility = np.where(x > 0, np.broadcast_to(prefs.utility(x, G[..., None]), w_arr.shape), -np.inf)
        utility_nash = np.broadcast_to(eq.utility, w_arr.shape)
        # accounting certificate: the payments buy exactly what was chosen
        identity = np.abs(payments.sum(axis=-1) - p_arr * (G - G0_arr)) <= _REL_TOL * p_arr * np.maximum(
            G, 1e-300
        )
    feasible = np.all(x > 0, axis=-1) & np.isfinite(G)
    statuses.append(np.where(identity, Status.SUCCESS, Status.NOT_CERTIFIED))
    statuses.append(np.where(feasible, Status.SUCCESS, Status.INFEASIBLE))
    return CostSharing(
        G=np.asarray(G),
        shares=np.asarray(shares),
        payments=payments,
        burden=payments / w_arr,
        x=x,
        ideal=np.asarray(ideal),
        utility=utility.copy(),
        utility_nash=utility_nash.copy(),
        prefers_nash=utility < utility_nash,
        status=combine_status(*statuses),
        rule=rule_name,
        choice=choice if rule_name != "lindahl" else "unanimous",
    )
