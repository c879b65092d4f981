r"""Compiled Lindahl kernel for the built-in families (Cobb–Douglas, CES, Stone–Geary).

A Lindahl equilibrium gives member :math:`i` the price :math:`t_i` per unit of what the alliance
buys on top of the exogenous provision :math:`G_0` at which it demands exactly the common total
:math:`G`, with :math:`\sum_i t_i = p` (``docs/publicgoods.md``). Its budget is
:math:`x + t_i (G - G_0) = w_i`.

**Homothetic: CES and Cobb–Douglas.** With :math:`u = ((1-a)x^\rho + aG^\rho)^{1/\rho}`,
:math:`\sigma = 1/(1-\rho)`, member :math:`i`'s first-order condition at price :math:`t` is
:math:`t = \frac{a}{1-a}(x/G)^{1/\sigma}`, i.e. :math:`x = P G` with :math:`P = k t^\sigma`,
:math:`k = ((1-a)/a)^\sigma`, and its budget divided by :math:`G` gives, with
:math:`\lambda = 1/G` and :math:`\mu = 1 - G_0\lambda`,

.. math:: \mu t_i + k_i t_i^{\sigma_i} = w_i \lambda .

The left side rises strictly from 0 to :math:`\infty` in :math:`t`, so each price falls as
:math:`G` rises, and :math:`\sum_i t_i = p` has at most one root above :math:`G_0`. At
:math:`G = G_0` the prices are the willingness to pay :math:`\mathrm{mrs}_i(w_i, G_0) =
(w_i/(k_i G_0))^{1/\sigma_i}`: if they add up to at most :math:`p` the alliance buys nothing
(the corner :math:`G = G_0`, :math:`x = w`, :math:`\tau` the shares of the next unit's price).
Cobb–Douglas without :math:`G_0` (:math:`\sigma = 1`, :math:`k = (1-a)/a`) has the closed form
:math:`G = \sum_i a_i w_i / p`, :math:`\tau_i = a_i w_i / \sum_j a_j w_j`. Otherwise the kernel
runs Newton's method on the whole system :math:`(t_1, \dots, t_n, \lambda)` at once: with
residuals :math:`r_i = \mu t_i + P_i - w_i\lambda`, slopes :math:`h'_i = \mu + \sigma_i P_i/t_i`
and :math:`c_i = w_i + G_0 t_i` (minus the residual's slope in :math:`\lambda`), the step is
:math:`\delta\lambda = (p - \sum t + \sum r_i/h'_i) / \sum (c_i/h'_i)`,
:math:`\delta t_i = (c_i \delta\lambda - r_i)/h'_i`. It starts from :math:`G = G_0 + \sum_i a_i
w_i/p` with each price solving the larger term of its equation alone (see ``_homothetic_row``);
a step that would leave :math:`0 < t_i < w_i\lambda/\mu` or :math:`0 < \lambda < 1/G_0` is halved
back into it (the safeguard), except that a price sent to its ceiling :math:`c = w_i\lambda/\mu`
goes to :math:`c - k_i c^{\sigma_i}/\mu`, a lower bound of its root (and the root to rounding
where :math:`k_i t^{\sigma_i}` is negligible), when that is above :math:`c/2`.

*Fewer transcendental functions.* :math:`P = k t^\sigma` costs an ``exp`` and a ``log``; once a
step changes a price by a relative :math:`\varepsilon` with :math:`(|\sigma| + 5)|\varepsilon| \le
2^{-8}`, :math:`P` and :math:`\ln P` are carried to the new price by the binomial series of
:math:`(1 + \varepsilon)^\sigma` and the series of :math:`\ln(1 + \varepsilon)` to five terms (the
first term left out is below :math:`2^{-48}/720` relatively), so the last steps and the final
check cost arithmetic only. The iteration ends after a step that changes no price, no
:math:`k t^\sigma` and not :math:`\lambda` by more than :math:`2^{-30}` (relatively: quadratic
convergence leaves an error of its square), or, once convergence is quadratic, after the step
whose predicted error :math:`\mathrm{step}^3/\mathrm{previous}^2` is below :math:`2^{-52}`
(one step earlier: four steps for :math:`\rho = -1/2`); either way only if the demand equations
then hold to :math:`2^{-44}` (a safeguarded step converges linearly), else it goes on.
Consumption comes from the first-order condition, :math:`x_i = P_i G` (not
:math:`w_i - t_i (G - G_0)`, which cancels for members who spend nearly everything on the good),
and the utility from the same quantities: :math:`\ln(u/G) = \ln((1-a)(x/G)^\rho + a)/\rho`, where
the first-order condition gives :math:`(1-a)(x/G)^\rho = aP/t`, so far from :math:`\rho = 0`
(:math:`|\rho| \ge 1/2`) :math:`\ln(u/G) = (\ln a + \mathrm{log1p}(P/t))/\rho`, nearer
:math:`\mathrm{log1p}((1-a)\,\mathrm{expm1}(\rho \ln P))/\rho`, and for :math:`|\rho| < 10^{-8}`
its series, as :meth:`burden.CES.utility` (Cobb–Douglas: :math:`\ln G + (1-a)\ln P`).

**Stone–Geary.** The first-order condition :math:`a(x - \bar x) = (1-a) t (G - \bar G)` and the
budget give :math:`t_i = a_i (w_i - \bar x_i)/(G - m_i)` with the pole
:math:`m_i = a_i G_0 + (1 - a_i)\bar G_i`; :math:`F(G) = \sum_i t_i(G) - p` is decreasing and
convex above the largest pole :math:`m`, so it has one root there: Newton's method, each step
kept inside :math:`(m, \infty)` by halving towards the pole, from the upper bound
:math:`m + \sum_i a_i (w_i - \bar x_i)/p`; :math:`x_i = \bar x_i + (1 - a_i) t_i (G - \bar G_i)/a_i`.
A root at or below :math:`G_0 > 0` is the corner :math:`G = G_0`.

**Certificate** (recomputed from the answer): ``price_residual`` :math:`|\sum_i t_i - p|/p`
(:math:`\sum \tau - 1`) and ``member_residual``, the largest relative distance of a member from
its own demand: the budget :math:`|x_i + t_i (G - G_0) - w_i|/w_i` at the consumption its
first-order condition gives (for CES this is the demand equation relative to :math:`w_i/G`), and
for Stone–Geary also :math:`|t_i - \mathrm{mrs}_i(x_i, G)|/t_i` (at a corner :math:`x = w` and the
budget holds exactly). Both are ``inf`` when any output (utilities included) is not finite;
``feasible`` says every member ends above its subsistence levels (``x > 0`` for the homothetic
families) and pays a share ``>= 0``. Each scenario is solved by one thread, so results are
bit-identical for any thread count.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

from burden._numba import KERNEL, PARALLEL_KERNEL
from burden.preferences import _CES_TINY_RHO
from burden.publicgoods._kernels import kernel_rows, row, run_rows
from burden.publicgoods._linear import CERTIFICATE_RTOL

__all__ = ["LindahlArrays", "lindahl_arrays", "lindahl_kernel", "log1p_fast"]

_MAX_ITERATIONS = 100
# fused multiply-adds (more accurate than a product then a sum; no other fast-math licence):
# 4 % of the kernel's time
_CONTRACT = {"contract"}
# a Newton step below this relative size ends the iteration (the error left is of its square)
_STEP_RTOL = 2.0**-30
# ... as does a step below _QUADRATIC whose predicted error step**3 / previous**2 is below _ROUNDING
_QUADRATIC = 2.0**-20
_ROUNDING = 2.0**-52
# ... once the demand equations then hold this closely (relative): a few ulps of rounding and of
# the series updates, far below the certificate's tolerance
_RESIDUAL_RTOL = 2.0**-44
# (|σ| + 5)|ε| up to this: k t**σ follows a relative price change ε by its series
_SERIES = 2.0**-8
# the utility's forms (as burden.CES.utility): its series below _CES_TINY_RHO, log1p/expm1 below this
_NEAR_RHO = 0.5
# utility forms: CES power mean, Cobb–Douglas (1-a) ln x + a ln G, Stone–Geary
_CES, _LOG, _STONE_GEARY = 0, 1, 2


@njit(**KERNEL, inline="always", fastmath=_CONTRACT)
def log1p_fast(z):
    """``log1p(z)``, as ``log(1 + z)`` where ``|z| >= 1/4``: as accurate there, at 2/5 the cost."""
    return math.log(1.0 + z) if abs(z) >= 0.25 else math.log1p(z)


@njit(**KERNEL, inline="always", fastmath=_CONTRACT)
def _power_step(P, log_P, eps, sigma):
    """``P = k t**sigma`` and ``ln P`` after ``t -> t (1 + eps)``, by their series (module docstring)."""
    log1p = eps * (1.0 - eps * (0.5 - eps * (1.0 / 3.0 - eps * (0.25 - eps * 0.2))))
    growth = (sigma - 4.0) * eps / 5.0
    growth = (sigma - 3.0) * eps / 4.0 * (1.0 + growth)
    growth = (sigma - 2.0) * eps / 3.0 * (1.0 + growth)
    growth = (sigma - 1.0) * eps / 2.0 * (1.0 + growth)
    growth = sigma * eps * (1.0 + growth)
    return P + P * growth, log_P + sigma * log1p


@njit(**KERNEL, inline="always", fastmath=_CONTRACT)
def _homothetic_row(w, a, sigma, logk, p, G0, t, P, log_P, work):
    """Prices ``t``, ``P = k t**sigma`` and ``ln P`` of one CES scenario; return ``(lam, it, corner)``.

    ``work`` is ``(3, n)`` scratch. At a corner ``t`` are the next unit's prices (adding up to
    ``p``) and ``P = w / G0``.
    """
    n = w.shape[0]
    if G0 > 0.0:
        # The prices at G = G0 (x = w) are the willingness to pay: buy nothing unless they add up
        # to more than p. In logarithms, scaled by the largest, so that shares of prices far below
        # the floating-point range (a patron dwarfing the allies' wealth) still add up to one.
        top = -np.inf
        for i in range(n):
            P[i] = w[i] / G0
            log_P[i] = math.log(P[i])
            t[i] = (log_P[i] - logk[i]) / sigma[i]  # ln mrs(w, G0)
            top = max(top, t[i])
        willing = 0.0
        for i in range(n):
            t[i] = math.exp(t[i] - top)
            willing += t[i]
        if top + math.log(willing) <= math.log(p):
            for i in range(n):
                t[i] *= p / willing
            return 1.0 / G0, 0, True
    weighted = 0.0
    cobb_douglas = True
    for i in range(n):
        weighted += a[i] * w[i]
        cobb_douglas &= sigma[i] == 1.0
    lam = p / (weighted + p * G0)  # G = G0 + Σ a w / p
    if cobb_douglas and G0 == 0.0:
        for i in range(n):
            t[i] = a[i] * w[i] * lam
            P[i] = (1.0 - a[i]) * w[i] * lam  # k t = (1-a)/a * a w λ
            log_P[i] = math.log(P[i])
        return lam, 0, False
    # Start: each price solves the larger of the two terms of μ t + k t**σ = w λ alone (the
    # root lies below it, within a factor 2**max(1, 1/σ)), shrunk by 3/4 towards it; then the
    # prices are rescaled to add up to p, and λ by the same factor to the power of the mean σ
    # (exact when every σ is equal, G0 = 0 and one term dominates). Against the Cobb–Douglas
    # prices this saves most steps for strong complements (ρ = -3: 6 steps instead of 19).
    # One exp per member: where the price term dominates t = 0.75 R/μ, else k t**σ = R.
    mu = 1.0 - G0 * lam
    log_mu = math.log(mu)
    total = 0.0
    mean_sigma = 0.0
    for i in range(n):
        R = w[i] * lam
        log_R = math.log(R)
        log_t = (log_R - logk[i]) / sigma[i]
        if log_R - log_mu <= log_t:  # the price term dominates
            t[i] = 0.75 * R / mu
            log_P[i] = logk[i] + sigma[i] * (log_R - log_mu)  # k (R/μ)**σ: scaled below
        else:
            t[i] = 0.75 * math.exp(log_t)
            log_P[i] = np.nan  # k t**σ = R: scaled below
        total += t[i]
        mean_sigma += sigma[i] / n
    scale = p / total
    log_scale = math.log(0.75 * scale)
    last_sigma = np.nan
    factor = 1.0
    for i in range(n):
        t[i] *= scale
        if log_P[i] == log_P[i]:
            log_P[i] += sigma[i] * log_scale
            P[i] = math.exp(log_P[i])
        else:
            if sigma[i] != last_sigma:  # (0.75 scale)**σ, once per distinct σ
                last_sigma = sigma[i]
                factor = math.exp(sigma[i] * log_scale)
            P[i] = w[i] * lam * factor
            log_P[i] = math.log(w[i] * lam) + sigma[i] * log_scale
    new_lam = lam * math.exp(mean_sigma * math.log(scale))
    if G0 > 0.0 and not new_lam * G0 < 1.0:
        new_lam = 0.5 * (lam + 1.0 / G0)
    lam = new_lam
    previous = 0.0  # the last step's size (none yet)
    it = 0
    while it < _MAX_ITERATIONS:
        mu = 1.0 - G0 * lam
        total = 0.0
        num = 0.0
        den = 0.0
        for i in range(n):
            ti = t[i]
            inverse_t = 1.0 / ti
            inverse_slope = 1.0 / (mu + sigma[i] * P[i] * inverse_t)
            r = mu * ti + P[i] - w[i] * lam
            work[0, i] = inverse_slope
            work[1, i] = r
            work[2, i] = inverse_t
            num += r * inverse_slope
            den += (w[i] + G0 * ti) * inverse_slope
            total += ti
        it += 1
        new_lam = lam + (p - total + num) / den
        if not new_lam > 0.0:
            new_lam = 0.5 * lam
        elif G0 > 0.0 and not new_lam * G0 < 1.0:
            new_lam = 0.5 * (lam + 1.0 / G0)
        new_mu = 1.0 - G0 * new_lam
        lam_over_mu = new_lam / new_mu
        step = abs(new_lam - lam) / lam
        for i in range(n):
            ti = t[i]
            new_t = ti + ((w[i] + G0 * ti) * (new_lam - lam) - work[1, i]) * work[0, i]
            ceiling = w[i] * lam_over_mu
            if not new_t > 0.0:
                new_t = 0.5 * ti
            elif not new_t < ceiling:
                # The root lies below the ceiling w λ/μ by k t**σ/μ <= k ceiling**σ/μ, so
                # ceiling - k ceiling**σ/μ is a lower bound of it, and the root itself to
                # rounding where k t**σ is negligible (strong substitutes: σ = 10 took 100
                # halvings towards the ceiling, now one step).
                below = ceiling - math.exp(logk[i] + sigma[i] * math.log(ceiling)) / new_mu
                if below > 0.5 * ceiling:
                    new_t = below
                else:
                    new_t = 0.5 * (ti + ceiling) if ti < ceiling else 0.5 * ceiling
            eps = (new_t - ti) * work[2, i]
            step = max(step, abs(eps) * max(1.0, abs(sigma[i])))  # t and k t**σ
            if abs(eps) * (abs(sigma[i]) + 5.0) <= _SERIES:
                P[i], log_P[i] = _power_step(P[i], log_P[i], eps, sigma[i])
            else:
                log_P[i] = logk[i] + sigma[i] * math.log(new_t)
                P[i] = math.exp(log_P[i])
            t[i] = new_t
        lam = new_lam
        # Converged: a step this small leaves an error of its square; once convergence is
        # quadratic (error ≈ C step², C ≈ step / previous²) the error left, step³/previous², is
        # below rounding one step earlier. A safeguarded step (a price held below its ceiling
        # when k t**σ is below rounding) converges only linearly: the demand equations confirm
        # it (arithmetic only), else the iteration goes on.
        if step <= _STEP_RTOL or (step <= _QUADRATIC and step**3 <= _ROUNDING * previous**2):
            mu = 1.0 - G0 * lam
            worst = 0.0
            for i in range(n):
                R = w[i] * lam
                worst = max(worst, abs(mu * t[i] + P[i] - R) - _RESIDUAL_RTOL * R)
            if worst <= 0.0:
                return lam, it, False
        previous = step
    return lam, it, False


@njit(**KERNEL, inline="always", fastmath=_CONTRACT)
def _stone_geary_row(w, a, x_min, G_min, p, G0, t):
    """Prices ``t`` of one Stone–Geary scenario; return ``(G, it, corner)`` (NaN ``G``: infeasible)."""
    n = w.shape[0]
    pole = -np.inf
    budget = 0.0
    for i in range(n):
        pole = max(pole, a[i] * G0 + (1.0 - a[i]) * G_min[i])
        budget += a[i] * (w[i] - x_min[i])
    if not budget > 0.0:
        return np.nan, 0, False
    G = pole + budget / p  # F(G) <= 0 here: every denominator is at least budget / p
    it = 0
    while it < _MAX_ITERATIONS:
        it += 1
        F = -p
        slope = 0.0
        for i in range(n):
            gap = G - a[i] * G0 - (1.0 - a[i]) * G_min[i]
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
    corner = G0 > 0.0 and G <= G0
    if corner:  # the willingness to pay at G0 is at most p: the next unit's shares
        G = G0
    total = 0.0
    for i in range(n):
        t[i] = a[i] * (w[i] - x_min[i]) / (G - a[i] * G0 - (1.0 - a[i]) * G_min[i])
        total += t[i]
    if corner:
        for i in range(n):
            t[i] *= p / total
    return G, it, corner


@njit(**KERNEL, inline="always", fastmath=_CONTRACT)
def _utility(family, xi, G, log_G, ai, loga, rho, ti, P, log_P, x_min, G_min, corner):
    """One member's utility at ``(x, G)`` (module docstring); ``P = x/G`` for the homothetic families."""
    if family == _STONE_GEARY:
        if xi > x_min and G > G_min:
            return (1.0 - ai) * math.log(xi - x_min) + ai * math.log(G - G_min)
        return -np.inf
    if family == _LOG:
        return log_G + (1.0 - ai) * log_P
    if abs(rho) < _CES_TINY_RHO:
        ratio = (1.0 - ai) * log_P + 0.5 * rho * ai * (1.0 - ai) * log_P * log_P
    elif abs(rho) < _NEAR_RHO:
        ratio = math.log1p((1.0 - ai) * math.expm1(rho * log_P)) / rho
    else:
        # (1-a)/a (x/G)**ρ, which the first-order condition makes P/t (not at a corner)
        v = math.exp(math.log1p(-ai) - loga + rho * log_P) if corner else P / ti
        ratio = (loga + log1p_fast(v)) / rho
    return G * math.exp(ratio)


