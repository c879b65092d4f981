r"""Nash equilibrium under spending floors (pledges such as NATO's 2 % of GDP): :func:`pledged_nash`.

Member :math:`i` must spend at least the share :math:`s_i` of its income on the alliance good,
:math:`p g_i \ge s_i w_i`. Writing :math:`g_i = s_i w_i / p + h_i` with :math:`h_i \ge 0`, the
member consumes :math:`x_i = (1 - s_i) w_i - p h_i` and enjoys
:math:`G = G_0 + \sum_j s_j w_j / p + \sum_j h_j`: the pledged game *is* the unconstrained game
with wealth :math:`(1 - s_i) w_i` and exogenous provision :math:`G_0 + \sum_j s_j w_j / p`, for
any preferences. So the equilibrium exists, is unique when the unconstrained one is, and is
solved exactly by :func:`burden.nash` (``docs/sharing.md``).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._status import combine_status
from burden._validation import as_float_array, broadcast_shape_named, check_interval
from burden.preferences import Preferences
from burden.publicgoods._inputs import DEFAULT_CHUNK, members_iv
from burden.publicgoods.nash import nash
from burden.publicgoods.optimum import lindahl
from burden.publicgoods.results import NashEquilibrium

__all__ = ["PledgedNash", "pledged_nash"]


@result_class
class PledgedNash(Result):
    """Nash equilibrium under spending floors, beside plain Nash and the Lindahl optimum.

    Attributes
    ----------
    g : ndarray, shape ``batch + (n,)``
        Contributions, each at least the floor ``s w / p``.
    G : ndarray, shape ``batch``
        Total provision ``G0 + Σ g``.
    x : ndarray, shape ``batch + (n,)``
        Private consumption ``w - p g``.
    floor : ndarray, shape ``batch + (n,)``
        The floors ``s w / p`` in units of the good.
    bound : ndarray of bool, shape ``batch + (n,)``
        Members who spend exactly their (positive) floor: without it they would spend less.
    exceeds : ndarray of bool, shape ``batch + (n,)``
        Members who spend more than their floor.
    status : ndarray of int, shape ``batch``
        The status of the underlying equilibrium (``docs/status.md``).
    G_nash, added, G_lindahl, gap_to_lindahl, utility : ndarray
        Computed on first access: plain Nash provision, what the pledge adds to it
        (``G - G_nash``), the Lindahl provision, ``G_lindahl - G``, and equilibrium utilities.
        Their solves' statuses join ``comparison_status``.
    """

    _core_dims = ("member",)
    _derived = ("utility", "G_nash", "added", "G_lindahl", "gap_to_lindahl", "comparison_status")

    g: NDArray
    G: NDArray
    x: NDArray
    floor: NDArray
    bound: NDArray
    exceeds: NDArray
    status: NDArray
    _equilibrium: NashEquilibrium = dataclasses.field(default=None)
    _inputs: tuple = dataclasses.field(default=())

    @functools.cached_property
    def utility(self) -> NDArray:
        """Equilibrium utilities, shape ``batch + (n,)``."""
        return self._equilibrium.utility

    @functools.cached_property
    def _plain(self) -> NashEquilibrium:
        w, prefs, p, G0, workers = self._inputs
        return nash(w, prefs, p=p, G0=G0, workers=workers)

    @functools.cached_property
    def _optimum(self):
        w, prefs, p, G0, workers = self._inputs
        return lindahl(w, prefs, p=p, G0=G0, workers=workers)

    @functools.cached_property
    def G_nash(self) -> NDArray:
        """Plain Nash provision without floors, shape ``batch``."""
        return self._plain.G

    @functools.cached_property
    def added(self) -> NDArray:
        """Provision the pledge adds over plain Nash, ``G - G_nash``."""
        return np.asarray(self.G - self.G_nash)

    @functools.cached_property
    def G_lindahl(self) -> NDArray:
        """Lindahl (Pareto) provision, shape ``batch``."""
        return self._optimum.G

    @functools.cached_property
    def gap_to_lindahl(self) -> NDArray:
        """How far the pledged equilibrium stays below Lindahl, ``G_lindahl - G``."""
        return np.asarray(self.G_lindahl - self.G)

    @functools.cached_property
    def comparison_status(self) -> NDArray:
        """Combined status of the pledged, plain Nash and Lindahl solves."""
        return combine_status(self.status, self._plain.status, self._optimum.status)


def floor_iv(floor: ArrayLike, w: NDArray) -> NDArray:
    """Validate spending floors (shares of income in ``[0, 1)``), broadcast to ``w``'s shape."""
    floor = check_interval(as_float_array(floor, "floor"), "floor", 0.0, 1.0, closed="left")
    shape = broadcast_shape_named({"w": w.shape, "floor": floor.shape})
    if shape != w.shape:
        raise ValueError(f"`floor` (shape {floor.shape}) must broadcast to the members' shape {w.shape}")
    return np.broadcast_to(floor, w.shape)


def pledged_nash(
    w: ArrayLike,
    prefs: Preferences,
    floor: ArrayLike,
    *,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    chunk: int = DEFAULT_CHUNK,
    workers: int = 1,
) -> PledgedNash:
    """Nash equilibrium when each member must spend at least the share ``floor`` of its income.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth (income), ``> 0``.
    prefs : Preferences
        Members' preferences (any that :func:`burden.nash` solves for the pure good).
    floor : array_like, broadcast to ``(..., n)``
        Spending floors as shares of income, in ``[0, 1)``: ``0.02`` is NATO's 2 % pledge.
        Scalar, per member, or per scenario and member.
    p, G0, chunk, workers
        As in :func:`burden.nash`.

    Returns
    -------
    PledgedNash
        Per-member fields of shape ``batch + (n,)``, totals of shape ``batch``; comparisons
        with plain Nash and Lindahl computed on first access.

    Examples
    --------
    Two allies with Cobb–Douglas preferences (derived example, ``docs/sharing.md``): the small
    ally free-rides without a pledge and is bound by a 30 % floor; the large ally cuts back
    from 50 to 44, so provision rises from 50 to 56 only (the Lindahl level is 70):

    >>> import burden as bd
    >>> out = bd.pledged_nash([100.0, 40.0], bd.CobbDouglas(0.5), floor=0.3)
    >>> out.g, out.G, out.bound
    (array([44., 12.]), array(56.), array([False,  True]))
    >>> out.G_nash, out.added, out.gap_to_lindahl
    (array(50.), array(6.), array(14.))
    """
    w_arr, p_arr, G0_arr = members_iv(w, prefs, p, G0)
    shares = floor_iv(floor, w_arr)
    floor_units = shares * w_arr / p_arr[..., None]
    pledged = G0_arr + floor_units.sum(axis=-1)
    # the unconstrained game on what is left after the floors (module docstring)
    eq = nash(w_arr * (1.0 - shares), prefs, p=p_arr, G0=pledged, chunk=chunk, workers=workers)
    above = eq.g
    return PledgedNash(
        g=floor_units + above,
        G=eq.G,
        x=eq.x,
        floor=floor_units,
        bound=(shares > 0) & (above == 0),
        exceeds=above > 0,
        status=eq.status,
        _equilibrium=eq,
        _inputs=(w_arr, prefs, p_arr, G0_arr, workers),
    )
