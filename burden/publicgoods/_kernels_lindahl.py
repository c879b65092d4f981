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
:math:`\delta t_i = (c_i \delta\lambda - r_i)/h'_i`. It starts close to the root (see
``_homothetic_lanes``): :math:`G = G_0 + \sum_i a_i w_i/p`; each price from one Newton step in
:math:`\ln t` on :math:`\ln(\mu t + k t^\sigma) = \ln(w\lambda)` from the smaller of its two
asymptotes (the price that makes one term alone equal :math:`w\lambda`); then the good bought,
:math:`B = G - G_0`, from one Newton step on :math:`\ln \sum_i t_i = \ln p` in :math:`\ln B`,
each price moved along with it by its elasticity :math:`d\ln t_i/d\ln B`. Near a corner (the
willingness to pay at :math:`G_0` above :math:`p` by at most 30 %) the prices hardly depend on
:math:`B`, and the start is instead where the tangent of the prices in :math:`B` at the corner
makes them add up to :math:`p` (``_near_corner``). For :math:`\rho = -1/2` this leaves prices
within about :math:`4\cdot 10^{-3}` and :math:`\lambda` within :math:`2\cdot 10^{-3}` of the
root, and the joint Newton iteration takes three steps (from the Cobb–Douglas prices it took
four). A step that would leave :math:`0 < t_i < w_i\lambda/\mu` or :math:`0 < \lambda < 1/G_0`
is halved back into it (the safeguard), except that a price sent to its ceiling
:math:`c = w_i\lambda/\mu` goes to :math:`c - k_i c^{\sigma_i}/\mu`, a lower bound of its root
(and the root to rounding where :math:`k_i t^{\sigma_i}` is negligible), when that is above
:math:`c/2`.

*Fewer transcendental functions.* :math:`P = k t^\sigma` costs an ``exp`` and a ``log``; once a
step changes a price by a relative :math:`\varepsilon` with :math:`(|\sigma| + 8)|\varepsilon| \le
2^{-4}`, :math:`P` is carried to the new price by the binomial series of
:math:`(1 + \varepsilon)^\sigma` to nine terms (the first term left out is below
:math:`2^{-40}/10! < 2^{-61}` relatively), so a step that moves the prices little costs
arithmetic only (for :math:`\rho = -1/2`, every step after the start); a larger one uses
:mod:`burden._vecmath`'s ``exp`` and ``log``. :math:`\ln P = \ln k + \sigma \ln t` is computed
once from the final prices, and only where the utility needs it (Cobb–Douglas and
:math:`|\rho| < 1/2`). The iteration ends after a step that changes no price, no
:math:`k t^\sigma` and not :math:`\lambda` by more than :math:`2^{-30}` (relatively: quadratic
convergence leaves an error of its square), or, once convergence is quadratic, after the step
whose predicted error :math:`\mathrm{step}^3/\mathrm{previous}^2` is below :math:`2^{-52}`
(one step earlier: three steps for :math:`\rho = -1/2`); either way only if the demand equations
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
``feasible`` says every member ends above its subsistence levels and pays a share ``>= 0``. The
homothetic families always have an interior answer, so there only a negative ``x`` fails; an
``x`` of 0 is one below the floating-point range (CES with :math:`\sigma` in the thousands:
:math:`x = k t^\sigma G` underflows), and the budget still holds, as the root finder accepts.

**Vector lanes** (``docs/kernels.md``). The homothetic families are solved in blocks of
``LANES`` scenarios (``TAIL_LANES`` for the last few rows), one per lane of scratch arrays
``M[plane, member, lane]`` and ``V[row, lane]``, so that every inner loop runs over lanes and
the compiler maps it onto vector registers. Three habits keep those loops vectorised: their
bound is read at run time (a constant bound gets the loop unrolled instead); a select picks
between values already loaded (a load inside a branch cannot be vectorised); and a loop either
stores per member or adds up per lane, never both (the two together ran at a quarter of the
speed). A lane whose scenario has converged keeps its values while the others go on, so every
scenario's answer is the same bits whichever scenarios share its block, and for any thread
count. Each chunk solves its corners last (``_solving_order``), so that they fill blocks of
their own, which skip the start and the iteration. Stone–Geary is solved one scenario at a
time.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit
from numpy.typing import ArrayLike, NDArray

import burden._vecmath as vm
from burden._numba import KERNEL
from burden.preferences import _CES_TINY_RHO
from burden.publicgoods._kernels import kernel_rows, row, run_rows
from burden.publicgoods._linear import CERTIFICATE_RTOL

__all__ = ["LindahlArrays", "lindahl_arrays", "lindahl_kernel"]

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
# a lane whose willingness to pay at G0 exceeds p by at most this fraction starts from the
# corner's side (_near_corner): 0.03 and 0.1 left some lanes 4-8 Newton steps, 0.3 at most 5
_NEAR_CORNER = 0.3
# (|σ| + _SERIES_DEGREE - 1)|ε| up to this: k t**σ follows a relative price change ε by its series
# to this degree (the whole first step from the start, for moderate σ)
_SERIES = 2.0**-4
_SERIES_DEGREE = 9
# the utility's forms (as burden.CES.utility): its series below _CES_TINY_RHO, log1p/expm1 below this
_NEAR_RHO = 0.5
# utility forms: CES power mean, Cobb–Douglas (1-a) ln x + a ln G, Stone–Geary
_CES, _LOG, _STONE_GEARY = 0, 1, 2


