r"""Impure public goods with spill-ins: Sandler's alliance model.

Member :math:`i` buys :math:`q_i \in [0, w_i/p]` units of defence and consumes
:math:`x_i = w_i - p q_i` privately. Defence is *impurely* public: member :math:`i` enjoys

.. math:: Q_i = q_i + S_i, \qquad S_i = \sum_{j \ne i} \theta_{ij} q_j + G_0,

where the *spill-in* weights :math:`\theta_{ij} \in [0, 1]` measure how much of ally
:math:`j`'s defence protects :math:`i` (geography, doctrine, force structure; Sandler 1977,
Murdoch & Sandler 1984, Sandler & Hartley 2001) and :math:`G_0 \ge 0` is exogenous
provision enjoyed by all. :math:`\theta = 1` is the pure public good of
:func:`burden.nash`, :math:`\theta = 0` a purely private good (stand-alone demands).
Member :math:`i` maximises :math:`u_i(x_i, Q_i)`.

**Best response** (``DESIGN.md`` §2.5). For preferences whose contributor optimum is a line
:math:`x = x_0 + p c Q` (Cobb–Douglas, CES, Stone–Geary; :meth:`Preferences.linear_foc`),
:math:`w_i - p q_i = x_{0i} + p c_i (q_i + S_i)` gives

.. math:: q_i = \max\Bigl(0, \frac{A_i - c_i S_i}{1 + c_i}\Bigr), \qquad A_i = (w_i - x_{0i})/p .

**Scalar θ: exact closed form.** Write :math:`V = G_0 + \theta T`, :math:`T = \sum_j q_j`:
the level of the good a member would enjoy without contributing. Then
:math:`S_i = V - \theta q_i`, and the best response solved for :math:`q_i` is
:math:`q_i = \max(0, A_i - c_i V) / (1 + c_i(1 - \theta))`. Multiplying by :math:`\theta`
and summing, :math:`V` solves

.. math:: V = G_0 + \sum_i \max(0, A''_i - c''_i V), \quad
          A''_i = \frac{\theta A_i}{1 + c_i(1-\theta)}, \ c''_i = \frac{\theta c_i}{1 + c_i(1-\theta)},

a pure-public-good equation with linear replacement functions, solved exactly by
sort-and-add (:func:`burden.publicgoods._linear.nash_linear`). At :math:`\theta = 1`,
:math:`A'' = A`, :math:`c'' = c`: the very same computation as :func:`burden.nash`. At
:math:`\theta = 0`, :math:`V = G_0` (no aggregate to solve). Each member enjoys
:math:`Q_i = V + (1 - \theta) q_i`.

**Matrix θ: a linear complementarity problem.** With :math:`\Theta` the spill-in matrix
(zero diagonal), the best responses are :math:`q \ge 0`,
:math:`(I + \mathrm{diag}(c)(I + \Theta)) q - (A - c G_0) \ge 0`, complementary. Dividing
row :math:`i` by :math:`c_i > 0` (same solutions) gives the LCP

.. math:: q \ge 0, \quad (\mathrm{diag}(1 + 1/c) + \Theta)\, q + G_0 - \bar Q \ge 0, \quad
          q^\top(\cdot) = 0,

with drop-out levels :math:`\bar Q_i = A_i / c_i`: row :math:`i` is
:math:`q_i / c_i + Q_i - \bar Q_i`. For symmetric :math:`\Theta` the matrix is symmetric, and
positive definite (so a P-matrix: a unique equilibrium) whenever
:math:`\mathrm{diag}(1 + 1/c) + \Theta \succ 0`, e.g. for Gaussian-kernel geographic
spill-ins or any :math:`\Theta` with row sums :math:`< 1 + 1/c_i`. It is solved by the batched
pivoting core :func:`burden.lcp.solve`. Where that cannot certify a unique answer (the matrix is
not a P-matrix) and the alliance is small (``n <= 8``), all equilibria are listed by
:func:`burden.lcp.enumerate_solutions`: a unique one counts as certified, several are flagged
(status 3, one is reported), with a ``NotPMatrixWarning``. Scenarios whose spill-in matrix has
all off-diagonal entries equal are sent to the closed form instead.

References
----------
Sandler, T. (1977). Impurity of defense: an application to the economics of alliances.
*Kyklos* 30(3), 443–460.
Murdoch, J. C. & Sandler, T. (1984). Complementarity, free riding, and the military
expenditures of NATO allies. *Journal of Public Economics* 25(1–2), 83–101.
Sandler, T. & Hartley, K. (2001). Economics of alliances: the lessons for collective
action. *Journal of Economic Literature* 39(3), 869–896.
Bramoullé, Y., Kranton, R. & D'Amours, M. (2014). Strategic interaction and networks.
*American Economic Review* 104(3), 898–930.

Examples
--------
Two allies with Cobb–Douglas ``a = 1/2`` (so ``c = 1``) and wealth 100 and 80; half of each
ally's defence protects the other (derived example: with ``V = 0.5 T``,
``q_i = (w_i - V)/1.5`` and ``T = q_1 + q_2`` give ``T = (180 - T)/1.5 = 72``):

>>> import burden as bd
>>> eq = bd.nash([100.0, 80.0], bd.CobbDouglas(0.5), spillover=0.5)
>>> eq.q, eq.T
(array([42.666667, 29.333333]), array(72.))
>>> eq.Q  # each enjoys its own defence plus half of the other's
array([57.333333, 50.666667])
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden import lcp
from burden._results import Result, result_class
from burden._status import Status
from burden._validation import as_float_array, check_interval, check_square
from burden._warnings import NotPMatrixWarning
from burden.preferences import Preferences
from burden.publicgoods._inputs import members_iv
from burden.publicgoods._linear import nash_linear
from burden.publicgoods.nash import (
    DEFAULT_CHUNK,
    STATUS_INFEASIBLE,
    STATUS_NOT_CONVERGED,
    STATUS_OK,
    below_subsistence,
)

__all__ = ["STATUS_NOT_UNIQUE", "SpilloverEquilibrium", "spillover_nash"]

#: the equilibrium is certified but the LCP matrix is not a P-matrix: it may be one of several
STATUS_NOT_UNIQUE = 3

#: largest alliance for which LCPs that pivoting cannot settle are decided by enumeration
_ENUMERATE_N = 8


@result_class
class SpilloverEquilibrium(Result):
    """Nash equilibrium of an impure public good; ``batch`` is the broadcast scenario shape.

    Attributes
    ----------
    q : ndarray, shape ``batch + (n,)``
        Each member's own defence (units of the good).
    Q : ndarray, shape ``batch + (n,)``
        Defence each member enjoys, ``q_i + S_i``.
    S : ndarray, shape ``batch + (n,)``
        Spill-ins received, ``Σ_{j≠i} θ_ij q_j + G0``.
    T : ndarray, shape ``batch``
        Total defence bought by the alliance, ``Σ q`` (without ``G0``).
    x : ndarray, shape ``batch + (n,)``
        Private consumption ``w - p q``.
    contributors : ndarray of bool, shape ``batch + (n,)``
        Members with ``q > 0``.
    utility : ndarray, shape ``batch + (n,)``
        Equilibrium utilities (computed on first access).
    residual : ndarray, shape ``batch``
        Certificate ``max_i |q_i - BR_i(q)|``: the distance from each member's own best
        response to the others' equilibrium defence, recomputed from ``q``.
    status : ndarray of int, shape ``batch``
        ``0`` certified (unique for scalar θ and P-matrix LCPs); ``1`` not converged (NaN);
        ``2`` infeasible (Stone–Geary subsistence); ``3`` certified, but the spill-in LCP
        matrix is not a P-matrix, so other equilibria may exist.
    """

    _core_dims = ("member",)
    _derived = ("utility",)

    q: NDArray
    Q: NDArray
    S: NDArray
    T: NDArray
    x: NDArray
    contributors: NDArray
    residual: NDArray
    status: NDArray
    _utility_of: Callable[[SpilloverEquilibrium], NDArray] = dataclasses.field(default=None, compare=False)

    @functools.cached_property
    def utility(self) -> NDArray:
        """Equilibrium utilities, shape ``batch + (n,)``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.broadcast_to(self._utility_of(self), self.x.shape).copy()


