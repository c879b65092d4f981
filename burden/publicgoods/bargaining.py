r"""Nash bargaining over burden sharing: :func:`bargain`.

Members agree on the total :math:`G` and on who pays what, :math:`x_i` being what each keeps,
with :math:`\sum_i x_i + p (G - G_0) = \sum_i w_i`. If they fail to agree they get the threat
utilities :math:`d_i` (the Nash equilibrium of voluntary contributions, or each member
providing alone). The (asymmetric) Nash bargaining solution maximises
:math:`\sum_i \beta_i \ln(u_i(x_i, G) - d_i)`. Its first-order conditions say

* :math:`\beta_i u_{x,i} / (u_i - d_i) = \lambda` for every member (the split), and
* :math:`\sum_i \mathrm{mrs}_i = p`: the Samuelson condition, so the bargain is Pareto efficient.

For a given total, the split is a monotone equation in :math:`\lambda` whose terms are monotone
equations in each :math:`x_i`; the Nash product, maximised over the split, is concave in
:math:`G` with derivative :math:`\lambda (\sum_i \mathrm{mrs}_i - p)`, so the total is the sign
change of the Samuelson residual. Three nested batched root searches
(``scipy.optimize.elementwise``) solve all scenarios at once (``docs/sharing.md``).

Utilities enter as the preference classes state them: the Nash bargaining solution is
invariant to positive affine transformations of each member's utility, not to other
monotone ones.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._roots import solve_monotone
from burden._status import Status, combine_status, status_dtype
from burden._validation import as_float_array, check_interval
from burden.preferences import Preferences
from burden.publicgoods._inputs import members_iv
from burden.publicgoods.nash import nash
from burden.publicgoods.sharing import ideal_total

__all__ = ["Bargain", "bargain"]

# certificates: Samuelson residual relative to p, the spread of the split's multipliers, and
# the budget identity relative to total wealth
_REL_TOL = 1e-7
# log-surplus stand-in where a member is at or below its threat utility (keeps the sign)
_NO_SURPLUS = 1e3
# searches stay this far (relatively) inside the interval where gains are possible
_INSIDE = 1e-9
# the total is searched this far (relatively) inside that interval: at its ends the surplus
# is so small that rounding in u - d would decide the split
_EDGE = 1e-4


@result_class
class Bargain(Result):
    """The Nash bargaining solution over burden sharing.

    Attributes
    ----------
    G : ndarray, shape ``batch``
        Agreed total provision (exogenous ``G0`` included).
    x : ndarray, shape ``batch + (n,)``
        Private consumption each member keeps.
    payments : ndarray, shape ``batch + (n,)``
        What each member pays, ``w - x``; they add up to ``p (G - G0)``.
    burden : ndarray, shape ``batch + (n,)``
        Payments as shares of wealth.
    utility, threat, gain : ndarray, shape ``batch + (n,)``
        Utilities, threat utilities and the gains ``utility - threat`` (all ``>= 0``).
    weights : ndarray, shape ``batch + (n,)``
        Bargaining weights, normalised to sum to 1.
    samuelson_residual : ndarray, shape ``batch``
        ``(Σ mrs - p) / p`` at the agreement (0 on the Pareto frontier).
    status : ndarray of int, shape ``batch``
        ``SUCCESS`` when the Samuelson condition, the split's first-order conditions and the
        budget hold to relative ``1e-7``; ``NOT_UNIQUE`` never; a failure otherwise
        (``docs/status.md``). Where no agreement improves on the threat point for everyone,
        the threat allocation is returned (gains 0) with ``SUCCESS``.
    power_sensitivity : ndarray, shape ``batch + (n,)``
        Computed on first access (not shown by ``repr``): the change of each member's gain
        per unit of its own weight (central differences, weights renormalised; two more
        solves per member).
    """

    _core_dims = ("member",)

    G: NDArray
    x: NDArray
    payments: NDArray
    burden: NDArray
    utility: NDArray
    threat: NDArray
    gain: NDArray
    weights: NDArray
    samuelson_residual: NDArray
    status: NDArray
    _inputs: tuple = dataclasses.field(default=())

    @functools.cached_property
    def power_sensitivity(self) -> NDArray:
        """d(gain_i)/d(weight_i), by central differences on the normalised weights."""
        w, prefs, p, G0, threat = self._inputs
        n = w.shape[-1]
        h = 1e-4
        out = np.empty(w.shape)
        for i in range(n):
            bumped = []
            for step in (h, -h):
                beta = self.weights.copy()
                beta[..., i] += step
                solved = _solve(w, prefs, p, G0, threat, beta / beta.sum(axis=-1, keepdims=True))
                bumped.append(solved["gain"][..., i])
            out[..., i] = (bumped[0] - bumped[1]) / (2 * h)
        return out


def _threat_iv(threat, w, prefs, p, G0, workers) -> tuple[NDArray, NDArray]:
    if isinstance(threat, str):
        if threat == "nash":
            eq = nash(w, prefs, p=p, G0=G0, workers=workers)
            return np.broadcast_to(eq.utility, w.shape), eq.status
        if threat == "standalone":
            Gm0 = G0[..., None]
            G, status = ideal_total(prefs, w, p[..., None], Gm0)
            with np.errstate(all="ignore"):
                u = prefs.utility(w - p[..., None] * (G - Gm0), G)
            return np.broadcast_to(u, w.shape), np.min(status, axis=-1)
        raise ValueError(f"`threat` must be 'nash', 'standalone' or an array of utilities; got {threat!r}")
    values = as_float_array(threat, "threat")
    try:
        values = np.broadcast_to(values, w.shape)
    except ValueError:
        raise ValueError(
            f"`threat` (shape {np.shape(threat)}) must broadcast to the members' shape {w.shape}"
        ) from None
    return values, np.zeros(w.shape[:-1], dtype=status_dtype)


def _weights_iv(weights, w) -> NDArray:
    if weights is None:
        return np.full(w.shape, 1.0 / w.shape[-1])
    beta = check_interval(as_float_array(weights, "weights"), "weights", 0.0, None, closed="left")
    try:
        beta = np.broadcast_to(beta, w.shape)
    except ValueError:
        raise ValueError(f"`weights` (shape {np.shape(weights)}) must broadcast to {w.shape}") from None
    total = beta.sum(axis=-1, keepdims=True)
    if np.any(total == 0):
        raise ValueError("`weights` must not all be zero in a scenario")
    return beta / total


def _log_multiplier(prefs, beta, d, x, Gm) -> NDArray:
    """``ln(beta u_x / (u - d))``: each member's multiplier of the split (NaN at no surplus)."""
    with np.errstate(all="ignore"):
        surplus = prefs.utility(x, Gm) - d
        return np.where(
            surplus > 0, np.log(beta * prefs.marginal_utility_x(x, Gm, 0.0)) - np.log(surplus), np.nan
        )