@njit(**KERNEL, inline="always", fastmath=_CONTRACT)
def _power_step(P, eps, sigma):
    """``P = k t**sigma`` after ``t -> t (1 + eps)``, by its series (module docstring)."""
    growth = 0.0
    for j in range(_SERIES_DEGREE, 0, -1):  # Horner: unrolled, and 1 / j folded to a constant
        growth = (sigma - (j - 1.0)) * eps * (1.0 / j) * (1.0 + growth)
    return P + P * growth


# Scenarios solved side by side, one per vector lane (module docstring). Each inner loop pays
# overlap checks and loop set-up once per member, so more lanes amortise them better, as long as
# the lanes converge together (the start sees to that: 96 beat 32, 64 and 128) and the scratch
# stays in the core's cache. Fewer than LANES rows left take blocks of TAIL_LANES, so that a
# small batch does not pay for 96; both are multiples of the vector loops' 32 scenarios per
# iteration, so every lane runs the same instructions and its bits do not depend on the block.
LANES = 96
TAIL_LANES = 32
# per-member planes of the lane scratch ``M[plane, i, lane]``: inputs, then the iterates, then work
_W, _A, _LOGA, _LOG1M_A, _SIGMA, _LOGK, _RHO = 0, 1, 2, 3, 4, 5, 6
_T, _P, _LOG_P = 7, 8, 9
_INV_SLOPE, _RESIDUAL, _INV_T, _CORNER_T = 10, 11, 12, 13
_MEMBER_PLANES = 14
# per-lane rows of ``V[row, lane]``
_PRICE, _G0, _LAM, _MU, _NUM, _DEN, _TOTAL, _NEW_LAM, _LAM_OVER_MU, _STEP, _PREVIOUS = range(11)
_TOP, _WILLING, _ITERATIONS, _ACTIVE, _CORNER, _CLOSED, _CANDIDATE, _WORST = range(11, 19)
_LOG_MU, _G, _LOG_G, _BOUGHT, _PRICE_SUM, _ABOVE, _FINITE, _START_LAM, _SHIFT = range(19, 28)
_LANE_ROWS = 28


@njit(**KERNEL, fastmath=_CONTRACT)
def _homothetic_lanes(M, V, n):
    """Prices ``t`` (``M[_T]``) and ``P = k t**sigma`` (``M[_P]``) of a block of CES scenarios.

    ``ln P`` (``M[_LOG_P]``) is set only in the lanes of a closed form or a corner
    (``_log_powers`` gives the others' where the utility needs it). Lane ``b`` holds one
    scenario: its members' parameters in ``M[:_T, :n, b]``, its price and ``G0`` in
    ``V[_PRICE, b]`` and ``V[_G0, b]``. Sets ``V[_LAM]`` (``1/G``), ``V[_ITERATIONS]`` and
    ``V[_CORNER]`` (at a corner ``t`` are the next unit's prices and ``P = w / G0``). A lane
    stops changing once it has converged, so its answer does not depend on the other lanes.
    """
    lanes = V.shape[1]  # a run-time bound (module docstring)
    W, K, S = M[_W], M[_LOGK], M[_SIGMA]
    t, P = M[_T], M[_P]
    log_t = M[_LOG_P]  # the start's ln t: the plane of ln P is free until the utilities
    price, G0, lam, mu, active = V[_PRICE], V[_G0], V[_LAM], V[_MU], V[_ACTIVE]
    # Start (module docstring): G = G0 + Σ a w / p. With R = w λ/μ and k' = k/μ each price
    # solves t + k' t**σ = R; in u = ln t, from u0 the smaller of the two asymptotes ln R and
    # (ln R - ln k')/σ (one term alone equal to R, the other then d R with d <= 1), one Newton
    # step u = u0 - log1p(d) e, with e = d u/d ln R at u0. Then the good bought, B = G - G0 =
    # μ/λ, by one Newton step on ln Σ t = ln p in ln B, each u moved by its elasticity
    # d ln t/d ln B = -μ e (1 + G0 t/w) times the step (in ln B rather than ln λ, as λ hardly
    # moves near a corner while B spans orders of magnitude; the same step when G0 = 0); near a
    # corner the tangent from it instead (_near_corner).
    # Against the Cobb–Douglas prices this saves a step for ρ = -1/2 (three instead of four)
    # and most steps for strong complements. (Three loops, not one or four: the fastest split
    # measured.)
    elasticity = M[_INV_SLOPE]
    for b in range(lanes):
        V[_NUM, b] = 0.0  # Σ a w
        V[_CLOSED, b] = 1.0  # Cobb–Douglas without G0: the closed form
    for i in range(n):
        for b in range(lanes):
            V[_NUM, b] += M[_A, i, b] * W[i, b]
            V[_CLOSED, b] *= S[i, b] == 1.0
    for b in range(lanes):
        lam[b] = price[b] / (V[_NUM, b] + price[b] * G0[b])
        V[_START_LAM, b] = lam[b]  # the answer of the closed form
        mu[b] = 1.0 - G0[b] * lam[b]
        V[_CLOSED, b] *= G0[b] == 0.0
        V[_LOG_MU, b] = math.log(mu[b])
        V[_TOTAL, b] = 0.0
        V[_DEN, b] = 0.0  # Σ t d ln t/d ln B
    _corners(M, V, n)
    closed = True
    for b in range(lanes):
        closed &= (V[_CLOSED, b] != 0.0) | (V[_CORNER, b] != 0.0)
    if closed:  # a closed form or a corner in every lane: no start, no iteration
        for b in range(lanes):
            active[b] = 0.0
            V[_ITERATIONS, b] = 0.0
        _closed_forms(M, V, n)
        return
    for i in range(n):
        for b in range(lanes):
            s, log_mu = S[i, b], V[_LOG_MU, b]
            log_R = vm.log(W[i, b] * lam[b]) - log_mu
            log_k = K[i, b] - log_mu
            power_root = (log_R - log_k) / s
            price_term = log_R <= power_root  # the price term alone reaches R first
            log_d_price = log_k + (s - 1.0) * log_R
            log_d_power = power_root - log_R
            log_t[i, b] = log_R if price_term else power_root  # u0, for now
            elasticity[i, b] = log_d_price if price_term else -log_d_power  # ln d, signed by the term
    for i in range(n):
        for b in range(lanes):
            s, signed = S[i, b], elasticity[i, b]
            d = vm.exp(-abs(signed))
            e_price = (1.0 + d) / (1.0 + s * d)
            e_power = (1.0 + d) / (d + s)
            e = e_price if signed <= 0.0 else e_power
            log_t[i, b] -= vm.log1p(d) * e  # u
            t[i, b] = vm.exp(log_t[i, b])
            elasticity[i, b] = -mu[b] * e * (1.0 + G0[b] * t[i, b] / W[i, b])  # d ln t/d ln B
    for i in range(n):
        for b in range(lanes):
            V[_TOTAL, b] += t[i, b]
            V[_DEN, b] += t[i, b] * elasticity[i, b]
    for b in range(lanes):
        shift = (math.log(price[b]) - math.log(V[_TOTAL, b])) * V[_TOTAL, b] / V[_DEN, b]  # of ln B
        bought = V[_NUM, b] / price[b] * math.exp(shift)
        new_lam = 1.0 / (G0[b] + bought)
        if not (0.0 < bought < np.inf and new_lam > 0.0):  # beyond the floating-point range
            new_lam, shift = lam[b], 0.0  # Newton from the Cobb–Douglas total
        V[_SHIFT, b] = shift
        lam[b] = new_lam
    _near_corner(M, V, n)
    for i in range(n):
        for b in range(lanes):
            u = log_t[i, b] + elasticity[i, b] * V[_SHIFT, b]
            t[i, b] = vm.exp(u)
            P[i, b] = vm.exp(K[i, b] + S[i, b] * u)
    for b in range(lanes):
        active[b] = not (V[_CORNER, b] or V[_CLOSED, b])
        V[_PREVIOUS, b] = 0.0  # the last step's size (none yet)
        V[_ITERATIONS, b] = 0.0
    for _ in range(_MAX_ITERATIONS):
        running = False
        for b in range(lanes):
            running |= active[b] != 0.0
        if not running:
            break
        _newton_step(M, V, n)
        _converged(M, V, n)
    _closed_forms(M, V, n)


