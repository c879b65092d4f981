"""Spill-ins: the Nash engine behind ``burden.nash(..., spillover=θ)`` (``docs/impure.md``).

A common ``θ`` per scenario is solved exactly by sort-and-add on the variable
``V = G0 + θ Σ g``; a spill-in matrix becomes a linear complementarity problem solved by
:func:`burden.lcp.solve`, with enumeration of every equilibrium for small alliances where
pivoting cannot certify a unique answer.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from burden._status import Status, status_dtype
from burden._warnings import NotPMatrixWarning
from burden.lcp import enumerate_solutions, solve
from burden.preferences import Preferences
from burden.publicgoods._inputs import linear_foc_at, uniform_spillover
from burden.publicgoods._linear import nash_linear

__all__ = ["spillover_nash"]

#: largest alliance for which LCPs that pivoting cannot settle are decided by enumeration
_ENUMERATE_N = 8


def linear_foc_iv(prefs: Preferences, p: NDArray) -> tuple[NDArray, NDArray]:
    """The ``(x0, c)`` of the preferences' linear first-order condition at prices ``p`` (batch).

    Spill-ins need one (or a :class:`~burden.JointProduct`): a ``TypeError`` otherwise.
    """
    foc = linear_foc_at(prefs, p)
    if foc is None:
        raise TypeError(
            "`prefs` with `spillover` must have a linear first-order condition (CobbDouglas, CES, "
            f"StoneGeary) or be a burden.JointProduct; got {type(prefs).__name__}"
        )
    return foc


def spillover_nash(
    w: NDArray, prefs: Preferences, theta: NDArray, p: NDArray, G0: NDArray, chunk: int
) -> tuple[NDArray, ...]:
    """``g, Q, x, dropout, status`` of the equilibrium with a spill-in matrix; validated input.

    ``w`` has shape ``batch + (n,)``, ``p`` and ``G0`` shape ``batch``, ``theta``
    ``batch + (n, n)``. Preferences must have a linear first-order condition. (One spill-in
    ``θ`` per call is solved by :func:`burden.nash` with the sort-and-add kernel directly.)
    """
    pm = p[..., None]
    batch, n = w.shape[:-1], w.shape[-1]
    shape = w.shape
    x0, c = (np.broadcast_to(v, shape) for v in linear_foc_iv(prefs, p))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        A = (w - x0) / pm

    status = np.full(batch, Status.SUCCESS, dtype=status_dtype)
    uniform, value = uniform_spillover(theta)
    if uniform.all():  # the common case: no boolean-mask copies of the whole batch
        q = _uniform(A.reshape(-1, n), c.reshape(-1, n), np.reshape(G0, -1), np.reshape(value, -1), chunk)
        q = q.reshape(shape)
    else:
        q = np.empty(shape)
        if uniform.any():
            q[uniform] = _uniform(A[uniform], c[uniform], G0[uniform], value[uniform], chunk)
        rest = ~uniform
        q[rest], status[rest] = _lcp_path(A[rest], c[rest], G0[rest], theta[rest])

    S = np.einsum("...ij,...j->...i", theta, q) + G0[..., None]
    Q = q + S
    with np.errstate(invalid="ignore", divide="ignore"):
        # A contributor's consumption from its first-order condition (precision, as in `nash`).
        x = np.where(q > 0, x0 + pm * c * Q, w)
        dropout = A / c
    return q, Q, x, dropout, status


def _uniform(A: NDArray, c: NDArray, G0: NDArray, theta: NDArray, chunk: int) -> NDArray:
    """Closed form for a common spill-in ``theta`` per scenario on flat ``(B, n)`` arrays: ``q``.

    The compiled sort-and-add kernel solves the transformed pure-good equation of
    ``docs/impure.md`` directly (``θ = 1`` is then the very computation of the pure good).
    """
    return nash_linear(A, 0.0, c, 1.0, G0, spillover=theta, chunk=chunk).g


def _lcp_path(A: NDArray, c: NDArray, G0: NDArray, theta: NDArray) -> tuple[NDArray, NDArray]:
    """Matrix spill-ins on flat ``(B, n)`` arrays through the batched LCP: ``(q, status)``."""
    n = A.shape[-1]
    # Rows scaled by 1/c (docs/impure.md): symmetric whenever Θ is, so `solve` can certify P.
    M = theta + np.eye(n) * (1.0 + 1.0 / c)[..., None]
    with warnings.catch_warnings():
        # Re-issued below in the caller's terms (the LCP's own message talks about matrices).
        warnings.simplefilter("ignore", NotPMatrixWarning)
        sol = solve(M, G0[:, None] - A / c)
    z = sol.z.copy()
    status = np.array(sol.status, dtype=status_dtype)  # a copy: enumeration below may settle some
    unsure = np.flatnonzero(status != Status.SUCCESS)
    if unsure.size and n <= _ENUMERATE_N:
        # Pivoting is only guaranteed for P-matrices; small games are settled by listing every
        # equilibrium (2**n complementary bases): unique -> certified, several -> flagged.
        found = enumerate_solutions(M[unsure], G0[unsure, None] - A[unsure] / c[unsure])
        has = found.count >= 1
        missing = has & np.isnan(z[unsure]).any(-1)  # keep a certified pivoting answer
        z[unsure[missing]] = found.z[missing, 0]
        unique = (found.count == 1) & found.complete
        status[unsure] = np.where(
            unique, Status.SUCCESS, np.where(has, Status.NOT_UNIQUE, Status.NOT_CONVERGED)
        )
    if (status != Status.SUCCESS).any():
        warnings.warn(
            f"{int((status == Status.NOT_UNIQUE).sum())} scenario(s) have a spill-in matrix for "
            "which the equilibrium may not be unique (one is reported, status NOT_UNIQUE) and "
            f"{int((status < 0).sum())} could not be solved (a failure status)",
            NotPMatrixWarning,
            stacklevel=4,
        )
    return z, status