def spillover_iv(theta: ArrayLike, n: int, batch: tuple[int, ...]) -> tuple[NDArray, bool, tuple[int, ...]]:
    """Validate spill-ins for ``n`` members; return ``(theta, is_matrix, batch)``.

    A scalar comes back as a 0-d array; a matrix as ``batch + (n, n)`` with a zero diagonal,
    ``batch`` broadcast with the members' batch shape. Entries must be finite and the
    off-diagonal ones in [0, 1]; the diagonal is ignored.
    """
    theta = as_float_array(theta, "spillover")
    if theta.ndim == 0:
        return check_interval(theta, "spillover", 0.0, 1.0, closed="both"), False, batch
    check_square(theta, "spillover")
    if theta.shape[-1] != n:
        raise ValueError(
            f"`spillover` must be a scalar or have shape (..., n, n) with n = {n} members; got {theta.shape}"
        )
    theta = theta * (1.0 - np.eye(n))
    check_interval(theta, "spillover", 0.0, 1.0, closed="both")
    try:
        batch = np.broadcast_shapes(batch, theta.shape[:-2])
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast: scenarios {batch} of `w`/`p`/`G0`/preferences and "
            f"`spillover` {theta.shape} (batch {theta.shape[:-2]})"
        ) from None
    return np.broadcast_to(theta, (*batch, n, n)), True, batch