@njit(**KERNEL, inline="always", fastmath=_CONTRACT)
def _log_willingness(w, G0, log_k, sigma):
    """``ln mrs(w, G0) = (ln(w/G0) - ln k)/σ``: a member's willingness to pay at ``G0``."""
    return (vm.log(w / G0) - log_k) / sigma


@njit(**KERNEL, inline="always")
def _log_excess(top, willing, price):
    """``ln(S0/p)`` of willingness to pay ``S0 = e**top * willing`` (summed scaled by its largest
    term, ``e**top``): at most 0 at a corner."""
    return top + math.log(willing) - math.log(price)


@njit(**KERNEL, fastmath=_CONTRACT)
def _corners(M, V, n):
    """``V[_CORNER]``: the lanes whose willingness to pay at ``G0`` adds up to at most ``p``.

    In logarithms, scaled by the largest, so that shares of prices far below the floating-point
    range (a patron dwarfing the allies' wealth) still add up to one; the next unit's prices go
    to ``M[_CORNER_T]``.
    """
    lanes = V.shape[1]  # a run-time bound (module docstring)
    G0 = V[_G0]
    some = False
    for b in range(lanes):
        V[_CORNER, b] = 0.0
        some |= G0[b] > 0.0
    if not some:
        return
    mrs = M[_CORNER_T]
    for b in range(lanes):
        V[_TOP, b] = -np.inf
        V[_WILLING, b] = 0.0
    for i in range(n):
        for b in range(lanes):
            g0 = G0[b]
            at = g0 if g0 > 0.0 else 1.0
            mrs[i, b] = _log_willingness(M[_W, i, b], at, M[_LOGK, i, b], M[_SIGMA, i, b])
    for i in range(n):
        for b in range(lanes):
            top, log_mrs = V[_TOP, b], mrs[i, b]
            V[_TOP, b] = max(top, log_mrs)
    for i in range(n):
        for b in range(lanes):
            mrs[i, b] = vm.exp(mrs[i, b] - V[_TOP, b])
    for i in range(n):
        for b in range(lanes):
            V[_WILLING, b] += mrs[i, b]
    for b in range(lanes):
        V[_CORNER, b] = G0[b] > 0.0 and _log_excess(V[_TOP, b], V[_WILLING, b], V[_PRICE, b]) <= 0.0
    for i in range(n):
        for b in range(lanes):
            mrs[i, b] *= V[_PRICE, b] / V[_WILLING, b]


