r"""Joint products: defence that buys a public deterrent and a private, ally-specific benefit.

Sandler's joint-product model (Sandler 1977; Cornes & Sandler 1984; Murdoch & Sandler 1984):
ally :math:`i`'s defence :math:`q_i` produces the alliance-wide deterrent, of which it enjoys
:math:`Q_i = q_i + S_i` (spill-ins :math:`S_i = \sum_{j \ne i} \theta_{ij} q_j + G_0`, see
:mod:`burden.publicgoods.spillover`), and an excludable private benefit (protection of its own
territory or colonies, internal order, disaster relief) that grows with :math:`q_i` itself:

.. math:: u_i = a \ln(q_i + S_i) + b \ln q_i + c \ln(w_i - p q_i), \qquad c = 1 - a - b > 0 .

**Best response** (``DESIGN.md`` §2.5; derived). The first-order condition
:math:`a/(q+S) + b/q = pc/(w - pq)` is the quadratic
:math:`p q^2 - B q - b S w = 0` with :math:`B = (a+b) w - (b+c) p S`, so

.. math:: q_i = \frac{B + \sqrt{B^2 + 4 p b S_i w_i}}{2p},

evaluated as :math:`2 b S w / (\sqrt{\cdot} - B)` when :math:`B < 0` to avoid cancellation. With
:math:`b > 0` every ally buys some defence: the private benefit cannot be free-ridden on.

**Scalar θ** (derived). On the aggregate :math:`T = \sum_j q_j`, put :math:`V = G_0 + \theta T`, so
:math:`S_i = V - \theta q_i` and :math:`Q_i = V + (1-\theta) q_i`. The first-order condition becomes
:math:`p\alpha q^2 - B' q - b V w = 0` with :math:`\alpha = 1 - \theta(b + c) > 0` and
:math:`B' = (a + b(1-\theta)) w - (b+c) p V`: a closed form :math:`q_i(T)`, decreasing in
:math:`T` because :math:`\partial q_i/\partial S_i \in (-1, 0]` (normal goods). The equilibrium is
the unique root of the increasing function :math:`T - \sum_i q_i(T)` on
:math:`[0, \sum_i q_i^{\mathrm{BR}}(G_0)]`, found for the whole batch by
``scipy.optimize.elementwise.find_root`` (through :func:`burden._roots.solve_monotone`).
The symmetric :math:`n`-ally equilibrium at :math:`\theta = 1`, :math:`p = 1` is
:math:`q = (a/n + b)\,w/(a/n + b + c)`.

**Matrix θ.** Semismooth Newton on :math:`F(q) = q - \mathrm{BR}(\Theta q + G_0) = 0` with the
Jacobian :math:`I - \mathrm{diag}(\mathrm{BR}')\,\Theta`, a backtracking line search on
:math:`\max_i |F_i|`, started from the stand-alone demands. Every answer is certified by its
residual :math:`\max_i |q_i - \mathrm{BR}_i(q)|`. Uniqueness is not checked on this path; it holds
e.g. when every row sum of :math:`\Theta` is at most 1 (the best-response map is then a
contraction in the max norm, since :math:`|\mathrm{BR}'| < 1`).

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

Examples
--------
Two identical allies, ``a = 0.3``, ``b = 0.2``: the symmetric closed form gives
``q = (0.15 + 0.2) / (0.15 + 0.2 + 0.5) = 0.411765`` of wealth (derived).

>>> import burden as bd
>>> bd.nash([1.0, 1.0], bd.JointProduct(0.3, 0.2)).q
array([0.411765, 0.411765])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._roots import solve_monotone
from burden._validation import as_float_array, broadcast_named, check_interval, format_index
from burden.preferences import Preferences
from burden.publicgoods._inputs import members_iv
from burden.publicgoods.nash import STATUS_NOT_CONVERGED, STATUS_OK
from burden.publicgoods.spillover import SpilloverEquilibrium, spillover_iv, uniform_spillover

__all__ = ["JointProduct", "joint_product_nash"]

_NEWTON_MAX_ITER = 60
_HALVINGS = 30
_REL_TOL = 1e-11  # certificate: residual <= _REL_TOL * (1 + max w/p)


class JointProduct:
    r"""Joint-product preferences :math:`u = a\ln(q+S) + b\ln q + (1-a-b)\ln(w - pq)`.

    ``a`` weighs the public deterrent, ``b`` the ally's private benefit from its own defence.
    ``b = 0`` is allowed: Cobb–Douglas over the deterrent (with ``θ = 1`` the pure public good
    of ``CobbDouglas(a)``), for which some allies may contribute nothing; with ``b > 0`` all
    contribute.

    Parameters
    ----------
    a : array_like
        Weight on the public deterrent, in (0, 1).
    b : array_like
        Weight on the private benefit, in [0, 1), with ``a + b < 1``.

    Examples
    --------
    >>> import burden as bd
    >>> jp = bd.JointProduct(0.3, 0.2)
    >>> jp.c, jp.private_share
    (array(0.5), array(0.4))
    >>> jp.best_response(S=0.0, w=10.0)  # alone: the share a + b of wealth
    array(5.)
    """

    _param_names = ("a", "b")

    def __init__(self, a: ArrayLike, b: ArrayLike):
        a = check_interval(as_float_array(a, "a"), "a", 0.0, 1.0)
        b = check_interval(as_float_array(b, "b"), "b", 0.0, 1.0, closed="left")
        a_b, b_b = broadcast_named({"a": a, "b": b})
        bad = a_b + b_b >= 1.0
        if bad.any():
            index = tuple(np.argwhere(bad)[0]) if bad.ndim else ()
            at = format_index(index)
            raise ValueError(
                f"`a + b` must be < 1 (private consumption needs a positive weight); "
                f"a{at} + b{at} = {a_b[index]!r} + {b_b[index]!r}"
            )
        self.a, self.b = a, b

    @property
    def c(self) -> NDArray:
        """Weight on private consumption, ``1 - a - b``."""
        return np.asarray(1.0 - self.a - self.b)

    @property
    def private_share(self) -> NDArray:
        """Share of defence's utility weight that is private, ``b / (a + b)``."""
        return np.asarray(self.b / (self.a + self.b))

    def utility(self, x: ArrayLike, Q: ArrayLike, q: ArrayLike) -> NDArray:
        """Utility of private consumption ``x``, deterrent enjoyed ``Q`` and own defence ``q``."""
        x, Q, q = (np.asarray(v, dtype=float) for v in (x, Q, q))
        with np.errstate(divide="ignore", invalid="ignore"):
            private = np.where(self.b > 0, self.b * np.log(q), 0.0)  # b = 0: no private term, even at q = 0
            return self.a * np.log(Q) + private + self.c * np.log(x)

    def consumption_for_utility(self, u: ArrayLike, Q: ArrayLike, q: ArrayLike) -> NDArray:
        """Private consumption ``x`` with ``utility(x, Q, q) = u``."""
        zero_x = self.utility(1.0, Q, q)  # utility at x = 1, where c ln x vanishes
        return np.exp((np.asarray(u) - zero_x) / self.c)

    def best_response(self, S: ArrayLike, w: ArrayLike, p: ArrayLike = 1.0) -> NDArray:
        """Own defence maximising utility given spill-ins ``S >= 0`` (closed form above)."""
        S, w, p = (np.asarray(v, dtype=float) for v in (S, w, p))
        return _best_response(self.a, self.b, self.c, S, w, p)

    def __repr__(self) -> str:
        return f"JointProduct(a={_short(self.a)}, b={_short(self.b)})"


