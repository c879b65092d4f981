"""Result classes of the public-goods solvers (``docs/publicgoods.md``, ``docs/impure.md``).

One class per public function, with field names that mean the same thing in every model:
``g`` each member's own provision, ``G`` the alliance total ``G0 + Σ g``, ``Q`` what each
member enjoys (``G`` for a pure public good), ``x`` private consumption.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
from numpy.typing import NDArray

from burden._results import Result, result_class
from burden.preferences import Preferences

__all__ = ["FreeRiding", "GroupSizeEffect", "JointOptimum", "LindahlOptimum", "NashEquilibrium", "Optimum"]


@result_class
class NashEquilibrium(Result):
    """Nash equilibrium of voluntary contributions; ``batch`` is the broadcast scenario shape.

    The same fields for the pure public good, spill-ins and joint products.

    Attributes
    ----------
    g : ndarray, shape ``batch + (n,)``
        Each member's own provision (units of the good).
    G : ndarray, shape ``batch``
        The alliance total ``G0 + Σ g``.
    Q : ndarray, shape ``batch + (n,)``
        What each member enjoys: ``G`` for a pure public good, ``g_i + Σ_j θ_ij g_j + G0``
        with spill-ins.
    x : ndarray, shape ``batch + (n,)``
        Private consumption ``w - p g``.
    contributors : ndarray of bool, shape ``batch + (n,)``
        Members with ``g > 0``.
    dropout : ndarray, shape ``batch + (n,)``
        The level of the good enjoyed at and above which each member contributes nothing
        (``inf`` for a member that always contributes, e.g. a joint-product private benefit).
    indeterminate : ndarray of bool, shape ``batch + (n,)``
        Members whose individual contribution is not unique (``G`` still is); their reported
        split is proportional to wealth.
    residual : ndarray, shape ``batch``
        The certificate: ``max_i |g_i - BR_i| / (w_i/p)``, each member's distance from its best
        response to the others' provision, relative to its budget, recomputed from the answer.
    status : ndarray of int8, shape ``batch``
        A :class:`burden.Status` code (``docs/status.md``).
    utility : ndarray, shape ``batch + (n,)``
        Equilibrium utilities (computed on first access).
    """

    _core_dims = ("member",)
    _derived = ("utility",)

    g: NDArray
    G: NDArray
    Q: NDArray
    x: NDArray
    contributors: NDArray
    dropout: NDArray
    indeterminate: NDArray
    residual: NDArray
    status: NDArray
    _prefs: Preferences = dataclasses.field(default=None, compare=False)

    @functools.cached_property
    def utility(self) -> NDArray:
        """Equilibrium utilities, shape ``batch + (n,)``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.broadcast_to(self._prefs.own_utility(self.x, self.Q, self.g), self.x.shape).copy()


@result_class
class Optimum(Result):
    """A Pareto reference point (Lindahl equilibrium or joint optimum); ``batch`` as above.

    Attributes
    ----------
    g : ndarray, shape ``batch + (n,)``
        Units of the good each member pays for.
    G : ndarray, shape ``batch``
        The alliance total ``G0 + Σ g``.
    Q : ndarray, shape ``batch + (n,)``
        What each member enjoys.
    x : ndarray, shape ``batch + (n,)``
        Private consumption ``w - p g``.
    tau : ndarray, shape ``batch + (n,)``
        Cost shares ``g_i / Σ g`` (summing to one); at a Lindahl corner ``G = G0`` the shares
        of the next unit's price.
    utility : ndarray, shape ``batch + (n,)``
    welfare : ndarray, shape ``batch``
        ``Σ utility``.
    residual : ndarray, shape ``batch``
        The optimality certificate (see the solver).
    status : ndarray of int8, shape ``batch``
    """

    _core_dims = ("member",)

    g: NDArray
    G: NDArray
    Q: NDArray
    x: NDArray
    tau: NDArray
    utility: NDArray
    welfare: NDArray
    residual: NDArray
    status: NDArray


@result_class
class LindahlOptimum(Optimum):
    """Lindahl equilibrium (:func:`burden.lindahl`); the fields of :class:`Optimum`.

    ``residual`` is ``|Σ_i t_i(G) / p - 1|``: the relative excess of the members' Lindahl
    prices over the unit price at the reported total.
    """


@result_class
class JointOptimum(Optimum):
    """Utilitarian joint optimum (:func:`burden.joint_optimum`); the fields of :class:`Optimum`.

    ``residual`` is the projected welfare gradient in spending shares ``p g_i / w_i``, each
    divided by the member's private marginal cost: the relative KKT violation.
    """