@njit(**KERNEL, fastmath=_CONTRACT)
def _near_corner(M, V, n):
    """Start the lanes that buy little on top of ``G0`` from the corner's side.

    Near a corner the prices hardly depend on the good bought, ``B = G - G0``: they are close to
    the willingness to pay at ``G0``, ``t0 = mrs(w, G0)``, whose sum ``S0`` exceeds ``p`` by
    little. Where ``S0 <= (1 + _NEAR_CORNER) p``, the lane starts where the tangent
    ``t0 + t0' B`` (``t0' = -t0 (t0 + w/G0)/(σ w)``, each price's fall capped at a half) makes
    the prices add up to ``p`` (sets ``ln t`` in ``M[_LOG_P]``, ``λ`` and a zero shift). The
    step in ``ln B`` from the Cobb–Douglas total lands far above such a ``B``, with prices that
    follow it; Newton's method then crept down by halving (up to nine steps instead of two).
    """
    lanes = V.shape[1]  # a run-time bound (module docstring)
    G0, corner, near = V[_G0], V[_CORNER], V[_CANDIDATE]
    some = False
    for b in range(lanes):
        some |= (G0[b] > 0.0) & (corner[b] == 0.0)
    if not some:
        return
    ratio, slope = V[_TOTAL], V[_NUM]  # S0 / p, and -Σ t0'
    for b in range(lanes):
        ratio[b] = math.exp(_log_excess(V[_TOP, b], V[_WILLING, b], V[_PRICE, b]))
        slope[b] = 0.0
    for i in range(n):
        for b in range(lanes):
            t0, wi = M[_CORNER_T, i, b] * ratio[b], M[_W, i, b]
            slope[b] += t0 * (t0 / wi + 1.0 / G0[b]) / M[_SIGMA, i, b]
    some = False
    for b in range(lanes):
        bought = V[_PRICE, b] * (ratio[b] - 1.0) / slope[b]
        near[b] = (G0[b] > 0.0) & (corner[b] == 0.0) & (ratio[b] <= 1.0 + _NEAR_CORNER) & (bought > 0.0)
        some |= near[b] != 0.0
        V[_BOUGHT, b] = bought
        if near[b] != 0.0:
            V[_LAM, b] = 1.0 / (G0[b] + bought)
            V[_SHIFT, b] = 0.0
    if not some:
        return
    log_t = M[_LOG_P]
    for i in range(n):
        for b in range(lanes):
            t0, wi, kept = M[_CORNER_T, i, b] * ratio[b], M[_W, i, b], log_t[i, b]
            fall = (t0 / wi + 1.0 / G0[b]) / M[_SIGMA, i, b] * V[_BOUGHT, b]  # -t0' B / t0
            tangent = vm.log(t0 * (1.0 - min(fall, 0.5)))
            log_t[i, b] = tangent if near[b] != 0.0 else kept


@njit(**KERNEL, fastmath=_CONTRACT)
def _newton_step(M, V, n):
    """One Newton step of every active lane on ``(t, λ)`` (module docstring), with its safeguards."""
    lanes = V.shape[1]  # a run-time bound (module docstring)
    W, K, S = M[_W], M[_LOGK], M[_SIGMA]
    t, P = M[_T], M[_P]
    inverse_slope, residual, inverse_t = M[_INV_SLOPE], M[_RESIDUAL], M[_INV_T]
    G0, lam, mu, active = V[_G0], V[_LAM], V[_MU], V[_ACTIVE]
    for b in range(lanes):
        mu[b] = 1.0 - G0[b] * lam[b]
        V[_NUM, b] = 0.0
        V[_DEN, b] = 0.0
        V[_TOTAL, b] = 0.0
    for i in range(n):
        for b in range(lanes):
            ti, Pi, m = t[i, b], P[i, b], mu[b]
            it = 1.0 / ti
            inverse_t[i, b] = it
            inverse_slope[i, b] = 1.0 / (m + S[i, b] * Pi * it)
            residual[i, b] = m * ti + Pi - W[i, b] * lam[b]
    num, den, total = V[_NUM], V[_DEN], V[_TOTAL]
    for i in range(n):
        for b in range(lanes):
            ti, slope = t[i, b], inverse_slope[i, b]
            num[b] += residual[i, b] * slope
            den[b] += (W[i, b] + G0[b] * ti) * slope
            total[b] += ti
    for b in range(lanes):
        V[_ITERATIONS, b] += active[b]
        new_lam = lam[b] + (V[_PRICE, b] - V[_TOTAL, b] + V[_NUM, b]) / V[_DEN, b]
        if not new_lam > 0.0:
            new_lam = 0.5 * lam[b]
        elif G0[b] > 0.0 and not new_lam * G0[b] < 1.0:
            new_lam = 0.5 * (lam[b] + 1.0 / G0[b])
        V[_NEW_LAM, b] = new_lam
        V[_LAM_OVER_MU, b] = new_lam / (1.0 - G0[b] * new_lam)
        V[_STEP, b] = abs(new_lam - lam[b]) / lam[b]
    # the step, a price below 0 halved towards 0; one above its ceiling w λ/μ is left to the
    # (rare) pass below, and to the step size only from there
    size = inverse_slope  # the relative change of each price, where it is not above its ceiling
    for i in range(n):
        for b in range(lanes):
            ti, wi, it, s = t[i, b], W[i, b], inverse_t[i, b], S[i, b]
            new_t = (
                ti + ((wi + G0[b] * ti) * (V[_NEW_LAM, b] - lam[b]) - residual[i, b]) * inverse_slope[i, b]
            )
            new_t = new_t if new_t > 0.0 else 0.5 * ti
            high = not new_t < wi * V[_LAM_OVER_MU, b]
            change = abs(new_t - ti) * it * max(1.0, abs(s))  # t, k t**σ
            size[i, b] = -1.0 if high else change
            residual[i, b] = new_t
    above = 0
    for i in range(n):
        for b in range(lanes):
            change, step = size[i, b], V[_STEP, b]
            above += change < 0.0
            V[_STEP, b] = max(step, change) if change == change else np.nan
    if above:
        for i in range(n):
            for b in range(lanes):
                ceiling = W[i, b] * V[_LAM_OVER_MU, b]
                if active[b] and not residual[i, b] < ceiling:
                    # The root lies below the ceiling w λ/μ by k t**σ/μ <= k ceiling**σ/μ, so
                    # ceiling - k ceiling**σ/μ is a lower bound of it, and the root itself to
                    # rounding where k t**σ is negligible (strong substitutes: σ = 10 took 100
                    # halvings towards the ceiling, now one step).
                    ti = t[i, b]
                    new_mu = 1.0 - G0[b] * V[_NEW_LAM, b]
                    below = ceiling - math.exp(K[i, b] + S[i, b] * math.log(ceiling)) / new_mu
                    if below > 0.5 * ceiling:
                        new_t = below
                    else:
                        new_t = 0.5 * (ti + ceiling) if ti < ceiling else 0.5 * ceiling
                    residual[i, b] = new_t
                    change = abs(new_t - ti) * inverse_t[i, b] * max(1.0, abs(S[i, b]))
                    V[_STEP, b] = max(V[_STEP, b], change) if change == change else np.nan
    # k t**σ at the new prices: by its series where a price moved little (a lane that has stopped
    # keeps its prices, ε = 0), else afresh, in a pass run only when some price needs it (each
    # price's value is the same either way)
    afresh = inverse_slope
    for i in range(n):
        for b in range(lanes):
            proposed, ti, it, s, Pi = residual[i, b], t[i, b], inverse_t[i, b], S[i, b], P[i, b]
            new_t = proposed if active[b] != 0.0 else ti
            eps = (new_t - ti) * it
            P[i, b] = _power_step(Pi, eps, s)
            afresh[i, b] = not abs(eps) * (abs(s) + (_SERIES_DEGREE - 1.0)) <= _SERIES
            t[i, b] = new_t
    fresh = 0
    for i in range(n):
        for b in range(lanes):
            fresh += afresh[i, b] != 0.0
    if fresh:
        for i in range(n):
            for b in range(lanes):
                series, needed = P[i, b], afresh[i, b] != 0.0
                new_P = vm.exp(K[i, b] + S[i, b] * vm.log(t[i, b]))
                P[i, b] = new_P if needed else series
    for b in range(lanes):
        old, new = lam[b], V[_NEW_LAM, b]
        lam[b] = old if active[b] == 0.0 else new