def _short(value: NDArray) -> str:
    return f"{value[()]:g}" if value.ndim == 0 else f"<array {value.shape}>"


def _positive_root(alpha: NDArray, B: NDArray, D: NDArray, p: NDArray) -> NDArray:
    """Non-negative root of ``p α q² - B q - D = 0`` (``α > 0``, ``D >= 0``), without cancellation."""
    R = np.sqrt(B * B + 4.0 * p * alpha * D)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(B >= 0, (B + R) / (2.0 * p * alpha), 2.0 * D / (R - B))


def _best_response(a, b, c, S, w, p):
    return _positive_root(1.0, (a + b) * w - (b + c) * p * S, b * S * w, p)


def _best_response_slope(a, b, c, S, w, p, q):
    """``∂q/∂S`` from the implicit quadratic: ``(b w - (b+c) p q) / sqrt(B² + 4 p b S w)``."""
    R = 2.0 * p * q - ((a + b) * w - (b + c) * p * S)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(R > 0, (b * w - (b + c) * p * q) / R, 0.0)


def _q_of_V(a, b, c, V, w, p, theta):
    """Own defence consistent with the optimum when ``G0 + θ T = V`` (module docstring)."""
    alpha = 1.0 - theta * (b + c)
    return _positive_root(alpha, (a + b * (1.0 - theta)) * w - (b + c) * p * V, b * V * w, p)