def _members_log_linear(prefs, beta, d, Gm, log_lam) -> NDArray:
    """The split for Cobb–Douglas and Stone–Geary members in closed form (``docs/sharing.md``).

    With ``u = (1-a) ln(x - x_min) + a ln(G - G_min)`` the condition
    ``beta (1-a) / ((x - x_min)(u - d)) = lam`` is ``q e^q = K`` in ``q = (u - d)/(1-a)``, so
    ``q`` is the Wright omega function of ``ln K``.
    """
    from scipy.special import wrightomega  # on first use: scipy.special slows `import burden`

    a = prefs.a
    x_min, G_min = prefs.subsistence() or (0.0, 0.0)
    with np.errstate(all="ignore"):
        c = (a * np.log(Gm - G_min) - d) / (1.0 - a)
        q = wrightomega(np.log(beta) - log_lam + c)
        return x_min + np.exp(q - c)


def _split(w, prefs, beta, d, G, X) -> tuple[NDArray, NDArray]:
    """Consumption ``x`` of each member at total ``G`` sharing ``X`` (both batch): ``(x, status)``."""
    Gm, Xm = G[..., None], X[..., None]
    with np.errstate(all="ignore"):
        x_lo = np.broadcast_to(prefs.consumption_for_utility(d, Gm), w.shape)
    slack = Xm - x_lo.sum(axis=-1, keepdims=True)
    closed = prefs.closed_form in ("cobb_douglas", "stone_geary")

    def members(log_lam: NDArray) -> tuple[NDArray, NDArray]:
        log_lam = np.broadcast_to(log_lam[..., None], w.shape)
        if closed:
            return _members_log_linear(prefs, beta, d, Gm, log_lam), np.zeros(w.shape, dtype=int)

        def residual(x):  # decreasing in x; a large stand-in where the member has no surplus
            value = _log_multiplier(prefs, beta, d, x, Gm) - log_lam
            return np.where(np.isnan(value), _NO_SURPLUS, value)

        hi = np.broadcast_to(Xm, w.shape)
        inside = residual(hi) < 0  # else the member would take everything: x = X
        x, status = solve_monotone(residual, x_lo, hi, active=inside & (beta > 0))
        return np.where(inside, x, hi), status

    # Bracket for ln(lam): each member's multiplier when it gets the share beta of the slack;
    # at the smallest of them every member takes at least that much, at the largest at most.
    lam_i = _log_multiplier(prefs, beta, d, x_lo + beta * slack, Gm)
    counted = (beta > 0) & ~np.isnan(lam_i)
    bound_lo = np.min(np.where(counted, lam_i, np.inf), axis=-1)
    bound_hi = np.max(np.where(counted, lam_i, -np.inf), axis=-1)

    def budget(log_lam: NDArray) -> NDArray:
        return X - members(log_lam)[0].sum(axis=-1)  # increasing in lam

    ok = np.isfinite(bound_lo) & np.isfinite(bound_hi)
    lo, hi = np.where(ok, bound_lo, 0.0), np.where(ok, bound_hi, 1.0)
    log_lam, status = solve_monotone(budget, lo, hi, active=ok & (hi > lo))
    x, member_status = members(log_lam)
    good = ok & (status == 0) & np.all(member_status == 0, axis=-1)
    return x, np.where(good, 0, -1)