@njit(**KERNEL, fastmath=_CONTRACT)
def _converged(M, V, n):
    """Deactivate the lanes whose last step ends the iteration (module docstring)."""
    lanes = V.shape[1]  # a run-time bound (module docstring)
    W, t, P = M[_W], M[_T], M[_P]
    lam, active = V[_LAM], V[_ACTIVE]
    # A step this small leaves an error of its square; once convergence is quadratic (error ≈ C
    # step², C ≈ step / previous²) the error left, step³/previous², is below rounding one step
    # earlier. A safeguarded step converges only linearly: the demand equations confirm it.
    some = False
    for b in range(lanes):
        step = V[_STEP, b]
        small = step <= _STEP_RTOL or (step <= _QUADRATIC and step**3 <= _ROUNDING * V[_PREVIOUS, b] ** 2)
        V[_CANDIDATE, b] = active[b] != 0.0 and small
        some |= V[_CANDIDATE, b] != 0.0
        V[_PREVIOUS, b] = step
    if not some:
        return
    for b in range(lanes):
        V[_MU, b] = 1.0 - V[_G0, b] * lam[b]
        V[_WORST, b] = 0.0
    for i in range(n):
        for b in range(lanes):
            R = W[i, b] * lam[b]
            miss = abs(V[_MU, b] * t[i, b] + P[i, b] - R) - _RESIDUAL_RTOL * R
            worst = V[_WORST, b]
            V[_WORST, b] = max(worst, miss) if miss == miss else np.inf
    for b in range(lanes):
        if V[_CANDIDATE, b] != 0.0 and V[_WORST, b] <= 0.0:
            active[b] = 0.0


@njit(**KERNEL, fastmath=_CONTRACT)
def _closed_forms(M, V, n):
    """Overwrite the lanes that needed no iteration: Cobb–Douglas without ``G0``, and corners."""
    lanes = V.shape[1]  # a run-time bound (module docstring)
    some = False
    for b in range(lanes):
        some |= V[_CLOSED, b] != 0.0 or V[_CORNER, b] != 0.0
    if not some:
        return
    for b in range(lanes):
        if V[_CLOSED, b] != 0.0:
            V[_LAM, b] = V[_START_LAM, b]
    for i in range(n):
        for b in range(lanes):  # selects, so that it vectorises (module docstring)
            closed, corner = V[_CLOSED, b] != 0.0, V[_CORNER, b] != 0.0
            R = M[_W, i, b] * V[_LAM, b]
            t_kept, P_kept, log_P_kept = M[_T, i, b], M[_P, i, b], M[_LOG_P, i, b]
            t_closed, P_closed = M[_A, i, b] * R, (1.0 - M[_A, i, b]) * R  # k t = (1-a)/a * a w λ
            t_corner, P_corner = M[_CORNER_T, i, b], M[_W, i, b] / V[_G0, b]
            t_new = t_closed if closed else t_corner
            P_new = P_closed if closed else P_corner
            log_P_new = vm.log(P_new)
            M[_T, i, b] = t_new if closed | corner else t_kept
            M[_P, i, b] = P_new if closed | corner else P_kept
            M[_LOG_P, i, b] = log_P_new if closed | corner else log_P_kept
    for b in range(lanes):
        if V[_CORNER, b] != 0.0:
            V[_LAM, b] = 1.0 / V[_G0, b]


