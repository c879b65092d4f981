r"""Free riding with impure public goods: Nash against the utilitarian joint optimum.

With spill-ins (:mod:`burden.publicgoods.spillover`) or joint products
(:mod:`burden.publicgoods.joint_products`) each ally enjoys its own total
:math:`Q_i = q_i + \sum_{j \ne i}\theta_{ij} q_j + G_0`, so there is no single provision level
to compare with a Lindahl point. The reference is the **joint optimum**: the defence vector
that maximises the sum of utilities subject to each ally's budget,

.. math:: \max_{0 \le q_i < w_i/p} \; \sum_i u_i\bigl(w_i - p q_i,\; Q_i(q)\bigr)
          \quad (\text{joint products: } u_i(w_i - p q_i, Q_i, q_i)),

without transfers between allies. It satisfies the generalised Samuelson condition
:math:`p\,\partial u_i/\partial x_i = \partial u_i/\partial q_i + \sum_j (\delta_{ij} + \theta_{ji})
\,\partial u_j/\partial Q_j` at every interior :math:`q_i`. Each scenario is a smooth concave
maximisation in the spending shares :math:`s_i = p q_i / w_i`, solved as a bound-constrained
L-BFGS-B problem (SciPy), one scenario after another, started
from the Nash equilibrium, and each scenario is then certified by its projected-gradient (KKT)
residual. This is a Python loop over scenarios, meant for small batches (up to some hundreds
of scenarios); it is not a closed form. Marginal utilities are exact for
:class:`~burden.JointProduct`; for :class:`~burden.Preferences` the marginal utility of
consumption is a central difference and :math:`u_Q = \mathrm{mrs}\cdot u_x`.

:func:`impure_free_riding` reports the measures of :func:`burden.free_riding` for these models,
with total defence :math:`T = \sum_i q_i` in place of provision, plus the joint-product
**benefit–burden** measures: the private share :math:`b/(a+b)` of each ally's defence motive
and, at Nash, the **private share of its marginal benefit**
:math:`(b/q_i) / (a/Q_i + b/q_i)`: the part of its own defence it would buy even if the
deterrent were not shared. The larger it is, the less the ally free-rides (Sandler's
benefit–burden concordance; Murdoch & Sandler 1984).

References
----------
Sandler, T. (1977). Impurity of defense: an application to the economics of alliances.
*Kyklos* 30(3), 443–460.
Cornes, R. & Sandler, T. (1984). Easy riders, joint production, and public goods.
*Economic Journal* 94(375), 580–598.
Murdoch, J. C. & Sandler, T. (1984). Complementarity, free riding, and the military
expenditures of NATO allies. *Journal of Public Economics* 25(1–2), 83–101.
Sandler, T. & Hartley, K. (2001). Economics of alliances: the lessons for collective
action. *Journal of Economic Literature* 39(3), 869–896.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

from burden._results import Result, result_class
from burden.preferences import Preferences
from burden.publicgoods.joint_products import JointProduct
from burden.publicgoods.measures import burden_measures
from burden.publicgoods.nash import STATUS_NOT_CONVERGED, STATUS_OK, nash
from burden.publicgoods.spillover import SpilloverEquilibrium, spillover_iv

__all__ = ["ImpureFreeRiding", "JointOptimum", "impure_free_riding", "joint_optimum"]

_EDGE = 1e-12  # spending shares stay in [edge, 1 - edge] where a log utility would be infinite
_KKT_TOL = 1e-6  # certificate: projected welfare gradient relative to the private marginal cost
_FD_STEP = 1e-6  # relative step of the central difference for u_x


@result_class
class JointOptimum(Result):
    """Utilitarian joint optimum; ``batch`` is the broadcast scenario shape.

    Attributes
    ----------
    q, Q, x, utility : ndarray, shape ``batch + (n,)``
        Own defence, defence enjoyed, private consumption and utility at the optimum.
    T : ndarray, shape ``batch``
        Total defence ``Σ q``.
    welfare : ndarray, shape ``batch``
        ``Σ utility``.
    kkt_residual : ndarray, shape ``batch``
        Largest projected gradient of the welfare in spending shares ``p q_i / w_i``, each
        divided by the ally's private marginal cost ``p u_x,i``: the relative violation of the
        optimality (generalised Samuelson) conditions.
    status : ndarray of int, shape ``batch``
        0 certified (``kkt_residual <= 1e-6``), 1 not certified.
    """

    _core_dims = ("member",)

    q: NDArray
    Q: NDArray
    x: NDArray
    utility: NDArray
    T: NDArray
    welfare: NDArray
    kkt_residual: NDArray
    status: NDArray


class _Model:
    """Utilities and welfare gradient of one impure-good model on ``(B, n)`` arrays."""

    def __init__(self, w, prefs, theta, is_matrix, p, G0):
        self.w, self.prefs, self.theta, self.is_matrix = w, prefs, theta, is_matrix
        self.p, self.G0 = p[..., None], G0[..., None]

    def enjoyed(self, q: NDArray) -> NDArray:
        if self.is_matrix:
            return q + np.einsum("...ij,...j->...i", self.theta, q) + self.G0
        return q + self.theta * (q.sum(-1, keepdims=True) - q) + self.G0

    def spread(self, v: NDArray) -> NDArray:
        """``(I + Θ)ᵀ v``: how a unit of ``q_i`` raises every ``Q_j``, weighted by ``v_j``."""
        if self.is_matrix:
            return v + np.einsum("...ji,...j->...i", self.theta, v)
        return v + self.theta * (v.sum(-1, keepdims=True) - v)

    def utility(self, q: NDArray) -> NDArray:
        x, Q = self.w - self.p * q, self.enjoyed(q)
        with np.errstate(divide="ignore", invalid="ignore"):
            if isinstance(self.prefs, JointProduct):
                return self.prefs.utility(x, Q, q) * np.ones(q.shape)
            return self.prefs.utility(x, Q) * np.ones(q.shape)

    def welfare_gradient(self, q: NDArray, with_cost: bool = False):
        """``∂(Σ u)/∂q`` (and, if asked, the private marginal cost ``u_x``)."""
        x, Q, prefs = self.w - self.p * q, self.enjoyed(q), self.prefs
        with np.errstate(divide="ignore", invalid="ignore"):
            if isinstance(prefs, JointProduct):
                u_x, u_Q = prefs.c / x, prefs.a / Q
                u_q = np.where(prefs.b > 0, prefs.b / q, 0.0)
            else:
                h = _FD_STEP * x
                u_x = (prefs.utility(x + h, Q) - prefs.utility(x - h, Q)) / (2 * h)
                u_Q, u_q = prefs.mrs(x, Q) * u_x, 0.0
        grad = -self.p * u_x + u_q + self.spread(u_Q * np.ones(q.shape))
        return (grad, u_x * np.ones(q.shape)) if with_cost else grad


def joint_optimum(
    w: ArrayLike,
    prefs: Preferences | JointProduct,
    *,
    spillover: ArrayLike = 1.0,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
) -> JointOptimum:
    """Defence that maximises the allies' summed utility (module docstring: small batches).

    Parameters
    ----------
    w, prefs, spillover, p, G0
        As in :func:`burden.nash` (``spillover`` defaults to the pure public good, 1).

    Returns
    -------
    JointOptimum

    Examples
    --------
    Two identical Cobb–Douglas allies (``a = 1/2``, wealth 1) with a pure public good: each
    spends ``a w`` at the optimum, the Samuelson (and here Lindahl) level (derived).

    >>> import burden as bd
    >>> opt = joint_optimum([1.0, 1.0], bd.CobbDouglas(0.5))
    >>> opt.q.round(6), opt.status
    (array([0.5, 0.5]), array(0))
    """
    eq = nash(w, prefs, p=p, G0=G0, spillover=spillover)
    return _optimum(eq, w, prefs, spillover, p, G0)


def _optimum(eq: SpilloverEquilibrium, w, prefs, spillover, p, G0) -> JointOptimum:
    """The joint optimum, started from the (validated) Nash equilibrium ``eq``."""
    batch, n = eq.T.shape, eq.q.shape[-1]
    theta, is_matrix, _ = spillover_iv(spillover, n, batch)
    w = np.broadcast_to(np.asarray(w, dtype=float), eq.q.shape)
    p, G0 = (np.broadcast_to(np.asarray(v, dtype=float), batch) for v in (p, G0))
    model = _Model(w, prefs, theta, is_matrix, p, G0)
    scale = w / p[..., None]  # q = scale * s
    lo = np.where(np.broadcast_to(getattr(prefs, "b", 0.0), w.shape) > 0, _EDGE, 0.0)
    bounds = np.stack([lo, np.full(w.shape, 1.0 - _EDGE)], axis=-1).reshape(-1, 2)
    s = np.clip(np.nan_to_num(eq.q / scale), lo, 1.0 - _EDGE).reshape(-1, n)
    flat_scale, rows = scale.reshape(-1, n), s.shape[0]

    def negative_welfare(s_k: NDArray, k: int) -> tuple[float, NDArray]:
        # The model evaluates whole batches (preference parameters broadcast against them):
        # vary scenario k only and read off its row.
        trial = s.copy()
        trial[k] = s_k
        q = (flat_scale * trial).reshape(w.shape)
        value = model.utility(q).reshape(-1, n)[k].sum()
        if not np.isfinite(value):
            return np.inf, np.zeros(n)
        grad = (scale * model.welfare_gradient(q)).reshape(-1, n)[k]
        return -value, -grad

    # One L-BFGS-B per scenario: stacking the independent scenarios into one problem was
    # measured to stall (its stopping rules are global), hence "small batches".
    for k in range(rows):
        res = minimize(
            negative_welfare,
            s[k],
            args=(k,),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds.reshape(-1, n, 2)[k],
            options={"maxiter": 5_000, "ftol": 1e-15, "gtol": 1e-10},
        )
        s[k] = res.x
    s = s.reshape(w.shape)
    q = scale * s
    grad_q, cost = model.welfare_gradient(q, with_cost=True)
    # Relative to each ally's private cost of spending its whole wealth, w_i u_x,i: unit-free.
    grad = grad_q / (p[..., None] * cost)
    kkt = np.abs(s - np.clip(s + grad, bounds[:, 0].reshape(w.shape), bounds[:, 1].reshape(w.shape))).max(-1)
    utility = model.utility(q)
    status = np.where(kkt <= _KKT_TOL, STATUS_OK, STATUS_NOT_CONVERGED)
    return JointOptimum(
        q=q,
        Q=model.enjoyed(q),
        x=w - p[..., None] * q,
        utility=utility,
        T=np.asarray(q.sum(-1)),
        welfare=np.asarray(utility.sum(-1)),
        kkt_residual=np.asarray(kkt),
        status=np.asarray(status),
    )


@result_class
class ImpureFreeRiding(Result):
    """Free-riding measures for impure public goods; ``batch`` is the broadcast scenario shape.

    Attributes
    ----------
    T_nash, T_optimum : ndarray, shape ``batch``
        Total defence ``Σ q`` at Nash and at the joint optimum.
    gap, ratio : ndarray, shape ``batch``
        ``T_optimum - T_nash`` and ``T_nash / T_optimum``.
    burden : ndarray, shape ``batch + (n,)``
        ``p q_i / w_i`` at Nash.
    exploitation : ndarray, shape ``batch + (n,)``
        ``(q_i / Σ q) / (w_i / Σ w)`` at Nash.
    contributors, free_riders : ndarray of bool, shape ``batch + (n,)``
    welfare_loss : ndarray, shape ``batch + (n,)``
        Private consumption each ally would need on top of its Nash consumption, at its Nash
        defence enjoyed (and own defence), to reach its joint-optimum utility (may be negative).
    welfare_loss_total : ndarray, shape ``batch``
    private_share : ndarray, shape ``batch + (n,)``
        ``b / (a + b)`` for JointProduct, 0 for a pure-motive preference.
    private_benefit_share : ndarray, shape ``batch + (n,)``
        At Nash, the private part of each ally's marginal benefit of own defence,
        ``(b/q) / (a/Q + b/q)`` (0 without a private motive).
    status : ndarray of int, shape ``batch``
        The worse of the Nash and optimum statuses.
    nash : SpilloverEquilibrium
    optimum : JointOptimum
    """

    _core_dims = ("member",)

    T_nash: NDArray
    T_optimum: NDArray
    gap: NDArray
    ratio: NDArray
    burden: NDArray
    exploitation: NDArray
    contributors: NDArray
    free_riders: NDArray
    welfare_loss: NDArray
    welfare_loss_total: NDArray
    private_share: NDArray
    private_benefit_share: NDArray
    status: NDArray
    nash: SpilloverEquilibrium
    optimum: JointOptimum


def impure_free_riding(
    w: ArrayLike,
    prefs: Preferences | JointProduct,
    *,
    spillover: ArrayLike = 1.0,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
) -> ImpureFreeRiding:
    """Free-riding and benefit–burden measures of the impure-good Nash equilibrium.

    The engine behind ``burden.free_riding(..., spillover=...)`` and ``free_riding`` with
    :class:`~burden.JointProduct` preferences.

    Parameters
    ----------
    w, prefs, spillover, p, G0
        As in :func:`burden.nash` (``spillover`` defaults to the pure public good, 1).

    Returns
    -------
    ImpureFreeRiding

    Examples
    --------
    A private motive makes the small ally carry more of the burden (derived example):

    >>> import burden as bd
    >>> for b in (0.0, 0.2):
    ...     fr = impure_free_riding([100.0, 40.0], JointProduct(0.3, b))
    ...     print(fr.exploitation.round(3), fr.private_benefit_share.round(3))
    [1.4 0. ] [0. 0.]
    [1.074 0.814] [0.465 0.741]
    """
    eq = nash(w, prefs, p=p, G0=G0, spillover=spillover)
    opt = _optimum(eq, w, prefs, spillover, p, G0)
    shape = eq.q.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(prefs, JointProduct):
            a, b = (np.broadcast_to(v, shape) for v in (prefs.a, prefs.b))
            private_share = np.array(b / (a + b))
            private_benefit = np.where(b > 0, b * eq.Q / (a * eq.q + b * eq.Q), 0.0)
            compensated = prefs.consumption_for_utility(opt.utility, eq.Q, eq.q)
        else:
            private_share = private_benefit = np.zeros(shape)
            compensated = prefs.consumption_for_utility(opt.utility, eq.Q)
    return ImpureFreeRiding(
        T_nash=eq.T,
        T_optimum=opt.T,
        gap=np.asarray(opt.T - eq.T),
        ratio=np.asarray(eq.T / opt.T),
        **burden_measures(eq.q, w, np.broadcast_to(np.asarray(p, float), eq.T.shape), eq.x, compensated),
        private_share=private_share,
        private_benefit_share=private_benefit,
        status=np.asarray(np.maximum(eq.status, opt.status)),
        nash=eq,
        optimum=opt,
    )
