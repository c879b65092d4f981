r"""Free-riding and burden-sharing measures: Nash against the Lindahl optimum.

For each scenario, :func:`free_riding` solves the Nash equilibrium and the Lindahl optimum
and reports

* the **provision gap** :math:`G_L - G_N` and **ratio** :math:`G_N / G_L` (under-provision);
* the **burden** :math:`p g_i / w_i` (share of wealth spent on the alliance, "ME/GDP");
* Olson & Zeckhauser's **exploitation index**
  :math:`(g_i / \sum_j g_j) / (w_i / \sum_j w_j)`: above one, a member carries more than its
  share of the alliance's income ("exploitation of the great by the small");
* contributors and free riders;
* the **welfare loss** in money-metric terms: the private consumption member :math:`i` would
  need on top of its Nash consumption, at the Nash provision, to be as well off as under
  Lindahl, :math:`e_i` with :math:`u_i(x^N_i + e_i, G_N) = u_i(x^L_i, G_L)`. It can be negative
  for a member that Lindahl cost shares would make worse off; the total is the sum;
* the **Samuelson residual** :math:`\sum_i \mathrm{mrs}_i - p` at the Nash allocation.

:func:`group_size_effect` traces these for alliances of :math:`1, 2, \dots, n` identical members
(Olson's group-size effect: the larger the group, the further it falls short of the optimum).

References
----------
Olson, M. & Zeckhauser, R. (1966). An economic theory of alliances. *Review of Economics and
Statistics* 48(3), 266–279.
Olson, M. (1965). *The Logic of Collective Action*. Harvard University Press.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden.preferences import Preferences
from burden.publicgoods.nash import NashEquilibrium, nash
from burden.publicgoods.optimum import LindahlOptimum, lindahl, samuelson_residual

if TYPE_CHECKING:
    from burden.publicgoods.impure import ImpureFreeRiding

__all__ = ["FreeRiding", "GroupSizeEffect", "burden_measures", "free_riding", "group_size_effect"]


@result_class
class FreeRiding(Result):
    """Free-riding measures; ``batch`` is the broadcast scenario shape.

    Attributes
    ----------
    G_nash, G_lindahl : ndarray, shape ``batch``
        Nash and Lindahl provision.
    gap : ndarray, shape ``batch``
        ``G_lindahl - G_nash``.
    ratio : ndarray, shape ``batch``
        ``G_nash / G_lindahl``.
    burden : ndarray, shape ``batch + (n,)``
        ``p g_i / w_i`` at Nash.
    exploitation : ndarray, shape ``batch + (n,)``
        ``(g_i / Σ g) / (w_i / Σ w)`` at Nash.
    contributors, free_riders : ndarray of bool, shape ``batch + (n,)``
    welfare_loss : ndarray, shape ``batch + (n,)``
        Money-metric loss of Nash relative to Lindahl (see the module docstring).
    welfare_loss_total : ndarray, shape ``batch``
    samuelson_residual : ndarray, shape ``batch``
        ``Σ mrs_i - p`` at Nash (positive: under-provision).
    status : ndarray of int, shape ``batch``
        The worse of the Nash and Lindahl statuses (0 certified).
    nash : NashEquilibrium
    lindahl : LindahlOptimum
    """

    _core_dims = ("member",)

    G_nash: NDArray
    G_lindahl: NDArray
    gap: NDArray
    ratio: NDArray
    burden: NDArray
    exploitation: NDArray
    contributors: NDArray
    free_riders: NDArray
    welfare_loss: NDArray
    welfare_loss_total: NDArray
    samuelson_residual: NDArray
    status: NDArray
    nash: NashEquilibrium
    lindahl: LindahlOptimum


def free_riding(
    w: ArrayLike, prefs: Preferences, *, p: ArrayLike = 1.0, spillover: ArrayLike | None = None
) -> FreeRiding | ImpureFreeRiding:
    """Free-riding and burden measures of the Nash equilibrium against the Lindahl optimum.

    With ``spillover`` (or :class:`~burden.JointProduct` preferences) the good is impurely
    public and the reference point is the utilitarian joint optimum instead (computed
    numerically, for small batches); see :mod:`burden.publicgoods.impure`.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth, ``> 0``.
    prefs : Preferences or JointProduct
    p : array_like, shape ``(...)``, optional
        Unit price of the alliance good (default 1).
    spillover : float or array_like, shape ``(..., n, n)``, optional
        Spill-in weights in [0, 1], as in :func:`burden.nash`. ``None`` (default): the pure
        public good (JointProduct: ``θ = 1``).

    Returns
    -------
    FreeRiding or ImpureFreeRiding
        ``ImpureFreeRiding`` with ``spillover`` or JointProduct preferences.

    Examples
    --------
    The worked example of DESIGN §2 (derived, not published): Nash provides 60, Lindahl 90.

    >>> import burden as bd
    >>> fr = bd.free_riding([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> fr.gap, fr.ratio
    (array(30.), array(0.666667))
    >>> fr.exploitation.round(4)  # the larger ally carries more than its income share
    array([1.2 , 0.75])
    """
    # Imported here: the impure-good modules build on this one's solvers.
    from burden.publicgoods.impure import impure_free_riding
    from burden.publicgoods.joint_products import JointProduct

    if spillover is not None or isinstance(prefs, JointProduct):
        return impure_free_riding(w, prefs, p=p, spillover=1.0 if spillover is None else spillover)
    eq = nash(w, prefs, p=p)
    opt = lindahl(w, prefs, p=p)
    with np.errstate(divide="ignore", invalid="ignore"):
        compensated = prefs.consumption_for_utility(opt.utility, eq.G[..., None])
    p_b = np.broadcast_to(np.asarray(p, dtype=float), eq.G.shape)
    return FreeRiding(
        G_nash=eq.G,
        G_lindahl=opt.G,
        gap=np.asarray(opt.G - eq.G),
        ratio=np.asarray(eq.G / opt.G),
        **burden_measures(eq.g, w, p_b, eq.x, compensated),
        samuelson_residual=samuelson_residual(eq.x, eq.G, prefs, p=p_b),
        status=np.maximum(eq.status, opt.status),
        nash=eq,
        lindahl=opt,
    )


def burden_measures(
    g: NDArray, w: ArrayLike, p: NDArray, x: NDArray, compensated: NDArray
) -> dict[str, NDArray]:
    """Per-member burden fields shared by the pure and impure free-riding results.

    ``g`` (own contributions) and ``x`` have shape ``batch + (n,)``, ``p`` shape ``batch``;
    ``compensated`` is the consumption at which each member would be as well off at the Nash
    provision as at the optimum. Returns ``burden``, ``exploitation``, ``contributors``,
    ``free_riders``, ``welfare_loss`` and ``welfare_loss_total``.
    """
    w_b = np.broadcast_to(np.asarray(w, dtype=float), g.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        exploitation = (g / g.sum(-1, keepdims=True)) / (w_b / w_b.sum(-1, keepdims=True))
    welfare_loss = np.broadcast_to(compensated, x.shape) - x
    contributors = g > 0
    return {
        "burden": p[..., None] * g / w_b,
        "exploitation": exploitation,
        "contributors": contributors,
        "free_riders": ~contributors,
        "welfare_loss": welfare_loss,
        "welfare_loss_total": np.asarray(welfare_loss.sum(-1)),
    }


@result_class
class GroupSizeEffect(Result):
    """Free-riding measures for alliances of ``1..n_max`` identical members.

    Attributes
    ----------
    n : ndarray of int, shape ``(n_max,)``
        Alliance sizes.
    G_nash, G_lindahl, gap, ratio : ndarray, shape ``batch + (n_max,)``
        As in :class:`FreeRiding`, per alliance size.
    burden : ndarray, shape ``batch + (n_max,)``
        Each member's burden ``p g / w``.
    welfare_loss_total : ndarray, shape ``batch + (n_max,)``
    """

    _core_dims = ("size",)

    n: NDArray
    G_nash: NDArray
    G_lindahl: NDArray
    gap: NDArray
    ratio: NDArray
    burden: NDArray
    welfare_loss_total: NDArray


def group_size_effect(
    w: ArrayLike, prefs: Preferences, *, n_max: int = 20, p: ArrayLike = 1.0
) -> GroupSizeEffect:
    """Olson's group-size effect: free riding in alliances of 1, 2, ..., ``n_max`` identical members.

    Parameters
    ----------
    w : array_like, shape ``(...)``
        Each member's wealth (members are identical within a scenario).
    prefs : Preferences
        Identical members' preferences: scalar parameters, or shape ``(..., 1)`` to vary them
        across scenarios.
    n_max : int, optional
        Largest alliance size (default 20).
    p : array_like, shape ``(...)``, optional

    Returns
    -------
    GroupSizeEffect

    Examples
    --------
    With Cobb–Douglas ``a = 1/2`` the Nash total of ``n`` members of wealth 1 is ``n/(n+1)``
    while Lindahl provides ``n/2``: the ratio ``2/(n+1)`` falls with ``n``.

    >>> import burden as bd
    >>> bd.group_size_effect(1.0, bd.CobbDouglas(0.5), n_max=4).ratio
    array([1. , 0.666667, 0.5 , 0.4 ])
    """
    if not isinstance(n_max, (int, np.integer)) or n_max < 1:
        raise ValueError(f"`n_max` must be a positive integer; got {n_max!r}")
    w = np.asarray(w, dtype=float)
    # One call per size (n_max is small), each batched over all scenarios.
    rows = [free_riding(np.repeat(w[..., None], n, axis=-1), prefs, p=p) for n in range(1, n_max + 1)]

    def stack(field: str) -> NDArray:
        return np.stack([np.asarray(getattr(r, field)) for r in rows], axis=-1)

    return GroupSizeEffect(
        n=np.arange(1, n_max + 1),
        G_nash=stack("G_nash"),
        G_lindahl=stack("G_lindahl"),
        gap=stack("gap"),
        ratio=stack("ratio"),
        burden=np.stack([r.burden[..., 0] for r in rows], axis=-1),
        welfare_loss_total=stack("welfare_loss_total"),
    )