def joint_product_nash(
    w: ArrayLike,
    prefs: JointProduct,
    *,
    spillover: ArrayLike = 1.0,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
) -> SpilloverEquilibrium:
    """Nash equilibrium of the joint-product model; the engine behind ``burden.nash``.

    See :func:`burden.nash` for the parameters and the module docstring for the method.

    Examples
    --------
    A stronger private motive (b) raises the small ally's defence (derived example):

    >>> import burden as bd
    >>> for b in (0.0, 0.2):
    ...     print(joint_product_nash([100.0, 40.0], JointProduct(0.3, b)).q.round(4))
    [30.  0.]
    [46.2492 14.0186]
    """
    # `members_iv` validates w, p and G0; a bare Preferences() contributes no parameters.
    w, p, G0 = members_iv(w, Preferences(), p, G0)
    w, a, b = broadcast_named({"w": w, "a": prefs.a, "b": prefs.b})
    n = w.shape[-1]
    batch = np.broadcast_shapes(w.shape[:-1], p.shape)
    theta, is_matrix, batch = spillover_iv(spillover, n, batch)
    shape = (*batch, n)
    w, a, b = (np.broadcast_to(v, shape) for v in (w, a, b))
    c = 1.0 - a - b
    pm = np.broadcast_to(p[..., None], (*batch, 1))
    G0 = np.broadcast_to(G0, batch)

    if is_matrix:
        uniform, value = uniform_spillover(theta)
    else:
        uniform, value = np.ones(batch, dtype=bool), np.broadcast_to(theta, batch)
    q = np.empty(shape)
    status = np.full(batch, STATUS_OK)
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
    residual = np.abs(q - _best_response(a, b, c, S, w, pm)).max(-1)
    certified = residual <= _REL_TOL * (1.0 + (w / pm).max(-1))
    status = np.where((status == STATUS_OK) & ~certified, STATUS_NOT_CONVERGED, status)
    x = w - pm * q
    Q = q + S
    return SpilloverEquilibrium(
        q=q,
        Q=Q,
        S=S,
        T=np.asarray(q.sum(-1)),
        x=x,
        contributors=q > 0,
        _utility_of=lambda eq: prefs.utility(eq.x, eq.Q, eq.q),
        residual=np.asarray(residual),
        status=np.asarray(status),
    )


def _uniform(a, b, c, w, p, G0, theta):
    """Common spill-in per scenario, flat ``(B, n)`` arrays: root of ``T - Σ q_i(T)``."""
    t = theta[:, None]

    def excess(T: NDArray) -> NDArray:
        return T - _q_of_V(a, b, c, G0[:, None] + t * T[:, None], w, p, t).sum(-1)

    # q_i(T) <= BR_i(G0) since spill-ins only crowd out (∂q/∂S <= 0): an upper bracket end.
    # Widened a little: when one ally's response settles the total (n = 1, or θ = 0) the root
    # sits at this end, and rounding may put the excess just below zero there.
    hi = _best_response(a, b, c, G0[:, None], w, p).sum(-1) * (1.0 + 1e-9)
    T, root_status = solve_monotone(excess, np.zeros_like(hi), hi)
    q = _q_of_V(a, b, c, G0[:, None] + t * T[:, None], w, p, t)
    return q, np.where(root_status == 0, STATUS_OK, STATUS_NOT_CONVERGED)


def _newton(a, b, c, w, p, G0, theta):
    """Matrix spill-ins, flat ``(B, n)``: semismooth Newton with backtracking (module docstring).

    Hand-written because SciPy's ``root`` solves one system per call; here every scenario
    takes its Newton step in one stacked ``np.linalg.solve``.
    """
    n = w.shape[-1]
    tol = 0.1 * _REL_TOL * (1.0 + (w / p).max(-1))
    q = _best_response(a, b, c, G0[:, None], w, p)
    F, S = _fixed_point_residual(q, a, b, c, w, p, G0, theta)
    size = np.abs(F).max(-1)
    for _ in range(_NEWTON_MAX_ITER):
        rows = np.flatnonzero(size > tol)
        if rows.size == 0:
            break
        part = tuple(v[rows] for v in (a, b, c, w, p, G0, theta))
        slope = _best_response_slope(*part[:3], S[rows], part[3], part[4], q[rows] - F[rows])
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
    return q, np.where(size <= tol, STATUS_OK, STATUS_NOT_CONVERGED)


def _fixed_point_residual(q, a, b, c, w, p, G0, theta):
    """``(q - BR(Θ q + G0), Θ q + G0)`` on flat ``(B, n)`` arrays."""
    S = np.einsum("bij,bj->bi", theta, q) + G0[:, None]
    return q - _best_response(a, b, c, S, w, p), S