def uniform_spillover(theta: NDArray) -> tuple[NDArray, NDArray]:
    """For matrices ``(..., n, n)``: (all off-diagonal entries equal, their common value)."""
    n = theta.shape[-1]
    if n == 1:
        return np.ones(theta.shape[:-2], dtype=bool), np.zeros(theta.shape[:-2])
    off = ~np.eye(n, dtype=bool)
    value = theta[..., 0, 1]
    return (np.where(off, theta == value[..., None, None], True)).all((-2, -1)), value


def spillover_nash(
    w: ArrayLike,
    prefs: Preferences,
    *,
    spillover: ArrayLike,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    chunk: int = DEFAULT_CHUNK,
) -> SpilloverEquilibrium:
    """Nash equilibrium with spill-ins; the engine behind ``burden.nash(..., spillover=...)``.

    See :func:`burden.nash` for the parameters and the module docstring for the method.
    Preferences must have a linear first-order condition (CobbDouglas, CES, StoneGeary).

    Examples
    --------
    ``θ = 0``: every member buys its stand-alone demand ``a w / p``:

    >>> import burden as bd
    >>> spillover_nash([100.0, 80.0], bd.CobbDouglas(0.3), spillover=0.0, p=2.0).q
    array([15., 12.])
    """
    w, p, G0 = members_iv(w, prefs, p, G0)
    if not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"`chunk` must be a positive integer; got {chunk!r}")
    pm = p[..., None]
    foc = prefs.linear_foc(pm)
    if foc is None:
        raise TypeError(
            "spill-ins need preferences with a linear first-order condition (CobbDouglas, CES, "
            f"StoneGeary) or burden.JointProduct; got {type(prefs).__name__}"
        )
    n = w.shape[-1]
    theta, is_matrix, batch = spillover_iv(spillover, n, p.shape)
    shape = (*batch, n)
    w, pm, G0 = np.broadcast_to(w, shape), np.broadcast_to(pm, (*batch, 1)), np.broadcast_to(G0, batch)
    x0, c = (np.broadcast_to(v, shape) for v in foc)
    A = (w - x0) / pm

    status = np.full(batch, STATUS_OK)
    if is_matrix:
        uniform, value = uniform_spillover(theta)
    else:
        uniform, value = np.ones(batch, dtype=bool), np.broadcast_to(theta, batch)
    if uniform.all():  # the common case: no boolean-mask copies of the whole batch
        q_flat, V_flat = _uniform(*_flat(A, c, G0, value, n), chunk)
        q, V = q_flat.reshape(shape), V_flat.reshape(batch)
    else:
        q = np.empty(shape)
        V = np.zeros(batch)  # G0 + θ T on the closed-form path
        if uniform.any():
            q[uniform], V[uniform] = _uniform(A[uniform], c[uniform], G0[uniform], value[uniform], chunk)
        rest = ~uniform
        q[rest], status[rest] = _lcp_path(A[rest], c[rest], G0[rest], theta[rest])

    if is_matrix:
        S = np.einsum("...ij,...j->...i", theta, q) + G0[..., None]
    else:
        # S_i = V - θ q_i exactly as the closed form defines it (a sum would round differently)
        S = V[..., None] - theta * q
    Q = q + S
    with np.errstate(invalid="ignore"):
        # A contributor's consumption from its first-order condition (precision, as in `nash`).
        x = np.where(q > 0, x0 + pm * c * Q, w)
        residual = np.abs(q - np.maximum(0.0, (A - c * S) / (1.0 + c))).max(-1)
    status = np.where(below_subsistence(prefs, x, Q) & (status == STATUS_OK), STATUS_INFEASIBLE, status)
    return SpilloverEquilibrium(
        q=q,
        Q=Q,
        S=S,
        T=np.asarray(q.sum(-1)),
        x=x,
        contributors=q > 0,
        _utility_of=lambda eq: prefs.utility(eq.x, eq.Q),
        residual=np.asarray(residual),
        status=np.asarray(status),
    )