def _solve(w, prefs, p, G0, d, beta) -> dict[str, NDArray]:
    """The bargain for validated arrays (shared by :func:`bargain` and the sensitivity)."""
    total = w.sum(axis=-1) + p * G0  # resources in money, exogenous provision valued at p

    def resources(G):
        return total - p * G

    def slack(G):
        with np.errstate(all="ignore"):
            x_lo = prefs.consumption_for_utility(d, G[..., None])
        return resources(G) - np.sum(np.broadcast_to(x_lo, w.shape), axis=-1)

    def samuelson_at_threat(G):  # decreasing in G: the slack is concave
        with np.errstate(all="ignore"):
            x_lo = np.broadcast_to(prefs.consumption_for_utility(d, G[..., None]), w.shape)
            return np.sum(prefs.mrs(x_lo, G[..., None]), axis=-1) - p

    G_max = total / p * (1.0 - _INSIDE)
    # the smallest total at which utilities are defined (above a subsistence level of the good)
    floor = np.max(np.broadcast_to((prefs.subsistence() or (0.0, 0.0))[1], w.shape), axis=-1)
    G_min = np.maximum(np.where(G0 > 0, G0, G_max * 1e-12), floor + _INSIDE * (G_max - floor))
    with np.errstate(all="ignore"):
        rising, still_rising = samuelson_at_threat(G_min) > 0, samuelson_at_threat(G_max) > 0
    # the slack peaks where it stops rising: at an end when it rises (or falls) throughout
    G_peak, peak_status = solve_monotone(samuelson_at_threat, G_min, G_max, active=rising & ~still_rising)
    G_peak = np.where(rising & still_rising, G_max, G_peak)
    with np.errstate(all="ignore"):
        peak_slack = slack(G_peak)
    # gains for everyone are possible only where the slack at its peak is positive; a threat
    # point on the frontier (slack 0 to rounding) is its own bargain, one beyond it infeasible
    gains = peak_slack > _INSIDE * total
    infeasible = peak_slack < -_INSIDE * total
    lower_open = slack(G_min) > 0
    G_a, _ = solve_monotone(slack, G_min, G_peak, active=gains & ~lower_open)
    G_a = np.where(lower_open, G_min, G_a)
    G_b, _ = solve_monotone(lambda G: -slack(G), G_peak, G_max, active=gains)
    lo = G_a + _EDGE * (G_peak - G_a)
    hi = G_b - _EDGE * (G_b - G_peak)

    def frontier(G):
        x, _ = _split(w, prefs, beta, d, G, resources(G))
        with np.errstate(all="ignore"):
            return np.sum(prefs.mrs(x, G[..., None]), axis=-1) - p

    with np.errstate(all="ignore"):
        interior = gains & (frontier(np.where(gains, lo, G_peak)) > 0)
    G, outer_status = solve_monotone(
        frontier, np.where(gains, lo, G_peak), np.where(gains, hi, G_peak), active=interior
    )
    G = np.where(gains, np.where(interior, G, lo), G_peak)
    x, split_status = _split(w, prefs, beta, d, G, resources(G))
    with np.errstate(all="ignore"):
        at_threat = np.broadcast_to(prefs.consumption_for_utility(d, G[..., None]), w.shape)
    x = np.where(gains[..., None], x, at_threat)
    # threat utilities beyond the frontier: no allocation gives them, so none is reported
    G = np.where(infeasible, np.nan, G)
    x = np.where(infeasible[..., None], np.nan, x)
    with np.errstate(all="ignore"):
        mrs = prefs.mrs(x, G[..., None])
        samuelson = (np.sum(mrs, axis=-1) - p) / p
        u = np.broadcast_to(prefs.utility(x, G[..., None]), w.shape)
        multipliers = _log_multiplier(prefs, beta, d, x, G[..., None])
        counted = beta > 0  # a NaN multiplier (no surplus) of a counted member fails the check
        spread = np.max(np.where(counted, multipliers, -np.inf), axis=-1) - np.min(
            np.where(counted, multipliers, np.inf), axis=-1
        )
    spread = np.where(gains, spread, 0.0)  # at the threat point there is no split to check
    certified = (
        (np.abs(samuelson) <= _REL_TOL)
        & (spread <= _REL_TOL)
        & np.all(u >= d - _REL_TOL * np.abs(d), axis=-1)
    )
    status = np.where(certified, Status.SUCCESS, Status.NOT_CERTIFIED)
    failed = (peak_status != 0) | (gains & ((outer_status != 0) | (split_status != 0)))
    status = np.where(failed, Status.NOT_CONVERGED, status)
    status = np.where(infeasible, Status.INFEASIBLE, status).astype(status_dtype)
    return {"G": G, "x": x, "u": u, "gain": u - d, "samuelson": samuelson, "status": status, "gains": gains}


