"""The utilitarian joint optimum of an impure public good: :func:`joint_optimum`.

The Pareto reference point for spill-ins and joint products (and, with ``θ = 1``, for the pure
public good): the provision that maximises the members' summed utility, each within its own
budget. Derivation, method and certificate in ``docs/impure.md``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import thread_map
from burden._status import Status, status_dtype
from burden._validation import workers_iv
from burden.preferences import Preferences
from burden.publicgoods._inputs import prefs_rows, spillover_iv
from burden.publicgoods.nash import nash
from burden.publicgoods.results import JointOptimum, NashEquilibrium

__all__ = ["joint_optimum", "optimum_from_nash"]

_EDGE = 1e-12  # spending shares stay in [edge, 1 - edge] where a log utility would be infinite
_KKT_TOL = 1e-6  # certificate: projected welfare gradient relative to the private marginal cost


class _Model:
    """Utilities and welfare gradient of one scenario, on ``(1, n)`` arrays."""

    def __init__(self, w, prefs, theta, is_matrix, p, G0):
        self.w, self.prefs, self.theta, self.is_matrix = w, prefs, theta, is_matrix
        self.p, self.G0 = p, G0

    def enjoyed(self, q: NDArray) -> NDArray:
        if self.is_matrix:
            return q + q @ self.theta.T + self.G0
        return q + self.theta * (q.sum(-1, keepdims=True) - q) + self.G0

    def spread(self, v: NDArray) -> NDArray:
        """``(I + Θ)ᵀ v``: how a unit of ``q_i`` raises every ``Q_j``, weighted by ``v_j``."""
        if self.is_matrix:
            return v + v @ self.theta
        return v + self.theta * (v.sum(-1, keepdims=True) - v)

    def utility(self, q: NDArray) -> NDArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.broadcast_to(self.prefs.own_utility(self.w - self.p * q, self.enjoyed(q), q), q.shape)

    def gradient(self, q: NDArray) -> tuple[NDArray, NDArray]:
        """``∂(Σ u)/∂q`` and the private marginal cost ``p u_x`` of each member."""
        x, Q = self.w - self.p * q, self.enjoyed(q)
        with np.errstate(divide="ignore", invalid="ignore"):
            u_x = np.broadcast_to(self.prefs.marginal_utility_x(x, Q, q), q.shape)
            mrs_Q, mrs_q = (np.broadcast_to(v, q.shape) for v in self.prefs.marginal_rates(x, Q, q))
            grad = u_x * (mrs_q - self.p) + self.spread(u_x * mrs_Q)
        return grad, self.p * u_x


def joint_optimum(
    w: ArrayLike,
    prefs: Preferences,
    *,
    spillover: ArrayLike = 1.0,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    workers: int = 1,
) -> JointOptimum:
    """Provision that maximises the members' summed utility (``docs/impure.md``; small batches).

    Parameters
    ----------
    w, prefs, spillover, p, G0
        As in :func:`burden.nash` (``spillover`` defaults to the pure public good, 1).
    workers : int, optional
        Threads that solve scenarios in parallel (default 1; ``-1`` one per CPU).

    Returns
    -------
    JointOptimum
        ``g``, ``G``, ``Q``, ``x``, ``tau``, ``utility``, ``welfare``, ``residual`` (relative
        KKT violation), ``status``.

    Examples
    --------
    Two identical Cobb–Douglas allies (``a = 1/2``, wealth 1) with a pure public good: each
    spends ``a w`` at the optimum, the Samuelson (and here Lindahl) level (derived).

    >>> import burden as bd
    >>> opt = bd.joint_optimum([1.0, 1.0], bd.CobbDouglas(0.5))
    >>> opt.g.round(6), opt.status
    (array([0.5, 0.5]), array(0, dtype=int8))
    """
    workers = workers_iv(workers)
    eq = nash(w, prefs, p=p, G0=G0, spillover=spillover)
    return optimum_from_nash(eq, w, prefs, spillover, p, G0, workers)


def optimum_from_nash(
    eq: NashEquilibrium, w: ArrayLike, prefs: Preferences, spillover: ArrayLike, p, G0, workers: int
) -> JointOptimum:
    """The joint optimum, started from the (validated) Nash equilibrium ``eq``."""
    batch, n = eq.G.shape, eq.g.shape[-1]
    theta, is_matrix, _ = spillover_iv(spillover, n, batch)
    w = np.broadcast_to(np.asarray(w, dtype=float), eq.g.shape)
    p, G0 = (np.broadcast_to(np.asarray(v, dtype=float), batch) for v in (p, G0))
    rows = int(np.prod(batch, dtype=np.int64))
    start = np.nan_to_num(eq.g).reshape(rows, n)
    w2, p1, G01 = w.reshape(rows, n), p.reshape(rows), G0.reshape(rows)
    theta2 = theta.reshape(rows, n, n) if is_matrix else np.broadcast_to(theta, rows)
    from scipy.optimize import minimize  # on first use: scipy.optimize slows `import burden`

    levels = prefs.subsistence()
    x_min = np.reshape(np.broadcast_to(levels[0], w.shape), (rows, n)) if levels else np.zeros((rows, n))

    def solve_one(k: int) -> tuple[NDArray, float, int]:
        sub = prefs_rows(prefs, batch, np.array([k]))
        model = _Model(w2[k : k + 1], sub, theta2[k], is_matrix, p1[k], G01[k])
        # spending shares s = p q / (w - x_min) of the wealth above subsistence
        budget = (w2[k] - x_min[k]) / p1[k]
        upper = np.full(n, 1.0 - _EDGE)
        # a private benefit of own provision makes g = 0 infinitely costly (log utility)
        private = np.broadcast_to(sub.private_share, (1, n))[0] > 0
        lower = np.where(private, _EDGE, 0.0)
        bounds = np.stack([lower, upper], axis=-1)

        def negative_welfare(s: NDArray) -> tuple[float, NDArray]:
            q = (budget * s)[None]
            value = model.utility(q).sum()
            if not np.isfinite(value):
                return np.inf, np.zeros(n)
            grad, _ = model.gradient(q)
            return -value, -(budget * grad[0])

        s0 = np.clip(start[k] / budget, lower, upper)
        res = minimize(
            negative_welfare,
            s0,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 5_000, "ftol": 1e-15, "gtol": 1e-10},
        )
        s = res.x
        grad, cost = model.gradient((budget * s)[None])
        # Relative to each member's private cost of spending its whole wealth: unit-free.
        step = grad[0] / cost[0]
        kkt = np.abs(s - np.clip(s + step, lower, upper)).max()
        return budget * s, float(kkt if np.isfinite(kkt) else np.inf)

    with np.errstate(all="ignore"):  # a failed scenario is reported through its status
        solved = thread_map(solve_one, range(rows), workers)
    q = np.array([r[0] for r in solved]).reshape(eq.g.shape)
    kkt = np.array([r[1] for r in solved]).reshape(batch)
    pm = p[..., None]
    theta_b = theta if is_matrix else np.broadcast_to(theta, batch)[..., None]
    if is_matrix:
        Q = q + np.einsum("...ij,...j->...i", theta, q) + G0[..., None]
    else:
        Q = q + theta_b * (q.sum(-1, keepdims=True) - q) + G0[..., None]
    x = w - pm * q
    with np.errstate(divide="ignore", invalid="ignore"):
        utility = np.broadcast_to(prefs.own_utility(x, Q, q), q.shape).copy()
        total = q.sum(-1, keepdims=True)
        tau = q / np.where(total > 0, total, 1.0)
    finite = np.isfinite(q).all(-1) & np.isfinite(utility).all(-1)
    status = np.where(kkt <= _KKT_TOL, Status.SUCCESS, Status.NOT_CONVERGED)
    status = np.where(finite, status, Status.NOT_FINITE).astype(status_dtype)
    return JointOptimum(
        g=q,
        G=np.asarray(G0 + q.sum(-1)),
        Q=Q,
        x=x,
        tau=tau,
        utility=utility,
        welfare=np.asarray(utility.sum(-1)),
        residual=np.asarray(kkt),
        status=np.asarray(status),
    )