def _flat(A: NDArray, c: NDArray, G0: NDArray, theta: NDArray, n: int) -> tuple[NDArray, ...]:
    """Member arrays as ``(B, n)`` and scenario arrays as ``(B,)``, without copies where possible."""
    return A.reshape(-1, n), c.reshape(-1, n), np.reshape(G0, -1), np.reshape(theta, -1)


def _uniform(A: NDArray, c: NDArray, G0: NDArray, theta: NDArray, chunk: int) -> tuple[NDArray, NDArray]:
    """Closed form for a common spill-in ``theta`` per scenario on flat ``(B, n)`` arrays: ``(q, V)``."""
    eq = nash_linear(A, 0.0, c, 1.0, G0, spillover=theta, chunk=chunk)
    return eq.g, eq.G


def _lcp_path(A: NDArray, c: NDArray, G0: NDArray, theta: NDArray) -> tuple[NDArray, NDArray]:
    """Matrix spill-ins on flat ``(B, n)`` arrays through the batched LCP: ``(q, status)``."""
    n = A.shape[-1]
    # Rows scaled by 1/c (module docstring): symmetric whenever Θ is, so `solve` can certify P.
    M = theta + np.eye(n) * (1.0 + 1.0 / c)[..., None]
    with warnings.catch_warnings():
        # Re-issued below in the caller's terms (the LCP's own message talks about matrices).
        warnings.simplefilter("ignore", NotPMatrixWarning)
        sol = lcp.solve(M, G0[:, None] - A / c)
    z = sol.z.copy()
    status = np.select(
        [sol.status == Status.SUCCESS, sol.status == Status.NOT_UNIQUE],
        [STATUS_OK, STATUS_NOT_UNIQUE],
        STATUS_NOT_CONVERGED,
    )
    unsure = np.flatnonzero(status != STATUS_OK)
    if unsure.size and n <= _ENUMERATE_N:
        # Pivoting is only guaranteed for P-matrices; small games are settled by listing every
        # equilibrium (2**n complementary bases): unique -> certified, several -> flagged.
        found = lcp.enumerate_solutions(M[unsure], G0[unsure, None] - A[unsure] / c[unsure])
        has = found.count >= 1
        missing = has & np.isnan(z[unsure]).any(-1)  # keep a certified pivoting answer
        z[unsure[missing]] = found.z[missing, 0]
        unique = (found.count == 1) & found.complete
        status[unsure] = np.where(unique, STATUS_OK, np.where(has, STATUS_NOT_UNIQUE, STATUS_NOT_CONVERGED))
    if (status != STATUS_OK).any():
        warnings.warn(
            f"{int((status == STATUS_NOT_UNIQUE).sum())} scenario(s) have a spill-in matrix for "
            "which the equilibrium may not be unique (one is reported, status 3) and "
            f"{int((status == STATUS_NOT_CONVERGED).sum())} could not be solved (NaN, status 1)",
            NotPMatrixWarning,
            stacklevel=4,
        )
    return z, status