@njit(**KERNEL, fastmath=_CONTRACT)
def _log_powers(M, V, n):
    """``ln P = ln k + σ ln t`` of the lanes that iterated (the closed forms set their own)."""
    lanes = V.shape[1]  # a run-time bound (module docstring)
    log_P = M[_LOG_P]
    for i in range(n):
        for b in range(lanes):
            kept = log_P[i, b]
            computed = M[_LOGK, i, b] + M[_SIGMA, i, b] * vm.log(M[_T, i, b])
            closed = (V[_CLOSED, b] != 0.0) | (V[_CORNER, b] != 0.0)
            log_P[i, b] = kept if closed else computed


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


@njit(**KERNEL, fastmath=_CONTRACT)
def _load_lanes(M, V, order, first, stop, w, a, loga, log1m_a, sigma, logk, rho, p, G0, shared):
    """Scenarios ``order[first], order[first + 1], ...`` into the lanes; lanes past ``stop``
    repeat its last.

    Inputs shared by every scenario (one row) are loaded only when ``shared`` is true: the lanes
    keep them from the block before.
    """
    lanes = V.shape[1]  # a run-time bound (module docstring)
    for b in range(lanes):
        r = order[min(first + b, stop - 1)]
        V[_PRICE, b] = row(p, r)
        V[_G0, b] = row(G0, r)
    for plane, values in ((_W, w), (_A, a), (_LOGA, loga), (_LOG1M_A, log1m_a)):
        _load_plane(M[plane], values, order, first, stop, shared)
    for plane, values in ((_SIGMA, sigma), (_LOGK, logk), (_RHO, rho)):
        _load_plane(M[plane], values, order, first, stop, shared)


@njit(**KERNEL, inline="always")
def _load_plane(plane, values, order, first, stop, shared):
    """One member input into its plane ``(n, lanes)``, unless shared and already there."""
    if values.shape[0] == 1 and not shared:
        return
    n, lanes = plane.shape
    for b in range(lanes):
        source = row(values, order[min(first + b, stop - 1)])
        for i in range(n):
            plane[i, b] = source[i]


@njit(**KERNEL, fastmath=_CONTRACT)
def _homothetic_outputs(M, V, n, family):
    """Consumption, units paid for, utilities (in ``M[_INV_SLOPE]``, ``M[_RESIDUAL]``,
    ``M[_INV_T]``) and the certificate's parts of every lane, from its prices (module docstring)."""
    lanes = V.shape[1]  # a run-time bound (module docstring)
    t, P, log_P, W = M[_T], M[_P], M[_LOG_P], M[_W]
    x, g, utility = M[_INV_SLOPE], M[_RESIDUAL], M[_INV_T]
    corner, G, bought, log_G = V[_CORNER], V[_G], V[_BOUGHT], V[_LOG_G]
    corners = False
    for b in range(lanes):
        corners |= corner[b] != 0.0
        g0, lam = V[_G0, b], V[_LAM, b]
        G[b] = g0 if corner[b] != 0.0 else 1.0 / lam
        bought[b] = G[b] - V[_G0, b]
        log_G[b] = math.log(G[b])
        V[_PRICE_SUM, b] = 0.0
        V[_WORST, b] = 0.0
        V[_ABOVE, b] = 1.0  # every member above its subsistence levels, paying a share >= 0
        V[_FINITE, b] = abs(G[b]) < np.inf and G[b] > 0.0
    for i in range(n):
        for b in range(lanes):
            ti, wi, at_corner = t[i, b], W[i, b], corner[b] != 0.0
            # x from the first-order condition: the budget below is the demand equation (at a
            # corner x = w and x + t (G - G0) = w exactly)
            xi = P[i, b] * G[b]
            xi = wi if at_corner else xi
            miss = abs(xi + ti * bought[b] - wi) / wi
            x[i, b] = xi
            g[i, b] = ti / V[_PRICE, b] * bought[b]
            M[_CORNER_T, i, b] = 0.0 if at_corner else miss
    for i in range(n):
        for b in range(lanes):
            xi, gi, miss, worst = x[i, b], g[i, b], M[_CORNER_T, i, b], V[_WORST, b]
            V[_PRICE_SUM, b] += t[i, b]
            V[_ABOVE, b] *= (xi >= 0.0) & (gi >= 0.0)
            V[_WORST, b] = max(worst, miss) if miss == miss else np.inf
    if family == _LOG:
        _log_powers(M, V, n)
        for i in range(n):
            for b in range(lanes):
                utility[i, b] = log_G[b] + (1.0 - M[_A, i, b]) * log_P[i, b]
    else:
        _ces_utilities(M, V, n, corners)
    for i in range(n):
        for b in range(lanes):
            finite = (abs(x[i, b]) < np.inf) & (abs(g[i, b]) < np.inf) & (abs(utility[i, b]) < np.inf)
            V[_FINITE, b] *= finite


