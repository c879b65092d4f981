r"""Pareto reference points: the Lindahl equilibrium and the Samuelson condition.

**Lindahl.** Each member pays a personalised share :math:`\tau_i` of the cost, :math:`\sum_i \tau_i = 1`,
and the shares are such that every member demands the same total :math:`G_L` at its own price
:math:`\tau_i p`. Writing :math:`t_i(G)` for the price per unit at which member :math:`i` demands
exactly :math:`G` (it solves :math:`t = \mathrm{mrs}_i(w_i - tG, G)`), :math:`G_L` solves
:math:`\sum_i t_i(G_L) = p`, and :math:`\tau_i = t_i(G_L)/p`. Cobb–Douglas has the closed form
:math:`G_L = \sum_i a_i w_i / p`, :math:`\tau_i = a_i w_i / \sum_j a_j w_j`; other preferences
use batched root finding on :math:`G` (``scipy.optimize.elementwise``).

**Samuelson.** Interior Pareto optima satisfy :math:`\sum_i \mathrm{mrs}_i = p`; the Lindahl
equilibrium is one of them. :func:`samuelson_residual` evaluates :math:`\sum_i \mathrm{mrs}_i - p`
at any allocation (positive at Nash equilibria with several contributors: the members jointly
value one more unit above its price, i.e. under-provision).

References
----------
Lindahl, E. (1919). *Die Gerechtigkeit der Besteuerung*. Lund.
Samuelson, P. A. (1954). The pure theory of public expenditure. *Review of Economics and
Statistics* 36(4), 387–389.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._roots import bracket_and_solve
from burden._validation import as_float_array
from burden.preferences import CobbDouglas, Preferences
from burden.publicgoods._inputs import members_iv
from burden.publicgoods.nash import STATUS_INFEASIBLE, STATUS_NOT_CONVERGED, STATUS_OK

__all__ = ["LindahlOptimum", "lindahl", "samuelson_residual"]


@result_class
class LindahlOptimum(Result):
    """Lindahl equilibrium; ``batch`` is the broadcast scenario shape.

    Attributes
    ----------
    G : ndarray, shape ``batch``
        Lindahl provision.
    tau : ndarray, shape ``batch + (n,)``
        Tax (cost) shares, summing to one.
    g : ndarray, shape ``batch + (n,)``
        Units paid for by each member, ``tau * G``.
    x : ndarray, shape ``batch + (n,)``
        Private consumption ``w - tau p G``.
    utility : ndarray, shape ``batch + (n,)``
    status : ndarray of int, shape ``batch``
        0 certified; 1 the root finder did not converge; 2 infeasible (some member's share
        would leave it at or below zero / subsistence consumption).
    """

    _core_dims = ("member",)

    G: NDArray
    tau: NDArray
    g: NDArray
    x: NDArray
    utility: NDArray
    status: NDArray


def lindahl(w: ArrayLike, prefs: Preferences, *, p: ArrayLike = 1.0) -> LindahlOptimum:
    """Lindahl equilibrium: personalised cost shares at which all members demand the same total.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth, ``> 0``.
    prefs : Preferences
        Members' preferences; parameters broadcast against ``w``.
    p : array_like, shape ``(...)``, optional
        Unit price of the alliance good (default 1).

    Returns
    -------
    LindahlOptimum

    Examples
    --------
    DESIGN §2.3's worked example (derived, not published):

    >>> import burden as bd
    >>> opt = bd.lindahl([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> opt.G, opt.tau
    (array(90.), array([0.555556, 0.444444]))
    """
    w, p, _ = members_iv(w, prefs, p)
    pm = p[..., None]
    status = np.zeros(p.shape, dtype=int)
    if isinstance(prefs, CobbDouglas):
        weighted = np.broadcast_to(prefs.a * w, w.shape)
        G = np.sum(weighted, axis=-1) / p
        tau = weighted / np.sum(weighted, axis=-1, keepdims=True)
    else:
        # Below the largest subsistence level of the good, Lindahl prices are undefined.
        floor = np.max(np.broadcast_to(getattr(prefs, "G_min", 0.0), w.shape), axis=-1)
        floor = np.maximum(floor, 0.0)
        scale = np.sum(w, axis=-1) / p

        def excess_price(G: NDArray) -> NDArray:
            return p - np.sum(prefs.lindahl_price(G[..., None], w), axis=-1)

        G, root_status = bracket_and_solve(excess_price, floor + 0.5 * scale, floor + scale, xmin=floor)
        status = np.where(root_status == 0, STATUS_OK, STATUS_NOT_CONVERGED)
        tau = prefs.lindahl_price(G[..., None], w) / pm
    g = tau * G[..., None]
    x = w - pm * g
    x_floor = np.broadcast_to(getattr(prefs, "x_min", 0.0), w.shape)
    status = np.where((status == STATUS_OK) & np.any(x <= x_floor, axis=-1), STATUS_INFEASIBLE, status)
    with np.errstate(divide="ignore", invalid="ignore"):
        utility = np.broadcast_to(prefs.utility(x, G[..., None]), w.shape).copy()
    return LindahlOptimum(G=np.asarray(G), tau=tau, g=g, x=x, utility=utility, status=np.asarray(status))


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
