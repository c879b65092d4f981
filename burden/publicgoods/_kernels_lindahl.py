r"""Compiled Lindahl kernel for the built-in families (Cobb–Douglas, CES, Stone–Geary).

A Lindahl equilibrium gives member :math:`i` the price :math:`t_i` per unit of the good at which it
demands exactly the common total :math:`G`, with :math:`\sum_i t_i = p` (``docs/publicgoods.md``).

**Homothetic: CES and Cobb–Douglas.** With :math:`u = ((1-a)x^\rho + aG^\rho)^{1/\rho}`,
:math:`\sigma = 1/(1-\rho)`, member :math:`i`'s first-order condition at price :math:`t` is
:math:`t = \frac{a}{1-a}(x/G)^{1/\sigma}`, i.e. :math:`x = k t^\sigma G` with
:math:`k = ((1-a)/a)^\sigma`, and its budget :math:`x + tG = w` gives

.. math:: t_i + k_i t_i^{\sigma_i} = w_i \lambda, \qquad \lambda = 1/G .

The left side rises strictly from 0 to :math:`\infty` in :math:`t`, so each price is a decreasing
function of :math:`G`, and :math:`\sum_i t_i(\lambda) = p` has exactly one root. Cobb–Douglas
(:math:`\sigma = 1`, :math:`k = (1-a)/a`) has :math:`t_i = a_i w_i \lambda`, hence the closed form
:math:`G = \sum_i a_i w_i / p`, :math:`\tau_i = a_i w_i / \sum_j a_j w_j`. Otherwise the kernel runs
Newton's method on the whole system :math:`(t_1, \dots, t_n, \lambda)` at once: with residuals
:math:`r_i = t_i + k_i t_i^{\sigma_i} - w_i\lambda` and slopes
:math:`h'_i = 1 + \sigma_i k_i t_i^{\sigma_i - 1}`, the step is
:math:`\delta\lambda = (p - \sum t + \sum r_i/h'_i) / \sum (w_i/h'_i)`,
:math:`\delta t_i = (w_i \delta\lambda - r_i)/h'_i`, from each member's dominant-term price (see
``_homothetic_row``); a step that would
leave :math:`0 < t_i < w_i\lambda` or :math:`\lambda > 0` is halved back into it (the safeguard).
Consumption comes from the first-order condition, :math:`x_i = k_i t_i^{\sigma_i} G` (not
:math:`w_i - t_i G`, which cancels for members who spend nearly everything on the good).

**Stone–Geary.** The first-order condition :math:`a(x - \bar x) = (1-a) t (G - \bar G)` and the
budget give :math:`t_i = a_i (w_i - \bar x_i)/(G - (1 - a_i)\bar G_i)`, decreasing and convex in
:math:`G` above the largest pole :math:`m = \max_i (1 - a_i)\bar G_i`, so
:math:`F(G) = \sum_i t_i(G) - p` has one root there: Newton's method, each step kept inside
:math:`(m, \infty)` by halving towards the pole, from the upper bound
:math:`m + \sum_i a_i (w_i - \bar x_i)/p`; :math:`x_i = \bar x_i + (1 - a_i) t_i (G - \bar G_i)/a_i`.

**Certificate** (recomputed from the answer): ``price_residual`` :math:`|\sum_i t_i - p|/p`
(:math:`\sum \tau - 1`) and ``member_residual``, the largest relative distance of a member from
its own demand: the budget :math:`|x_i + t_i G - w_i|/w_i` at the consumption its first-order
condition gives (for CES this is the demand equation :math:`|t_i + k_i t_i^{\sigma_i} - w_i/G|`
relative to :math:`w_i/G`), and for Stone–Geary also :math:`|t_i - \mathrm{mrs}_i(x_i, G)|/t_i`.
Both are ``inf`` when any output is not finite; ``feasible`` says every member ends above its
subsistence levels (``x > 0`` for the homothetic families). Each scenario is solved by one
thread, so results are bit-identical for any thread count.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

from burden._numba import KERNEL, PARALLEL_KERNEL
from burden.publicgoods._kernels import kernel_rows, row, run_rows
from burden.publicgoods._linear import CERTIFICATE_RTOL

__all__ = ["LindahlArrays", "lindahl_arrays", "lindahl_kernel"]

_MAX_ITERATIONS = 100
# a Newton step below this relative size ends the iteration (the error left is of its square)
_STEP_RTOL = 2.0**-30
# a demand equation this close (relative) ends the iteration: a few ulps, far below the certificate's
# tolerance
_RESIDUAL_RTOL = 2.0**-48


@njit(**KERNEL, inline="always")
def _homothetic_row(w, a, sigma, logk, p, t, kts, work):
    """Prices ``t`` and ``k t**sigma`` (into ``kts``) of one CES scenario; return ``(lam, it)``.

    ``work`` is ``(2, n)`` scratch.
    """
    n = w.shape[0]
    weighted = 0.0
    for i in range(n):
        weighted += a[i] * w[i]
    lam = p / weighted
    cobb_douglas = True
    for i in range(n):
        t[i] = a[i] * w[i] * lam
        cobb_douglas &= sigma[i] == 1.0
    if cobb_douglas:
        for i in range(n):
            kts[i] = (1.0 - a[i]) * w[i] * lam  # k t = (1-a)/a * a w λ
        return lam, 0
    # Start: each price solves the larger of the two terms of t + k t**sigma = w λ alone (the
    # root lies below it, within a factor 2**max(1, 1/σ)), shrunk by 3/4 towards it; then the
    # prices are rescaled to add up to p, and λ by the same factor to the power of the mean σ
    # (exact when every σ is equal and one term dominates). Against the Cobb–Douglas prices
    # this saves most steps for strong complements (ρ = -3: 6 steps instead of 19).
    total = 0.0
    mean_sigma = 0.0
    for i in range(n):
        R = w[i] * lam
        t[i] = 0.75 * min(R, math.exp((math.log(R) - logk[i]) / sigma[i]))
        total += t[i]
        mean_sigma += sigma[i] / n
    scale = p / total
    for i in range(n):
        t[i] *= scale
    lam *= math.exp(mean_sigma * math.log(scale))
    it = 0
    while it < _MAX_ITERATIONS:
        it += 1
        total = 0.0
        num = 0.0
        den = 0.0
        for i in range(n):
            ti = t[i]
            power = math.exp(logk[i] + sigma[i] * math.log(ti))
            inverse_slope = ti / (ti + sigma[i] * power)
            r = ti + power - w[i] * lam
            work[0, i] = inverse_slope
            work[1, i] = r
            num += r * inverse_slope
            den += w[i] * inverse_slope
            total += ti
        new_lam = lam + (p - total + num) / den
        if not new_lam > 0.0:
            new_lam = 0.5 * lam
        settled = abs(new_lam - lam) <= _STEP_RTOL * lam
        for i in range(n):
            ti = t[i]
            new_t = ti + (w[i] * (new_lam - lam) - work[1, i]) * work[0, i]
            ceiling = w[i] * new_lam
            if not new_t > 0.0:
                new_t = 0.5 * ti
            elif not new_t < ceiling:
                new_t = 0.5 * (ti + ceiling) if ti < ceiling else 0.5 * ceiling
            settled &= abs(new_t - ti) <= _STEP_RTOL * ti
            t[i] = new_t
        lam = new_lam
        if settled:
            # Quadratic convergence: after steps of relative size 2**-30 the error left is
            # usually of the order of their square. Confirm it on the demand equations (whose
            # k t**sigma the outputs need anyway); strongly curved ones take another step.
            worst = 0.0
            for i in range(n):
                power = math.exp(logk[i] + sigma[i] * math.log(t[i]))
                kts[i] = power
                worst = max(worst, abs(t[i] + power - w[i] * lam) / (w[i] * lam))
            if worst <= _RESIDUAL_RTOL:
                return lam, it
    for i in range(n):
        kts[i] = math.exp(logk[i] + sigma[i] * math.log(t[i]))
    return lam, it


@njit(**KERNEL, inline="always")
def _stone_geary_row(w, a, x_min, G_min, p, t):
    """Prices ``t`` of one Stone–Geary scenario; return ``(G, it)`` (NaN ``G`` when infeasible)."""
    n = w.shape[0]
    pole = -np.inf
    budget = 0.0
    for i in range(n):
        pole = max(pole, (1.0 - a[i]) * G_min[i])
        budget += a[i] * (w[i] - x_min[i])
    if not budget > 0.0:
        return np.nan, 0
    G = pole + budget / p  # F(G) <= 0 here: every denominator is at least budget / p
    it = 0
    while it < _MAX_ITERATIONS:
        it += 1
        F = -p
        slope = 0.0
        for i in range(n):
            gap = G - (1.0 - a[i]) * G_min[i]
            ti = a[i] * (w[i] - x_min[i]) / gap
            F += ti
            slope -= ti / gap
        new_G = G - F / slope
        if not new_G > pole:
            new_G = 0.5 * (pole + G)
        done = abs(new_G - G) <= _STEP_RTOL * abs(new_G)
        G = new_G
        if done:
            break
    for i in range(n):
        t[i] = a[i] * (w[i] - x_min[i]) / (G - (1.0 - a[i]) * G_min[i])
    return G, it


@njit(**PARALLEL_KERNEL)
def lindahl_kernel(
    w,
    a,
    sigma,
    logk,
    x_min,
    G_min,
    p,
    stone_geary,
    G,
    tau,
    g,
    x,
    price_res,
    member_res,
    feasible,
    iterations,
    block,
):
    """Lindahl equilibrium of every scenario (row), written into the outputs (module docstring).

    Inputs are C-contiguous: member arrays ``w``, ``a``, ``sigma``, ``logk`` (``σ ln((1-a)/a)``),
    ``x_min``, ``G_min`` of shape ``(1 or rows, n)`` and ``p`` of shape ``(1 or rows,)``;
    ``stone_geary`` selects the family (else CES/Cobb–Douglas, whose ``x_min``/``G_min`` are
    ignored). Outputs ``tau``, ``g``, ``x`` of shape ``(rows, n)``; ``G``, ``price_res``,
    ``member_res`` (float), ``feasible`` (bool) and ``iterations`` (int) of shape ``(rows,)``.
    """
    rows, n = tau.shape
    blocks = (rows + block - 1) // block
    for b in prange(blocks):
        kts = np.empty(n)
        work = np.empty((2, n))
        for r in range(b * block, min(rows, (b + 1) * block)):
            wr = row(w, r)
            ar = row(a, r)
            sr = row(sigma, r)
            xr = row(x_min, r)
            gr = row(G_min, r)
            pr = row(p, r)
            t = tau[r]
            if stone_geary:
                total, it = _stone_geary_row(wr, ar, xr, gr, pr, t)
            else:
                lam, it = _homothetic_row(wr, ar, sr, row(logk, r), pr, t, kts, work)
                total = 1.0 / lam
            # Certificate and outputs: t -> tau = t / p in place.
            price_sum = 0.0
            worst = 0.0
            above = True  # every member above its subsistence levels
            finite = math.isfinite(total) and total > 0.0
            for i in range(n):
                ti = t[i]
                price_sum += ti
                if stone_geary:
                    xi = xr[i] + (1.0 - ar[i]) * ti * (total - gr[i]) / ar[i]
                    mrs = ar[i] * (xi - xr[i]) / ((1.0 - ar[i]) * (total - gr[i]))
                    above = above and xi > xr[i] and total > gr[i]
                else:
                    # x from the first-order condition: the budget below is the demand equation
                    xi = kts[i] * total
                    mrs = ti
                    above = above and xi > 0.0
                gi = ti / pr * total
                miss = max(abs(ti - mrs) / ti, abs(xi + ti * total - wr[i]) / wr[i])
                if not miss <= worst:
                    worst = miss
                finite = finite and math.isfinite(xi) and math.isfinite(gi)
                x[r, i] = xi
                g[r, i] = gi
                t[i] = ti / pr
            res = abs(price_sum - pr) / pr
            if not finite or res != res:
                res = np.inf
            if worst != worst or not finite:
                worst = np.inf
            G[r] = total
            price_res[r] = res
            member_res[r] = worst
            feasible[r] = above
            iterations[r] = it


class LindahlArrays(NamedTuple):
    """Outputs of :func:`lindahl_arrays`; ``batch`` is the scenario shape, ``n`` the members.

    Attributes
    ----------
    G : ndarray, shape ``batch``
        Lindahl provision.
    tau, g, x : ndarray, shape ``batch + (n,)``
        Cost shares ``t / p``, units paid for ``tau G`` and private consumption (from the
        first-order condition).
    price_residual, member_residual : ndarray, shape ``batch``
        The certificate (module docstring); ``inf`` where an output is not finite.
    feasible : ndarray of bool, shape ``batch``
        Every member above its subsistence levels.
    iterations : ndarray of int, shape ``batch``
        Newton steps taken (0: closed form); ``_MAX_ITERATIONS`` means it did not settle.
    """

    G: NDArray
    tau: NDArray
    g: NDArray
    x: NDArray
    price_residual: NDArray
    member_residual: NDArray
    feasible: NDArray
    iterations: NDArray

    def certified(self, rtol: float = CERTIFICATE_RTOL) -> NDArray:
        """Per scenario: both residuals at most ``rtol`` and every member feasible."""
        return np.asarray((self.price_residual <= rtol) & (self.member_residual <= rtol) & self.feasible)


def lindahl_arrays(
    w: NDArray,
    a: ArrayLike,
    p: ArrayLike,
    *,
    rho: ArrayLike = 0.0,
    x_min: ArrayLike | None = None,
    G_min: ArrayLike | None = None,
    chunk: int = 8192,
    workers: int = 1,
) -> LindahlArrays:
    """Lindahl equilibrium of the built-in families from their parameter arrays.

    ``CobbDouglas(a)``: ``a`` (``rho`` 0); ``CES(a, rho)``: ``a``, ``rho``; ``StoneGeary(a, x_min,
    G_min)``: ``a``, ``x_min``, ``G_min`` (given: the Stone–Geary path). ``w`` has shape
    ``batch + (n,)``, the parameters broadcast to it, ``p`` to ``batch``; all already validated.
    ``workers`` (a validated positive count) threads solve blocks of at most ``chunk`` scenarios;
    the answer does not depend on either.

    Examples
    --------
    >>> import numpy as np
    >>> opt = lindahl_arrays(np.array([100.0, 80.0]), 0.5, 1.0)
    >>> opt.G, opt.tau, opt.certified()
    (array(90.), array([0.555556, 0.444444]), array(True))
    """
    batch, n = w.shape[:-1], w.shape[-1]
    stone_geary = x_min is not None or G_min is not None
    a = np.asarray(a, dtype=np.float64)
    sigma = 1.0 / (1.0 - np.asarray(rho, dtype=np.float64))
    with np.errstate(over="ignore"):
        logk = sigma * np.log((1.0 - a) / a)
    inputs = [
        kernel_rows(v, batch, n)
        for v in (w, a, sigma, logk, 0.0 if x_min is None else x_min, 0.0 if G_min is None else G_min)
    ]
    inputs += [kernel_rows(p, batch, None), stone_geary]
    # G, tau, g, x, price_res, member_res, feasible, iterations
    kinds = [(False, float), (True, float), (True, float), (True, float), (False, float), (False, float)]
    kinds += [(False, bool), (False, np.int64)]
    return LindahlArrays(*run_rows(lindahl_kernel, inputs, kinds, batch, n, chunk, workers))