@njit(**KERNEL, fastmath=_CONTRACT)
def _ces_utilities(M, V, n, corners):
    """CES utilities ``G ((1-a)(x/G)**ρ + a)**(1/ρ)`` into ``M[_INV_T]`` (module docstring)."""
    lanes = V.shape[1]  # a run-time bound (module docstring)
    a, loga, rho, log_P = M[_A], M[_LOGA], M[_RHO], M[_LOG_P]
    utility = M[_INV_T]
    near = False
    for i in range(n):
        for b in range(lanes):
            # (1-a)/a (x/G)**ρ, which the first-order condition makes P/t (not at a corner)
            v = M[_P, i, b] / M[_T, i, b]
            utility[i, b] = (loga[i, b] + vm.log1p(v)) / rho[i, b]  # ln(u/G)
    for i in range(n):
        for b in range(lanes):
            near |= abs(rho[i, b]) < _NEAR_RHO
    if near:
        _log_powers(M, V, n)
    if corners:
        for i in range(n):
            for b in range(lanes):
                kept = utility[i, b]
                v = vm.exp(M[_LOG1M_A, i, b] - loga[i, b] + rho[i, b] * log_P[i, b])
                at_corner = (loga[i, b] + vm.log1p(v)) / rho[i, b]
                utility[i, b] = at_corner if V[_CORNER, b] != 0.0 else kept
    if near:
        for i in range(n):
            for b in range(lanes):
                r = rho[i, b]
                lp = log_P[i, b]
                ratio = vm.log1p((1.0 - a[i, b]) * vm.expm1(r * lp)) / r
                series = (1.0 - a[i, b]) * lp + 0.5 * r * a[i, b] * (1.0 - a[i, b]) * lp * lp
                ratio = series if abs(r) < _CES_TINY_RHO else ratio
                far = utility[i, b]
                utility[i, b] = ratio if abs(r) < _NEAR_RHO else far
    for i in range(n):
        for b in range(lanes):
            utility[i, b] = V[_G, b] * vm.exp(utility[i, b])


@njit(**KERNEL, fastmath=_CONTRACT)
def _store_lanes(
    M, V, n, order, first, stop, G, tau, g, x, utility, welfare, price_res, member_res, feasible, iterations
):
    """The lanes' answers into rows ``order[first], ..., order[stop - 1]`` of the outputs."""
    for b in range(min(V.shape[1], stop - first)):
        r = order[first + b]
        price = V[_PRICE, b]
        total = 0.0
        for i in range(n):
            tau[r, i] = M[_T, i, b] / price
            x[r, i] = M[_INV_SLOPE, i, b]
            g[r, i] = M[_RESIDUAL, i, b]
            utility[r, i] = M[_INV_T, i, b]
            total += M[_INV_T, i, b]
        welfare[r] = total
        _store_scenario(
            r,
            V[_G, b],
            V[_PRICE_SUM, b],
            price,
            V[_WORST, b],
            V[_FINITE, b] != 0.0,
            V[_ABOVE, b] != 0.0,
            int(V[_ITERATIONS, b]),
            G,
            price_res,
            member_res,
            feasible,
            iterations,
        )


@njit(**KERNEL, inline="always")
def _store_scenario(
    r, total, price_sum, price, worst, finite, above, it, G, price_res, member_res, feasible, iterations
):
    """One scenario's provision and certificate: both residuals ``inf`` unless every output is finite."""
    res = abs(price_sum - price) / price
    G[r] = total
    price_res[r] = res if finite and res == res else np.inf
    member_res[r] = worst if finite and worst == worst else np.inf
    feasible[r] = above
    iterations[r] = it


@njit(**KERNEL, fastmath=_CONTRACT)
def _stone_geary_scenario(
    r, w, a, x_min, G_min, p, G0, G, tau, g, x, utility, welfare, price_res, member_res, feasible, iterations
):
    """Solve, certify and store Stone–Geary scenario ``r`` (its prices straight into ``tau[r]``)."""
    t = tau[r]
    total, it, corner = _stone_geary_row(w, a, x_min, G_min, p, G0, t)
    bought = total - G0
    price_sum = 0.0
    worst = 0.0
    welfare[r] = 0.0
    above = True
    finite = math.isfinite(total) and total > 0.0
    for i in range(w.shape[0]):
        ti = t[i]
        price_sum += ti
        if corner:
            xi = w[i]  # x + t (G - G0) = w exactly
            miss = 0.0
        else:
            xi = x_min[i] + (1.0 - a[i]) * ti * (total - G_min[i]) / a[i]
            mrs = a[i] * (xi - x_min[i]) / ((1.0 - a[i]) * (total - G_min[i]))
            miss = max(abs(ti - mrs) / ti, abs(xi + ti * bought - w[i]) / w[i])
        gi = ti / p * bought
        above = above and xi > x_min[i] and total > G_min[i] and gi >= 0.0
        if xi > x_min[i] and total > G_min[i]:
            ui = (1.0 - a[i]) * math.log(xi - x_min[i]) + a[i] * math.log(total - G_min[i])
        else:
            ui = -np.inf
        if not miss <= worst:
            worst = miss
        finite = finite and math.isfinite(xi) and math.isfinite(gi) and math.isfinite(ui)
        x[r, i] = xi
        g[r, i] = gi
        utility[r, i] = ui
        welfare[r] += ui
        t[i] = ti / p
    _store_scenario(
        r, total, price_sum, p, worst, finite, above, it, G, price_res, member_res, feasible, iterations
    )