def bargain(
    w: ArrayLike,
    prefs: Preferences,
    *,
    threat: str | ArrayLike = "nash",
    weights: ArrayLike | None = None,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    workers: int = 1,
) -> Bargain:
    """The (asymmetric) Nash bargaining solution over provision and burden sharing.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth, ``> 0``.
    prefs : Preferences
        Members' preferences for the pure public good; they must give ``utility``,
        ``mrs``, ``marginal_utility_x`` and ``consumption_for_utility`` (every built-in does;
        a subclass gets numeric defaults).
    threat : {"nash", "standalone"} or array_like
        Disagreement utilities: the Nash equilibrium of voluntary contributions (default), each
        member providing alone (Chen & Zeckhauser's stand-alone benchmark), or given utilities
        of shape ``(..., n)``.
    weights : array_like, optional
        Bargaining weights ``>= 0`` (not all zero), broadcast to ``(..., n)``; equal by default.
        Normalised to sum to 1.
    p, G0 : array_like, shape ``(...)``
        Price and exogenous provision, as in :func:`burden.nash`.
    workers : int
        Threads for the Nash threat solve.

    Returns
    -------
    Bargain

    Examples
    --------
    Symmetric allies share symmetrically and reach the Pareto level (derived example):

    >>> import burden as bd
    >>> deal = bd.bargain([100.0, 100.0], bd.CobbDouglas(0.5))
    >>> round(float(deal.G), 6), deal.payments.round(6), int(deal.status)
    (100.0, array([50., 50.]), 0)
    """
    w_arr, p_arr, G0_arr = members_iv(w, prefs, p, G0)
    d, threat_status = _threat_iv(threat, w_arr, prefs, p_arr, G0_arr, workers)
    beta = _weights_iv(weights, w_arr)
    solved = _solve(w_arr, prefs, p_arr, G0_arr, d, beta)
    x = solved["x"]
    payments = w_arr - x
    status = combine_status(solved["status"], threat_status)
    # certificate of the budget: the payments buy exactly G - G0
    bought = p_arr * (solved["G"] - G0_arr)
    with np.errstate(invalid="ignore"):
        budget_ok = np.abs(payments.sum(axis=-1) - bought) <= _REL_TOL * w_arr.sum(axis=-1)
    # (a scenario that already failed keeps its own reason)
    budget_ok |= solved["status"] < 0
    status = combine_status(status, np.where(budget_ok, Status.SUCCESS, Status.NOT_CERTIFIED))
    return Bargain(
        G=np.asarray(solved["G"]),
        x=x,
        payments=payments,
        burden=payments / w_arr,
        utility=solved["u"].copy(),
        threat=np.asarray(d).copy(),
        gain=solved["gain"],
        weights=beta.copy(),
        samuelson_residual=np.asarray(solved["samuelson"]),
        status=status,
        _inputs=(w_arr, prefs, p_arr, G0_arr, d),
    )
