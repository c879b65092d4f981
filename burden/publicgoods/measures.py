"""Free-riding and burden-sharing measures: :func:`free_riding` and :func:`group_size_effect`.

Nash against the Pareto reference point (Lindahl for a pure public good, the utilitarian
joint optimum with spill-ins or joint products); definitions in ``docs/publicgoods.md``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result
from burden._status import Status, combine_status
from burden._validation import workers_iv
from burden.preferences import Preferences
from burden.publicgoods._inputs import DEFAULT_CHUNK, absent_iv, spillover_iv
from burden.publicgoods.impure import optimum_from_nash
from burden.publicgoods.nash import nash
from burden.publicgoods.optimum import _KERNEL_FAMILIES, kernel_params, lindahl
from burden.publicgoods.results import (
    FreeRiding,
    GroupSizeEffect,
    NashEquilibrium,
    burden_shares,
    exploitation_index,
)

__all__ = ["free_riding", "group_size_effect"]


def free_riding(
    w: ArrayLike,
    prefs: Preferences,
    *,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    spillover: ArrayLike | None = None,
    chunk: int = DEFAULT_CHUNK,
    workers: int = 1,
) -> FreeRiding:
    """Free-riding and burden measures of the Nash equilibrium against the Pareto optimum.

    The reference point is the Lindahl equilibrium (:func:`burden.lindahl`) for a pure public
    good and the utilitarian joint optimum (:func:`burden.joint_optimum`, numeric, for small
    batches) with spill-ins (``spillover`` other than 1) or :class:`~burden.JointProduct`
    preferences. The same result class and field names either way; definitions in
    ``docs/publicgoods.md``.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth, ``> 0``; NaN marks an absent member (pure public good only), as in
        :func:`burden.nash`.
    prefs : Preferences
    p : array_like, shape ``(...)``, optional
        Unit price of the alliance good (default 1).
    G0 : array_like, shape ``(...)``, optional
        Exogenous provision, ``>= 0`` (default 0), at Nash and at the optimum alike.
    spillover : float or array_like, shape ``(..., n, n)``, optional
        Spill-in weights in [0, 1], as in :func:`burden.nash` (default: the pure public good).
    chunk, workers : int, optional
        As in :func:`burden.nash`.

    Returns
    -------
    FreeRiding
        A failed inner solve is reported through ``status``, never raised.

    Examples
    --------
    Derived in ``docs/publicgoods.md``: Nash provides 60, Lindahl 90.

    >>> import burden as bd
    >>> fr = bd.free_riding([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> fr.gap, fr.ratio
    (array(30.), array(0.666667))
    >>> fr.exploitation.round(4)  # the larger ally carries more than its income share
    array([1.2 , 0.75])
    """
    workers = workers_iv(workers)
    eq = nash(w, prefs, p=p, G0=G0, spillover=spillover, chunk=chunk, workers=workers)
    batch, n = eq.G.shape, eq.g.shape[-1]
    theta = 1.0 if spillover is None else spillover
    theta_arr, is_matrix, _ = spillover_iv(theta, n, batch)
    pure = not is_matrix and theta_arr == 1.0 and prefs.closed_form != "joint_product"
    if pure:
        opt = lindahl(w, prefs, p=p, G0=G0, chunk=chunk, workers=workers)
    elif np.isnan(eq.g).any():
        raise ValueError(
            "absent members (NaN in `w`) are supported for the pure public good; the joint optimum "
            "of spill-ins or joint products needs every member present"
        )
    else:
        opt = optimum_from_nash(eq, w, prefs, theta, p, G0, workers)
    w_b = np.broadcast_to(np.asarray(w, dtype=float), eq.g.shape)
    p_b, G0_b = (np.broadcast_to(np.asarray(v, dtype=float), batch) for v in (p, G0))
    with np.errstate(all="ignore"):  # a failed scenario's NaN and inf are masked by its status
        provided, optimal = eq.G - G0_b, opt.G - G0_b
        ratio = np.where((provided == 0) & (optimal == 0), 1.0, provided / optimal)
    if pure and prefs.closed_form in _KERNEL_FAMILIES and not np.isnan(w_b).any():
        from burden.publicgoods._kernels_measures import free_riding_arrays  # numba: on first use

        m = free_riding_arrays(
            w_b,
            prefs.a,
            p_b,
            eq.g,
            eq.G,
            eq.x,
            opt.G,
            opt.x,
            tau_opt=opt.tau,
            G0=G0_b,
            **kernel_params(prefs),
            chunk=chunk,
            workers=workers,
        )
        welfare_loss, loss_total, samuelson, overflow = m
        # a pure public good: no private benefit, the same for every member
        private_share = np.broadcast_to(0.0, eq.g.shape)
        private_benefit = private_share
    else:
        welfare_loss, loss_total, samuelson, private_share, private_benefit = _measures(
            eq, opt, w_b, prefs, p_b, theta_arr, is_matrix
        )
        # a measure out of floating-point range is not an answer (NaN marks absent members only)
        measured = (
            burden_shares(eq.g, w_b, p_b),
            exploitation_index(eq.g, w_b),
            welfare_loss,
            np.broadcast_to(np.asarray(loss_total)[..., None], eq.g.shape),
        )
        overflow = np.any([np.isinf(v) for v in measured], axis=(0, -1))
    return FreeRiding(
        G_nash=eq.G,
        G_optimum=opt.G,
        gap=np.asarray(opt.G - eq.G),
        ratio=np.asarray(ratio),
        contributors=eq.contributors,
        free_riders=~eq.contributors & ~np.isnan(eq.g),  # an absent member rides on nothing
        welfare_loss=welfare_loss,
        welfare_loss_total=np.asarray(loss_total),
        samuelson_residual=np.asarray(samuelson),
        private_share=private_share,
        private_benefit_share=private_benefit,
        status=combine_status(eq.status, opt.status, np.where(overflow, Status.NOT_FINITE, Status.SUCCESS)),
        nash=eq,
        optimum=opt,
        _p=np.broadcast_to(np.array(p, dtype=float), batch),  # owned: the caller's may change
    )


def _measures(
    eq: NashEquilibrium,
    opt: Result,
    w_b: NDArray,
    prefs: Preferences,
    p_b: NDArray,
    theta_arr: NDArray,
    is_matrix: bool,
) -> tuple[NDArray, ...]:
    """:func:`free_riding`'s per-member measures from the preferences' numeric methods."""
    with np.errstate(all="ignore"):  # a failed scenario's NaN and inf are masked by its status
        compensated = np.broadcast_to(prefs.compensating_consumption(opt.utility, eq.Q, eq.g), eq.g.shape)
        welfare_loss = compensated - eq.x
        mrs_Q, mrs_g = (np.broadcast_to(v, eq.g.shape) for v in prefs.marginal_rates(eq.x, eq.Q, eq.g))
        if is_matrix:  # Σ_j (δ_ij + θ_ji) mrs_j: how member i's unit reaches everyone
            social = mrs_Q + np.einsum("...ji,...j->...i", theta_arr, mrs_Q)
        else:
            social = theta_arr * np.nansum(mrs_Q, axis=-1, keepdims=True) + (1.0 - theta_arr) * mrs_Q
        present = ~np.isnan(social + mrs_g)
        samuelson = np.max(np.where(present, social + mrs_g, -np.inf), axis=-1) - p_b
        samuelson = np.where(present.any(-1), samuelson, -p_b)  # nobody present
        private_benefit = np.where(mrs_g > 0, mrs_g / (mrs_Q + mrs_g), np.where(np.isnan(eq.g), np.nan, 0.0))
        loss_total = np.nansum(welfare_loss, axis=-1)
    private_share = np.where(np.isnan(eq.g), np.nan, np.broadcast_to(prefs.private_share, eq.g.shape))
    return welfare_loss, loss_total, samuelson, private_share, private_benefit


def group_size_effect(
    w: ArrayLike,
    prefs: Preferences,
    *,
    n_max: int = 20,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    spillover: ArrayLike | None = None,
    workers: int = 1,
) -> GroupSizeEffect:
    """Olson's group-size effect: free riding in alliances of 1, 2, ..., ``n_max`` identical members.

    Parameters
    ----------
    w : array_like, shape ``(...)``
        Each member's wealth (members are identical within a scenario); NaN marks a scenario
        without members.
    prefs : Preferences
        Identical members' preferences: scalar parameters, or shape ``(..., 1)`` to vary them
        across scenarios.
    n_max : int, optional
        Largest alliance size (default 20).
    p, G0, spillover : optional
        As in :func:`burden.free_riding` (``spillover`` a scalar here).
    workers : int, optional
        As in :func:`burden.nash`.

    Returns
    -------
    GroupSizeEffect
        Per-size measures of shape ``batch + (n_max,)``, ``size_status`` per size and
        ``status`` (every size combined) per scenario.

    Examples
    --------
    With Cobb–Douglas ``a = 1/2`` the Nash total of ``n`` members of wealth 1 is ``n/(n+1)``
    while Lindahl provides ``n/2``: the ratio ``2/(n+1)`` falls with ``n``.

    >>> import burden as bd
    >>> bd.group_size_effect(1.0, bd.CobbDouglas(0.5), n_max=4).ratio
    array([1.      , 0.666667, 0.5     , 0.4     ])
    """
    if isinstance(n_max, (bool, np.bool_)) or not isinstance(n_max, (int, np.integer)) or n_max < 1:
        raise ValueError(f"`n_max` must be a positive integer; got {n_max!r}")
    w, _ = absent_iv(w, "w")  # NaN: a scenario whose members are all absent (docs/publicgoods.md)
    if spillover is not None and np.ndim(spillover) != 0:
        raise ValueError("`spillover` must be a scalar for `group_size_effect` (members are identical)")
    # One call per size (n_max is small), each batched over all scenarios.
    sizes = [
        free_riding(
            np.repeat(w[..., None], n, axis=-1), prefs, p=p, G0=G0, spillover=spillover, workers=workers
        )
        for n in range(1, n_max + 1)
    ]

    def stack(field: str) -> NDArray:
        return np.stack([np.asarray(getattr(r, field)) for r in sizes], axis=-1)

    size_status = stack("status")
    return GroupSizeEffect(
        n=np.arange(1, n_max + 1),
        G_nash=stack("G_nash"),
        G_optimum=stack("G_optimum"),
        gap=stack("gap"),
        ratio=stack("ratio"),
        burden=np.stack([r.burden[..., 0] for r in sizes], axis=-1),
        welfare_loss_total=stack("welfare_loss_total"),
        size_status=size_status,
        status=combine_status(*np.moveaxis(size_status, -1, 0)),
    )