@njit(**KERNEL, fastmath=_CONTRACT)
def _solving_order(order, w, sigma, logk, p, G0, first, stop):
    """Rows ``first, ..., stop - 1`` into ``order`` as the kernel solves them: the corners last.

    A scenario whose willingness to pay at ``G0`` adds up to at most ``p`` buys nothing; grouped
    together, such scenarios fill blocks of their own, which skip the start and the iteration
    (``_homothetic_lanes``). Only an order: each block decides its corners itself, and a
    scenario's answer does not depend on its block.
    """
    n = w.shape[1]
    log_mrs = np.empty(n)
    corner = np.zeros(stop - first, dtype=np.bool_)
    for r in range(first, stop):
        g0 = row(G0, r)
        if not g0 > 0.0:
            continue
        wr, sr, kr = row(w, r), row(sigma, r), row(logk, r)
        for i in range(n):
            log_mrs[i] = _log_willingness(wr[i], g0, kr[i], sr[i])
        top = -np.inf
        for i in range(n):
            top = max(top, log_mrs[i])
        willing = 0.0
        for i in range(n):
            willing += vm.exp(log_mrs[i] - top)
        corner[r - first] = _log_excess(top, willing, row(p, r)) <= 0.0
    k = 0
    for last in (False, True):
        for r in range(first, stop):
            if corner[r - first] == last:
                order[k] = r
                k += 1


@njit(**KERNEL, fastmath=_CONTRACT)
def lindahl_kernel(
    w,
    a,
    loga,
    log1m_a,
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
    welfare,
    price_res,
    member_res,
    feasible,
    iterations,
    first,
    stop,
):
    """Lindahl equilibrium of rows ``first, ..., stop - 1``, written into the outputs (module docstring).

    Inputs are C-contiguous: member arrays ``w``, ``a``, ``loga`` (``ln a``), ``log1m_a``
    (``ln(1-a)``), ``sigma``, ``logk`` (``σ ln((1-a)/a)``), ``rho``, ``x_min``, ``G_min`` of
    shape ``(1 or rows, n)``; ``p``, ``G0`` of shape ``(1 or rows,)``; ``family`` one of
    ``_CES``, ``_LOG`` (Cobb–Douglas, both solved as CES, a block of scenarios at a time) and
    ``_STONE_GEARY`` (the others' parameters are ignored). Outputs ``tau``, ``g``, ``x``,
    ``utility`` of shape ``(rows, n)``; ``G``, ``welfare``, ``price_res``, ``member_res`` (float),
    ``feasible`` (bool) and ``iterations`` (int) of shape ``(rows,)``.
    """
    n = tau.shape[1]
    if family == _STONE_GEARY:
        for r in range(first, stop):
            _stone_geary_scenario(
                r, row(w, r), row(a, r), row(x_min, r), row(G_min, r), row(p, r), row(G0, r),
                G, tau, g, x, utility, welfare, price_res, member_res, feasible, iterations,
            )  # fmt: skip
        return
    wide = (np.empty((_MEMBER_PLANES, n, LANES)), np.empty((_LANE_ROWS, LANES)))
    narrow = (np.empty((_MEMBER_PLANES, n, TAIL_LANES)), np.empty((_LANE_ROWS, TAIL_LANES)))
    wide_loaded = narrow_loaded = False
    count = stop - first
    order = np.empty(count, dtype=np.int64)
    _solving_order(order, w, sigma, logk, p, G0, first, stop)
    start = 0
    while start < count:
        is_wide = count - start >= LANES
        M, V = wide if is_wide else narrow
        fresh = not (wide_loaded if is_wide else narrow_loaded)  # shared inputs not yet loaded
        wide_loaded |= is_wide
        narrow_loaded |= not is_wide
        _load_lanes(M, V, order, start, count, w, a, loga, log1m_a, sigma, logk, rho, p, G0, fresh)
        _homothetic_lanes(M, V, n)
        _homothetic_outputs(M, V, n, family)
        _store_lanes(
            M, V, n, order, start, count, G, tau, g, x, utility, welfare, price_res, member_res, feasible,
            iterations,
        )  # fmt: skip
        start += V.shape[1]


class LindahlArrays(NamedTuple):
    """Outputs of :func:`lindahl_arrays`; ``batch`` is the scenario shape, ``n`` the members.

    Attributes
    ----------
    G : ndarray, shape ``batch``
        Lindahl provision.
    tau, g, x, utility : ndarray, shape ``batch + (n,)``
        Cost shares ``t / p``, units paid for ``tau (G - G0)``, private consumption (from the
        first-order condition) and utilities.
    welfare : ndarray, shape ``batch``
        ``Σ utility``, added in member order.
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
    welfare: NDArray
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
        np.log1p(-a),
        sigma,
        logk,
        rho,
        0.0 if x_min is None else x_min,
        0.0 if G_min is None else G_min,
    )
    inputs = [kernel_rows(v, batch, n) for v in members]
    inputs += [kernel_rows(p, batch, None), kernel_rows(G0, batch, None), family]
    # G, tau, g, x, utility, welfare, price_res, member_res, feasible, iterations
    kinds = [(False, float), (True, float), (True, float), (True, float), (True, float), (False, float)]
    kinds += [(False, float), (False, float), (False, bool), (False, np.int64)]
    return LindahlArrays(*run_rows(lindahl_kernel, inputs, kinds, batch, n, chunk, workers, serial=True))