@njit(**PARALLEL_KERNEL, fastmath=_CONTRACT)
def lindahl_kernel(
    w,
    a,
    loga,
    sigma,
    logk,
    rho,
    x_min,
    G_min,
    p,
    G0,
    family,
    G,
    tau,
    g,
    x,
    utility,
    price_res,
    member_res,
    feasible,
    iterations,
    block,
):
    """Lindahl equilibrium of every scenario (row), written into the outputs (module docstring).

    Inputs are C-contiguous: member arrays ``w``, ``a``, ``loga`` (``ln a``), ``sigma``, ``logk``
    (``σ ln((1-a)/a)``), ``rho``, ``x_min``, ``G_min`` of shape ``(1 or rows, n)``; ``p``, ``G0``
    of shape ``(1 or rows,)``; ``family`` one of ``_CES``, ``_LOG`` (Cobb–Douglas, both solved as
    CES) and ``_STONE_GEARY`` (the others' parameters are ignored). Outputs ``tau``, ``g``, ``x``,
    ``utility`` of shape ``(rows, n)``; ``G``, ``price_res``, ``member_res`` (float),
    ``feasible`` (bool) and ``iterations`` (int) of shape ``(rows,)``.
    """
    rows, n = tau.shape
    blocks = (rows + block - 1) // block
    stone_geary = family == _STONE_GEARY
    for b in prange(blocks):
        P = np.empty(n)
        log_P = np.empty(n)
        work = np.empty((3, n))
        for r in range(b * block, min(rows, (b + 1) * block)):
            wr = row(w, r)
            ar = row(a, r)
            lr = row(loga, r)
            rr = row(rho, r)
            xr = row(x_min, r)
            gr = row(G_min, r)
            pr = row(p, r)
            g0 = row(G0, r)
            t = tau[r]
            if stone_geary:
                total, it, corner = _stone_geary_row(wr, ar, xr, gr, pr, g0, t)
            else:
                lam, it, corner = _homothetic_row(
                    wr, ar, row(sigma, r), row(logk, r), pr, g0, t, P, log_P, work
                )
                total = g0 if corner else 1.0 / lam
            # Certificate and outputs: t -> tau = t / p in place.
            bought = total - g0
            log_G = math.log(total)
            price_sum = 0.0
            worst = 0.0
            above = True  # every member above its subsistence levels, paying a share >= 0
            finite = math.isfinite(total) and total > 0.0
            for i in range(n):
                ti = t[i]
                price_sum += ti
                if corner:
                    xi = wr[i]  # x + t (G - G0) = w exactly
                    miss = 0.0
                elif stone_geary:
                    xi = xr[i] + (1.0 - ar[i]) * ti * (total - gr[i]) / ar[i]
                    mrs = ar[i] * (xi - xr[i]) / ((1.0 - ar[i]) * (total - gr[i]))
                    miss = max(abs(ti - mrs) / ti, abs(xi + ti * bought - wr[i]) / wr[i])
                else:
                    # x from the first-order condition: the budget below is the demand equation
                    xi = P[i] * total
                    miss = abs(xi + ti * bought - wr[i]) / wr[i]
                gi = ti / pr * bought
                if stone_geary:
                    above = above and xi > xr[i] and total > gr[i]
                else:
                    above = above and xi > 0.0
                above = above and gi >= 0.0
                ui = _utility(
                    family, xi, total, log_G, ar[i], lr[i], rr[i], ti, P[i], log_P[i], xr[i], gr[i], corner
                )
                if not miss <= worst:
                    worst = miss
                finite = finite and math.isfinite(xi) and math.isfinite(gi) and math.isfinite(ui)
                x[r, i] = xi
                g[r, i] = gi
                utility[r, i] = ui
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
    tau, g, x, utility : ndarray, shape ``batch + (n,)``
        Cost shares ``t / p``, units paid for ``tau (G - G0)``, private consumption (from the
        first-order condition) and utilities.
    price_residual, member_residual : ndarray, shape ``batch``
        The certificate (module docstring); ``inf`` where an output is not finite.
    feasible : ndarray of bool, shape ``batch``
        Every member above its subsistence levels, paying a share ``>= 0``.
    iterations : ndarray of int, shape ``batch``
        Newton steps taken (0: closed form or corner); ``_MAX_ITERATIONS`` means it did not settle.
    """

    G: NDArray
    tau: NDArray
    g: NDArray
    x: NDArray
    utility: NDArray
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
    G0: ArrayLike = 0.0,
    log_utility: bool = False,
    chunk: int = 8192,
    workers: int = 1,
) -> LindahlArrays:
    """Lindahl equilibrium of the built-in families from their parameter arrays.

    ``CobbDouglas(a)``: ``a``, ``log_utility=True`` (its utility ``(1-a) ln x + a ln G``);
    ``CES(a, rho)``: ``a``, ``rho``; ``StoneGeary(a, x_min, G_min)``: ``a``, ``x_min``, ``G_min``
    (given: the Stone–Geary path). ``w`` has shape ``batch + (n,)``, the parameters broadcast to
    it, ``p`` and the exogenous provision ``G0`` to ``batch``; all already validated. ``workers``
    (a validated positive count) threads solve blocks of at most ``chunk`` scenarios; the answer
    does not depend on either.

    Examples
    --------
    >>> import numpy as np
    >>> opt = lindahl_arrays(np.array([100.0, 80.0]), 0.5, 1.0)
    >>> opt.G, opt.tau, opt.certified()
    (array(90.), array([0.555556, 0.444444]), array(True))
    >>> lindahl_arrays(np.array([100.0, 80.0]), 0.5, 1.0, G0=30.0).G  # docs/publicgoods.md
    array(105.)
    """
    batch, n = w.shape[:-1], w.shape[-1]
    stone_geary = x_min is not None or G_min is not None
    family = _STONE_GEARY if stone_geary else _LOG if log_utility else _CES
    a = np.asarray(a, dtype=np.float64)
    rho = np.asarray(rho, dtype=np.float64)
    sigma = 1.0 / (1.0 - rho)
    with np.errstate(over="ignore"):
        logk = sigma * np.log((1.0 - a) / a)
    members = (
        w,
        a,
        np.log(a),
        sigma,
        logk,
        rho,
        0.0 if x_min is None else x_min,
        0.0 if G_min is None else G_min,
    )
    inputs = [kernel_rows(v, batch, n) for v in members]
    inputs += [kernel_rows(p, batch, None), kernel_rows(G0, batch, None), family]
    # G, tau, g, x, utility, price_res, member_res, feasible, iterations
    kinds = [(False, float), (True, float), (True, float), (True, float), (True, float), (False, float)]
    kinds += [(False, float), (False, bool), (False, np.int64)]
    return LindahlArrays(*run_rows(lindahl_kernel, inputs, kinds, batch, n, chunk, workers))