@result_class
class FreeRiding(Result):
    """Free-riding measures of the Nash equilibrium against the Pareto reference point.

    The same fields for every model; the reference is the Lindahl equilibrium for a pure
    public good and the utilitarian joint optimum with spill-ins or joint products.

    Attributes
    ----------
    G_nash, G_optimum : ndarray, shape ``batch``
        The alliance total ``G0 + Σ g`` at Nash and at the reference point.
    gap : ndarray, shape ``batch``
        ``G_optimum - G_nash``.
    ratio : ndarray, shape ``batch``
        ``(G_nash - G0) / (G_optimum - G0)``: what the members provide at Nash, as a fraction
        of what they provide at the optimum (1 where both are 0).
    burden : ndarray, shape ``batch + (n,)``
        ``p g_i / w_i`` at Nash (computed on first access).
    exploitation : ndarray, shape ``batch + (n,)``
        ``(g_i / Σ g) / (w_i / Σ w)`` at Nash (0 where nobody contributes; computed on first
        access).
    contributors, free_riders : ndarray of bool, shape ``batch + (n,)``
    welfare_loss : ndarray, shape ``batch + (n,)``
        Private consumption each member would need on top of its Nash consumption, at its
        Nash level of the good, to be as well off as at the reference point (may be negative).
    welfare_loss_total : ndarray, shape ``batch``
    samuelson_residual : ndarray, shape ``batch``
        At Nash, the largest (over members) social marginal net benefit of one more unit of a
        member's own provision, ``Σ_j ∂Q_j/∂g_i mrs_j + u_g,i/u_x,i - p`` (pure good:
        ``Σ mrs - p``); positive means under-provision.
    private_share : ndarray, shape ``batch + (n,)``
        Share of the member's defence motive that is private (``b / (a + b)`` for
        :class:`~burden.JointProduct`, 0 otherwise).
    private_benefit_share : ndarray, shape ``batch + (n,)``
        At Nash, the private part of each member's marginal benefit of own provision.
    status : ndarray of int8, shape ``batch``
        The Nash and reference statuses combined (:func:`burden.combine_status`).
    nash : NashEquilibrium
    optimum : Optimum
    """

    _core_dims = ("member",)
    _derived = ("burden", "exploitation")

    G_nash: NDArray
    G_optimum: NDArray
    gap: NDArray
    ratio: NDArray
    contributors: NDArray
    free_riders: NDArray
    welfare_loss: NDArray
    welfare_loss_total: NDArray
    samuelson_residual: NDArray
    private_share: NDArray
    private_benefit_share: NDArray
    status: NDArray
    nash: NashEquilibrium
    optimum: Optimum
    # the price of each scenario (an owned copy), for the derived measures
    _p: NDArray = dataclasses.field(default=None, compare=False)

    @functools.cached_property
    def burden(self) -> NDArray:
        """``p g_i / w_i`` at Nash, shape ``batch + (n,)`` (computed on first access)."""
        return _read_only(burden_shares(self.nash.g, self._wealth(), self._p))

    @functools.cached_property
    def exploitation(self) -> NDArray:
        """``(g_i / Σ g) / (w_i / Σ w)`` at Nash, shape ``batch + (n,)`` (computed on first access)."""
        return _read_only(exploitation_index(self.nash.g, self._wealth()))

    def _wealth(self) -> NDArray:
        """Each member's wealth as the Nash budget ``x + p g``, from the result's own arrays.

        It equals ``w`` to rounding (the certificate checks it), and unlike a reference to the
        caller's ``w`` it cannot change after the call.
        """
        with np.errstate(all="ignore"):  # a failed scenario's NaN and inf are masked by its status
            return self.nash.x + self._p[..., None] * self.nash.g


def burden_shares(g: NDArray, w: NDArray, p: NDArray) -> NDArray:
    """Burdens ``p g / w`` (``p`` of the batch shape); NaN for absent members."""
    with np.errstate(all="ignore"):  # a failed scenario's NaN and inf are masked by its status
        return np.asarray(np.asarray(p)[..., None] * g / w)


def exploitation_index(g: NDArray, w: NDArray) -> NDArray:
    """Olson–Zeckhauser exploitation index ``(g_i / Σ g) / (w_i / Σ w)``, 0 where nobody contributes.

    Absent members (NaN) count in no total. Wealth shares are taken in units of the richest
    member's wealth: a sum of 1e308s would overflow.
    """
    with np.errstate(all="ignore"):  # a failed scenario's NaN and inf are masked by its status
        total = np.nansum(g, axis=-1, keepdims=True)
        top = np.max(np.where(np.isnan(w), -np.inf, w), axis=-1, keepdims=True)  # no member: -inf
        w_rel = w / top
        return np.asarray(
            np.where(total > 0, g / total, 0.0) / (w_rel / np.nansum(w_rel, axis=-1, keepdims=True))
        )


def _read_only(value: NDArray) -> NDArray:
    value.flags.writeable = False
    return value


@result_class
class GroupSizeEffect(Result):
    """Free-riding measures for alliances of ``1..n_max`` identical members.

    Attributes
    ----------
    n : ndarray of int, shape ``(n_max,)``
        Alliance sizes.
    G_nash, G_optimum, gap, ratio : ndarray, shape ``batch + (n_max,)``
        As in :class:`FreeRiding`, per alliance size.
    burden : ndarray, shape ``batch + (n_max,)``
        Each member's burden ``p g / w``.
    welfare_loss_total : ndarray, shape ``batch + (n_max,)``
    size_status : ndarray of int8, shape ``batch + (n_max,)``
        The :class:`FreeRiding` status of each size.
    status : ndarray of int8, shape ``batch``
        All sizes combined (:func:`burden.combine_status`).
    """

    _core_dims = ("size",)

    n: NDArray
    G_nash: NDArray
    G_optimum: NDArray
    gap: NDArray
    ratio: NDArray
    burden: NDArray
    welfare_loss_total: NDArray
    size_status: NDArray
    status: NDArray
