"""Joint products: the Nash engine behind ``burden.nash(w, JointProduct(a, b), ...)``.

The best response is a closed-form quadratic root; a common spill-in per scenario reduces
the equilibrium to one increasing scalar equation (batched root finding), a spill-in matrix
is solved by semismooth Newton. Derivations in ``docs/impure.md``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from burden._roots import solve_monotone
from burden._status import Status, status_dtype
from burden.preferences import JointProduct, joint_product_response, positive_root
from burden.publicgoods._inputs import uniform_spillover

__all__ = ["JointProduct", "joint_product_nash"]

_NEWTON_MAX_ITER = 60
_HALVINGS = 30
_NEWTON_TOL = 1e-12  # Newton stops at this residual, relative to each member's budget w/p


def _response_slope(a, b, c, S, w, p, q):
    """``∂q/∂S`` from the implicit quadratic: ``(b w - (b+c) p q) / sqrt(B² + 4 p b S w)``."""
    R = 2.0 * p * q - ((a + b) * w - (b + c) * p * S)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(R > 0, (b * w - (b + c) * p * q) / R, 0.0)


def _q_of_V(a, b, c, G0, T, w, p, theta):
    """Own defence consistent with the optimum when ``V = G0 + θ T``, ``T = Σ q`` (docs/impure.md).

    ``G0`` and ``θ T`` enter the linear coefficient apart: contributions below the last digit
    of ``G0`` vanish from ``V`` in floating point, and near a drop-out level (where the terms
    with ``G0`` cancel) they are all that is left of it.
    """
    alpha = 1.0 - theta * (b + c)
    B = ((a + b * (1.0 - theta)) * w - (b + c) * p * G0) - (b + c) * p * (theta * T)
    return positive_root(alpha, B, b, G0 + theta * T, w, p)


def joint_product_nash(
    w: NDArray, prefs: JointProduct, theta: NDArray, is_matrix: bool, p: NDArray, G0: NDArray
) -> tuple[NDArray, ...]:
    """``g, Q, x, dropout, status`` of the joint-product equilibrium; validated, broadcast input."""
    batch, shape = w.shape[:-1], w.shape
    a, b = (np.broadcast_to(v, shape) for v in (prefs.a, prefs.b))
    c = 1.0 - a - b
    pm = np.broadcast_to(p[..., None], (*batch, 1))
    if is_matrix:
        uniform, value = uniform_spillover(theta)
    else:
        uniform, value = np.ones(batch, dtype=bool), np.broadcast_to(theta, batch)
    q = np.empty(shape)
    status = np.full(batch, Status.SUCCESS, dtype=status_dtype)
    args = (a, b, c, w, pm)
    if uniform.any():
        sub = tuple(np.broadcast_to(v, shape)[uniform] for v in args)
        q[uniform], status[uniform] = _uniform(*sub, G0[uniform], value[uniform])
    if not uniform.all():
        rest = ~uniform
        sub = tuple(np.broadcast_to(v, shape)[rest] for v in args)
        q[rest], status[rest] = _newton(*sub, G0[rest], theta[rest])
    if is_matrix:
        S = np.einsum("...ij,...j->...i", theta, q) + G0[..., None]
    else:
        S = theta * (q.sum(-1, keepdims=True) - q) + G0[..., None]
    with np.errstate(divide="ignore"):
        # without a private benefit (b = 0) this is Cobb–Douglas: the drop-out level a w/((1-a) p)
        dropout = np.where(b > 0, np.inf, a * w / ((1.0 - a) * pm))
    return q, q + S, w - pm * q, dropout, status


def _uniform(a, b, c, w, p, G0, theta):
    """Common spill-in per scenario, flat ``(B, n)`` arrays: root of ``T - Σ q_i(T)``."""
    t = theta[:, None]

    def excess(T: NDArray) -> NDArray:
        return T - _q_of_V(a, b, c, G0[:, None], T[:, None], w, p, t).sum(-1)

    # q_i(T) <= BR_i(G0) since spill-ins only crowd out (∂q/∂S <= 0): an upper bracket end.
    # Widened a little: when one ally's response settles the total (n = 1, or θ = 0) the root
    # sits at this end, and rounding may put the excess just below zero there.
    hi = joint_product_response(a, b, c, G0[:, None], w, p).sum(-1) * (1.0 + 1e-9)
    T, root_status = solve_monotone(excess, np.zeros_like(hi), hi)
    q = _q_of_V(a, b, c, G0[:, None], T[:, None], w, p, t)
    return q, np.where(root_status == 0, Status.SUCCESS, Status.NOT_CONVERGED)


def _newton(a, b, c, w, p, G0, theta):
    """Matrix spill-ins, flat ``(B, n)``: semismooth Newton with backtracking (docs/impure.md).

    Hand-written because SciPy's ``root`` solves one system per call; here every scenario
    takes its Newton step in one stacked ``np.linalg.solve``.
    """
    n = w.shape[-1]
    tol = _NEWTON_TOL * (w / p).max(-1)
    q = joint_product_response(a, b, c, G0[:, None], w, p)
    F, S = _fixed_point_residual(q, a, b, c, w, p, G0, theta)
    size = np.abs(F).max(-1)
    for _ in range(_NEWTON_MAX_ITER):
        rows = np.flatnonzero(size > tol)
        if rows.size == 0:
            break
        part = tuple(v[rows] for v in (a, b, c, w, p, G0, theta))
        slope = _response_slope(*part[:3], S[rows], part[3], part[4], q[rows] - F[rows])
        J = np.eye(n) - slope[..., None] * part[-1]
        step = -np.linalg.solve(J, F[rows][..., None])[..., 0]
        q_new, pending, t = q[rows], np.ones(rows.size, dtype=bool), 1.0
        for _ in range(_HALVINGS):
            trial = np.maximum(0.0, q[rows] + t * step)
            F_t, _ = _fixed_point_residual(trial, *part)
            better = pending & (np.abs(F_t).max(-1) <= (1.0 - 1e-4 * t) * size[rows])
            q_new[better] = trial[better]
            pending &= ~better
            if not pending.any():
                break
            t *= 0.5
        q[rows] = q_new
        F, S = _fixed_point_residual(q, a, b, c, w, p, G0, theta)
        size = np.abs(F).max(-1)
    return q, np.where(size <= tol, Status.SUCCESS, Status.NOT_CONVERGED)


def _fixed_point_residual(q, a, b, c, w, p, G0, theta):
    """``(q - BR(Θ q + G0), Θ q + G0)`` on flat ``(B, n)`` arrays."""
    S = np.einsum("bij,bj->bi", theta, q) + G0[:, None]
    return q - joint_product_response(a, b, c, S, w, p), S
