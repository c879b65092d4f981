"""Compiled kernels of :mod:`burden.security`: every equilibrium of a batch of dyadic games.

Chunks of games in parallel (``prange``), straight from the primitives. A branch-free pass
over the chunk computes each game's reduced form normalised by its payoff scale and the
nine regimes {0, interior, 1}² (each fixes two linear equations; its candidate is kept iff
both allies' Karush–Kuhn–Tucker conditions hold). Then one game at a time: its equilibria
(degenerate games add the singular regimes: lines clipped to the KKT region, points or
segments), and per equilibrium its certificate, stability, risks, shares and utilities,
written once into the final ``(n, K, 2)`` arrays. Segments come from a second kernel, run
only for the games that have them; the trade-off branches from a third. The maths is in
``docs/security.md``. Each game is computed by one thread from its own inputs, so the
results are bit-identical for every thread count."""

from __future__ import annotations

import numba
import numpy as np
from numba.cpython.unsafe.numbers import trailing_zeros

from burden._numba import KERNEL, PARALLEL_KERNEL
from burden._status import Status

__all__ = [
    "K_SLOTS",
    "MAX_SEGMENTS",
    "N_PARAMS",
    "copy_within",
    "equilibria_kernel",
    "follow_branches",
    "reduced_kernel",
    "segments_kernel",
    "utility_kernel",
]

#: equilibrium slots per game: a regular game has at most 3 equilibria; a degenerate one is
#: listed by at most 4 extreme points (e.g. the corners of the square)
K_SLOTS = 4
#: segments per degenerate game: four edge lines and one interior line
MAX_SEGMENTS = 5 + 4
#: primitive parameters per ally, in the order of the columns of ``params``
N_PARAMS = 9
_PI, _D, _E, _S, _M, _KAPPA, _DETER, _SPIRAL, _K = range(N_PARAMS)
_CANDIDATES = 9 + 10  # nine regimes, then both ends of five singular lines
_CHUNK = 256  # games per scratch allocation
_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal number: its reciprocal is finite

_SUCCESS = int(Status.SUCCESS)
_NOT_UNIQUE = int(Status.NOT_UNIQUE)
_NOT_CERTIFIED = int(Status.NOT_CERTIFIED)
_NOT_FINITE = int(Status.NOT_FINITE)


@numba.njit(inline="always", **KERNEL)
def _reduced(params, g, rho, i):
    """``(alpha, beta, gamma, eta, const)`` of ally ``i`` of game ``g`` of ``params`` ``(9, n, 2)``."""
    j = 1 - i
    own = params[_PI, g, i] * params[_D, g, i]
    exposure = params[_PI, g, j] * params[_E, g, i] * (1.0 - params[_S, g, i])
    alpha = own * rho - exposure - params[_KAPPA, g, i] / 2.0 - params[_SPIRAL, g, i]
    beta = own * (1.0 + rho) + params[_KAPPA, g, i] / 2.0
    gamma = params[_DETER, g, i] - own * rho
    eta = 2.0 * params[_M, g, j] * exposure + params[_K, g, i]
    return alpha, beta, gamma, eta, -own * (1.0 + rho)


@numba.njit(inline="always", **KERNEL)
def _scaled(params, rho, g):
    """``(finite, plain, a1, a2, g1, g2, e1, e2)``: game ``g``'s ``alpha, gamma, eta`` over its payoff scale.

    ``finite`` is False where a coefficient of the reduced form overflowed. The scale ``S``
    is the largest ``|alpha_i|, |gamma_i|, eta_i`` (1 if all are zero). Equilibria and
    stability do not change, and every tolerance becomes relative to ``S``: the solver is
    scale-free up to the range of floating point. The coefficients are multiplied by
    ``1/S`` (one division); ``plain`` is False for a subnormal ``S``, whose reciprocal
    overflows (:func:`_normalised` divides then). No branch, so the processor overlaps the
    work of consecutive games.
    """
    r = rho[g]
    a1, b1, g1, e1, k1 = _reduced(params, g, r, 0)
    a2, b2, g2, e2, k2 = _reduced(params, g, r, 1)
    # x - x is 0 for a finite x and NaN otherwise: one test for all ten coefficients
    finite = (a1 - a1) + (b1 - b1) + (g1 - g1) + (e1 - e1) + (k1 - k1) == 0.0
    finite &= (a2 - a2) + (b2 - b2) + (g2 - g2) + (e2 - e2) + (k2 - k2) == 0.0
    scale = max(abs(a1), abs(a2), abs(g1), abs(g2), e1, e2)
    scale = scale if scale > 0.0 else 1.0
    inv = 1.0 / scale
    return finite, scale >= _TINY, a1 * inv, a2 * inv, g1 * inv, g2 * inv, e1 * inv, e2 * inv


@numba.njit(inline="always", **KERNEL)
def _normalised(params, rho, g):
    """``(finite, a1, a2, g1, g2, e1, e2)`` of :func:`_scaled`, also for a subnormal scale."""
    finite, plain, a1, a2, g1, g2, e1, e2 = _scaled(params, rho, g)
    if plain:
        return finite, a1, a2, g1, g2, e1, e2
    r = rho[g]
    a1, _, g1, e1, _ = _reduced(params, g, r, 0)
    a2, _, g2, e2, _ = _reduced(params, g, r, 1)
    scale = max(abs(a1), abs(a2), abs(g1), abs(g2), e1, e2)
    scale = scale if scale > 0.0 else 1.0
    return finite, a1 / scale, a2 / scale, g1 / scale, g2 / scale, e1 / scale, e2 / scale


@numba.njit(inline="always", **KERNEL)
def _kkt_ok(c1, c2, a1, a2, g1, g2, e1, e2, tol, tolg):
    """Box KKT conditions of both allies at ``(c1, c2)`` (``tol`` on c, ``tolg`` on marginals)."""
    if c1 < -tol or c1 > 1.0 + tol or c2 < -tol or c2 > 1.0 + tol:
        return False
    m1 = a1 + g1 * c2 - e1 * c1
    m2 = a2 + g2 * c1 - e2 * c2
    # a marginal utility may be positive only at the upper bound, negative only at the lower
    if (c1 < 1.0 - tol and m1 > tolg) or (c1 > tol and m1 < -tolg):
        return False
    return not ((c2 < 1.0 - tol and m2 > tolg) or (c2 > tol and m2 < -tolg))


@numba.njit(**KERNEL)
def _clip_line(x0, y0, vx, vy, cons, ncons, tol):
    """Clip the line ``(x0, y0) + t (vx, vy)`` to ``{c: a·c <= b}`` (rows ``(ax, ay, b)``).

    Returns ``(t_lo, t_hi, ok)``; ``ok`` is False when the clipped set is empty.
    """
    t_lo, t_hi, ok = -np.inf, np.inf, True
    for r in range(ncons):
        av = cons[r, 0] * vx + cons[r, 1] * vy
        slack = cons[r, 2] - (cons[r, 0] * x0 + cons[r, 1] * y0)
        if av > tol:
            t_hi = min(t_hi, slack / av)
        elif av < -tol:
            t_lo = max(t_lo, slack / av)
        elif slack < -tol:
            ok = False
    ok = ok and np.isfinite(t_lo) and np.isfinite(t_hi) and t_lo <= t_hi + tol
    return t_lo, max(t_hi, t_lo), ok


@numba.njit(**KERNEL)
def _add_line(x0, y0, vx, vy, cons, ncons, tol, use, cand, nc, segs, ns):
    """Clip a singular line; append its ends to ``cand`` and a positive-length piece to ``segs``."""
    t_lo, t_hi, ok = _clip_line(x0, y0, vx, vy, cons, ncons, tol)
    if not (use and ok):
        return nc, ns
    cand[nc, 0], cand[nc, 1] = x0 + t_lo * vx, y0 + t_lo * vy
    cand[nc + 1, 0], cand[nc + 1, 1] = x0 + t_hi * vx, y0 + t_hi * vy
    if t_hi - t_lo > tol:
        segs[ns, 0, 0], segs[ns, 0, 1] = cand[nc, 0], cand[nc, 1]
        segs[ns, 1, 0], segs[ns, 1, 1] = cand[nc + 1, 0], cand[nc + 1, 1]
        ns += 1
    return nc + 2, ns


@numba.njit(**KERNEL)
def _singular(A1, A2, G1, G2, E1, E2, tol, cand, nc, segs, cons):
    """Points and segments of the singular regimes (an indifferent ally, parallel reactions).

    Appends line ends to ``cand`` (from row ``nc``) and segments to ``segs``;
    returns ``(nc, ns)``.
    """
    # the box 0 <= c <= 1 as a·c <= b rows; row 4 is the extra KKT row of each edge line
    cons[0, 0], cons[0, 1], cons[0, 2] = -1.0, 0.0, 0.0
    cons[1, 0], cons[1, 1], cons[1, 2] = 1.0, 0.0, 1.0
    cons[2, 0], cons[2, 1], cons[2, 2] = 0.0, -1.0, 0.0
    cons[3, 0], cons[3, 1], cons[3, 2] = 0.0, 1.0, 1.0
    ns = 0
    for edge in range(2):
        a = float(edge)
        # ally 2 indifferent along c1 = a; ally 1's KKT at its bound a bounds c2
        use = E2 <= tol and abs(A2 + G2 * a) <= tol
        if edge == 0:
            cons[4, 0], cons[4, 1], cons[4, 2] = 0.0, G1, -A1  # g_1 <= 0 at c1 = 0
        else:
            cons[4, 0], cons[4, 1], cons[4, 2] = 0.0, -G1, A1 - E1  # g_1 >= 0 at c1 = 1
        nc, ns = _add_line(a, 0.0, 0.0, 1.0, cons, 5, tol, use, cand, nc, segs, ns)
    for edge in range(2):
        b = float(edge)
        use = E1 <= tol and abs(A1 + G1 * b) <= tol
        if edge == 0:
            cons[4, 0], cons[4, 1], cons[4, 2] = G2, 0.0, -A2
        else:
            cons[4, 0], cons[4, 1], cons[4, 2] = -G2, 0.0, A2 - E2
        nc, ns = _add_line(0.0, b, 1.0, 0.0, cons, 5, tol, use, cand, nc, segs, ns)
    # both interior on parallel first-order conditions E1 c1 - G1 c2 = A1, -G2 c1 + E2 c2 = A2
    n1, n2 = np.hypot(E1, G1), np.hypot(G2, E2)
    if n1 >= n2:
        rx, ry, f, nr, ox, oy, fo = E1, -G1, A1, n1, -G2, E2, A2
    else:
        rx, ry, f, nr, ox, oy, fo = -G2, E2, A2, n2, E1, -G1, A1
    if nr > tol and abs(E1 * E2 - G1 * G2) <= tol:
        x0, y0 = f * rx / nr**2, f * ry / nr**2
        vx, vy = -ry / nr, rx / nr
        t_lo, t_hi, ok = _clip_line(x0, y0, vx, vy, cons, 4, tol)
        # the other equation must hold along the whole clipped line (both ends)
        if ok and abs(ox * (x0 + t_lo * vx) + oy * (y0 + t_lo * vy) - fo) <= tol:
            ok = abs(ox * (x0 + t_hi * vx) + oy * (y0 + t_hi * vy) - fo) <= tol
        nc, ns = _add_line(x0, y0, vx, vy, cons, 4, tol, ok, cand, nc, segs, ns)
    elif nr <= tol and abs(A1) <= tol and abs(A2) <= tol:
        # both allies indifferent everywhere: every profile; the four edges of the square
        for e in range(4):
            x, y = (0.0, 1.0, 1.0, 0.0)[e], (0.0, 0.0, 1.0, 1.0)[e]
            segs[ns, 0, 0], segs[ns, 0, 1] = x, y
            segs[ns, 1, 0], segs[ns, 1, 1] = (
                (0.0, 1.0, 1.0, 0.0)[(e + 1) % 4],
                (0.0, 0.0, 1.0, 1.0)[(e + 1) % 4],
            )
            ns += 1
    # the same segment can come from two regimes (e.g. an edge that is also the singular line)
    kept = 0
    for s in range(ns):
        dup = False
        for t in range(kept):
            fwd = max(
                abs(segs[s, 0, 0] - segs[t, 0, 0]),
                abs(segs[s, 0, 1] - segs[t, 0, 1]),
                abs(segs[s, 1, 0] - segs[t, 1, 0]),
                abs(segs[s, 1, 1] - segs[t, 1, 1]),
            )
            rev = max(
                abs(segs[s, 1, 0] - segs[t, 0, 0]),
                abs(segs[s, 1, 1] - segs[t, 0, 1]),
                abs(segs[s, 0, 0] - segs[t, 1, 0]),
                abs(segs[s, 0, 1] - segs[t, 1, 1]),
            )
            if min(fwd, rev) <= tol:
                dup = True
                break
        if not dup:
            segs[kept] = segs[s]
            kept += 1
    return nc, kept


@numba.njit(inline="always", **KERNEL)
def _regimes(a1, a2, g1, g2, e1, e2, tol, table, t):
    """The candidates of the nine regimes {0, interior, 1}² of one game and their validity.

    Writes candidate ``r`` to ``table[2r : 2r + 2, t]`` and returns ``(bits, singular)``: bit ``r``
    is set iff candidate ``r`` satisfies both allies' Karush–Kuhn–Tucker conditions;
    ``singular`` flags an indifferent ally or parallel reaction lines (:func:`_singular`
    has the rest). Straight-line code without a branch on the (unpredictable) regime of a
    random game, so the processor overlaps consecutive games; the coefficients are normalised (payoff
    scale 1), so ``tol`` is relative. The order is the order of preference among
    duplicates: the four corners (each ally's marginal utility has the sign its bound
    allows), then one ally at a bound and the other interior on its first-order condition,
    then both interior.
    """
    flat1, flat2 = e1 <= tol, e2 <= tol
    det = e1 * e2 - g1 * g2
    regular = abs(det) > tol
    # computed even for an indifferent ally or a singular pair, whose candidates are dropped
    y0, y1 = a2 / e2, (a2 + g2) / e2
    x0, x1 = a1 / e1, (a1 + g1) / e1
    inv_det = 1.0 / det
    x = (a1 * e2 + g1 * a2) * inv_det
    y = (e1 * a2 + g2 * a1) * inv_det
    table[0, t], table[1, t] = 0.0, 0.0
    table[2, t], table[3, t] = 0.0, 1.0
    table[4, t], table[5, t] = 1.0, 0.0
    table[6, t], table[7, t] = 1.0, 1.0
    table[8, t], table[9, t] = 0.0, y0
    table[10, t], table[11, t] = 1.0, y1
    table[12, t], table[13, t] = x0, 0.0
    table[14, t], table[15, t] = x1, 1.0
    table[16, t], table[17, t] = x, y
    bits = np.int64((a1 <= tol) & (a2 <= tol))
    bits |= np.int64((a1 + g1 <= tol) & (a2 - e2 >= -tol)) << 1
    bits |= np.int64((a1 - e1 >= -tol) & (a2 + g2 <= tol)) << 2
    bits |= np.int64((a1 + g1 - e1 >= -tol) & (a2 + g2 - e2 >= -tol)) << 3
    bits |= np.int64((a1 + g1 * y0 <= tol) & (y0 >= -tol) & (y0 <= 1.0 + tol) & (not flat2)) << 4
    bits |= np.int64((a1 + g1 * y1 - e1 >= -tol) & (y1 >= -tol) & (y1 <= 1.0 + tol) & (not flat2)) << 5
    bits |= np.int64((a2 + g2 * x0 <= tol) & (x0 >= -tol) & (x0 <= 1.0 + tol) & (not flat1)) << 6
    bits |= np.int64((a2 + g2 * x1 - e2 >= -tol) & (x1 >= -tol) & (x1 <= 1.0 + tol) & (not flat1)) << 7
    bits |= np.int64(regular & (x >= -tol) & (x <= 1.0 + tol) & (y >= -tol) & (y <= 1.0 + tol)) << 8
    return bits, flat1 | flat2 | (not regular)


@numba.njit(inline="always", **KERNEL)
def _compact(bits, table, t, cand):
    """Copy the valid candidates (set bits of ``bits``, in order) to ``cand``; return their number."""
    nc = 0
    while bits:
        r = trailing_zeros(bits)
        bits &= bits - 1
        cand[nc, 0], cand[nc, 1] = table[2 * r, t], table[2 * r + 1, t]
        nc += 1
    return nc


@numba.njit(inline="always", **KERNEL)
def _merge(cand, nc, tol):
    """Clip ``cand[:nc]`` into the box, drop duplicates (first copy wins), sort by ``(c1, c2)``."""
    count = 0
    for r in range(nc):
        x = min(max(cand[r, 0], 0.0), 1.0) + 0.0  # + 0.0 turns -0.0 into 0.0
        y = min(max(cand[r, 1], 0.0), 1.0) + 0.0
        dup = False
        for t in range(count):
            if abs(cand[t, 0] - x) <= tol and abs(cand[t, 1] - y) <= tol:
                dup = True
                break
        if not dup:
            cand[count, 0], cand[count, 1] = x, y
            count += 1
    for r in range(1, count):  # insertion sort
        x, y = cand[r, 0], cand[r, 1]
        t = r - 1
        while t >= 0 and (cand[t, 0] > x or (cand[t, 0] == x and cand[t, 1] > y)):
            cand[t + 1] = cand[t]
            t -= 1
        cand[t + 1, 0], cand[t + 1, 1] = x, y
    return count


@numba.njit(**KERNEL)
def _points(a1, a2, g1, g2, e1, e2, tol, cand, segs, cons, table):
    """All equilibrium points of one game, sorted by ``c1`` then ``c2``, in ``cand[:count]``.

    Returns ``(count, number of segments)``; a game has a continuum iff segments > 0. The
    general path (any game); the main kernel takes a branch-free path for regular games.
    """
    bits, singular = _regimes(a1, a2, g1, g2, e1, e2, tol, table, 0)
    nc = _compact(bits, table, 0, cand)
    ns = 0
    if singular:
        start = nc
        nc, ns = _singular(a1, a2, g1, g2, e1, e2, tol, cand, nc, segs, cons)
        kept = start
        for r in range(start, nc):  # line ends must pass the KKT check of the original game
            if _kkt_ok(cand[r, 0], cand[r, 1], a1, a2, g1, g2, e1, e2, tol, tol):
                cand[kept] = cand[r]
                kept += 1
        nc = kept
    return _merge(cand, nc, tol), ns


@numba.njit(inline="always", **KERNEL)
def _certify(alpha, gamma, eta, ci, cj, tol):
    """Certificate and binding first-order condition of one ally at ``(ci, cj)`` (normalised).

    The certificate holds iff the ally's largest gain from any deviation in [0, 1] is at most
    ``tol``. ``U_i`` is a concave quadratic in ``c_i``: the gain of a step ``t`` is
    ``G(t) = g t - eta t^2/2`` with ``g = dU_i/dc_i``; its largest value over
    ``[-ci, 1 - ci]`` is at an end of the interval, or at ``g/eta`` when that lies inside
    (``G = g^2/(2 eta)``). Written without divisions and without branches (where a random
    game's equilibria lie is unpredictable), so NaN padding fails every test.
    """
    g = alpha + gamma * cj - eta * ci  # marginal utility
    up = 1.0 - ci
    inside = (g <= eta * up) & (-g <= eta * ci)
    ok = (g * up - eta * up * up / 2.0 <= tol) & (-g * ci - eta * ci * ci / 2.0 <= tol)
    ok &= (g * g <= 2.0 * eta * tol) | (not inside)
    return ok, abs(g) <= tol


@numba.njit(inline="always", **KERNEL)
def _utility(params, g, rho, i, ci, cj):
    """``U_i`` from the primitives (not the reduced form, so the two check each other)."""
    j = 1 - i
    return (
        -params[_PI, g, i] * params[_D, g, i] * (1.0 - cj) * (1.0 + rho * (1.0 - ci))
        - params[_PI, g, j] * params[_E, g, i] * (1.0 - params[_S, g, i]) * ci * (1.0 + params[_M, g, j] * ci)
        + params[_KAPPA, g, i] * (cj - ci) / 2.0
        + params[_DETER, g, i] * ci * cj
        - params[_SPIRAL, g, i] * ci
        - params[_K, g, i] * ci * ci / 2.0
    )


@numba.njit(**PARALLEL_KERNEL)
def equilibria_kernel(params, rho, tol, c, stable, count, continuum, status, abandon, entrap, share, utility):
    """Solve games ``params`` ``(9, n, 2)`` (parameter, game, ally), ``rho`` ``(n,)``; fill the outputs.

    Outputs: ``c``, ``abandon``, ``entrap``, ``share`` and ``utility`` ``(n, K, 2)``;
    ``stable`` ``(n, K)``; ``count``, ``continuum`` and ``status`` ``(n,)``. Unused slots get
    NaN (``stable`` False).
    """
    n = params.shape[1]
    n_chunks = (n + _CHUNK - 1) // _CHUNK
    for chunk in numba.prange(n_chunks):
        cand = np.empty((_CANDIDATES, 2))
        segs = np.empty((MAX_SEGMENTS, 2, 2))
        cons = np.empty((5, 3))
        one = np.empty((18, 1))
        coef = np.empty((6, _CHUNK))
        table = np.empty((18, _CHUNK))
        bits = np.empty(_CHUNK, dtype=np.int64)
        special = np.empty(_CHUNK, dtype=np.bool_)
        first = chunk * _CHUNK
        size = min(n, first + _CHUNK) - first
        # Pass 1 over the chunk's games, without branches (so consecutive games overlap in the
        # processor; 15 % faster than one game at a time): normalised coefficients,
        # the nine regimes' candidates and validity bits; bit 9 sends a game to the general
        # path (overflow, a subnormal scale, an indifferent ally or parallel reactions).
        for t in range(size):
            finite, plain, a1, a2, g1, g2, e1, e2 = _scaled(params, rho, first + t)
            special[t] = (not plain) | (not finite)
            coef[0, t], coef[1, t], coef[2, t], coef[3, t], coef[4, t], coef[5, t] = a1, a2, g1, g2, e1, e2
        for t in range(size):
            valid, singular = _regimes(
                coef[0, t], coef[1, t], coef[2, t], coef[3, t], coef[4, t], coef[5, t], tol, table, t
            )
            bits[t] = valid | (np.int64(singular | special[t]) << 9)
        # Pass 2, one game at a time: the equilibria, their certificates and descriptions.
        for t in range(size):
            g = first + t
            finite = True
            k, ns = 0, 0
            if bits[t] < 1 << 9:
                a1, a2, g1, g2, e1, e2 = (
                    coef[0, t],
                    coef[1, t],
                    coef[2, t],
                    coef[3, t],
                    coef[4, t],
                    coef[5, t],
                )
                k = _merge(cand, _compact(bits[t], table, t, cand), tol)
            else:
                finite, a1, a2, g1, g2, e1, e2 = _normalised(params, rho, g)
                if finite:
                    k, ns = _points(a1, a2, g1, g2, e1, e2, tol, cand, segs, cons, one)
            # every game has an equilibrium, and all must fit
            certified = (k > 0) & (k <= K_SLOTS)
            k = min(k, K_SLOTS)
            r = rho[g]
            for s in range(k):
                x1, x2 = cand[s, 0], cand[s, 1]
                ok1, binding1 = _certify(a1, g1, e1, x1, x2, tol)
                ok2, binding2 = _certify(a2, g2, e2, x2, x1, tol)
                certified &= ok1 & ok2
                # local stability: the product of the reaction slopes gamma_i/eta_i where the
                # first-order condition binds (0 at a strict bound) is below 1 in modulus; an
                # indifferent ally (eta = 0) on its condition has an infinite slope
                slopes = ((not binding1) | (e1 > 0.0)) & ((not binding2) | (e2 > 0.0))
                product = (not (binding1 & binding2)) | (abs(g1 * g2) < e1 * e2)
                stable[g, s] = slopes & product
                c[g, s, 0], c[g, s, 1] = x1, x2
                for i in range(2):
                    j = 1 - i
                    ci, cj = c[g, s, i], c[g, s, j]
                    abandon[g, s, i] = params[_PI, g, i] * (1.0 - cj)
                    entrap[g, s, i] = params[_PI, g, j] * (1.0 + params[_M, g, j] * ci) * ci
                    share[g, s, i] = params[_KAPPA, g, i] * (cj - ci) / 2.0
                    utility[g, s, i] = _utility(params, g, r, i, ci, cj)
            for s in range(k, K_SLOTS):
                stable[g, s] = False
                for i in range(2):
                    c[g, s, i] = np.nan
                    abandon[g, s, i] = np.nan
                    entrap[g, s, i] = np.nan
                    share[g, s, i] = np.nan
                    utility[g, s, i] = np.nan
            code = _SUCCESS if ns == 0 else _NOT_UNIQUE  # a continuum: certified points and segments
            code = code if certified else _NOT_CERTIFIED
            count[g] = k
            continuum[g] = ns > 0
            status[g] = code if finite else _NOT_FINITE


@numba.njit(**KERNEL)
def segments_kernel(params, rho, tol, segments):
    """Segments of equilibria of games ``params`` ``(9, m, 2)`` into ``segments`` ``(m, L, 2, 2)``.

    Returns the number of segments of each game. Called only for the (rare) games with a
    continuum, so the main kernel never stores segments.
    """
    m = params.shape[1]
    n_seg = np.zeros(m, dtype=np.int64)
    cand = np.empty((_CANDIDATES, 2))
    segs = np.empty((MAX_SEGMENTS, 2, 2))
    cons = np.empty((5, 3))
    table = np.empty((18, 1))
    for g in range(m):
        _, a1, a2, g1, g2, e1, e2 = _normalised(params, rho, g)
        _, ns = _points(a1, a2, g1, g2, e1, e2, tol, cand, segs, cons, table)
        n_seg[g] = ns
        segments[g, :ns] = segs[:ns]
    return n_seg


@numba.njit(**KERNEL)
def reduced_kernel(params, rho, out):
    """Reduced form of games ``params`` ``(9, n, 2)`` into ``out`` ``(5, n, 2)`` (α, β, γ, η, const)."""
    for g in range(params.shape[1]):
        for i in range(2):
            coefficients = _reduced(params, g, rho[g], i)
            for q in range(5):
                out[q, g, i] = coefficients[q]


@numba.njit(**KERNEL)
def utility_kernel(params, rho, c, out):
    """Both allies' utilities at profiles ``c`` ``(n, 2)`` of games ``params`` ``(9, n, 2)``."""
    for g in range(params.shape[1]):
        for i in range(2):
            out[g, i] = _utility(params, g, rho[g], i, c[g, i], c[g, 1 - i])


@numba.njit(**KERNEL)
def copy_within(source, target, low, high):
    """Copy the flat float array ``source`` into ``target``; True iff all finite and in ``[low, high]``.

    One pass that both owns and checks a parameter (``target`` may be ``source`` to check only).
    """
    ok = True
    for index in range(source.size):
        x = source[index]
        ok &= np.isfinite(x) and low <= x <= high
        target[index] = x
    return ok


@numba.njit(**KERNEL)
def follow_branches(c, count, branch):
    """Label every equilibrium slot ``c[g, v, s]`` with its branch; return branches per game.

    Between consecutive values the ``p`` old and ``q`` new equilibria (each sorted by
    ``c_1``; equilibria cannot cross without merging) are matched in order: of all
    order-preserving matchings of the smaller set into the larger, the one of least total
    distance. Matched equilibria continue a branch, unmatched new ones start a branch.
    """
    n_games, n_values, k = count.shape[0], count.shape[1], c.shape[2]
    n_branches = np.zeros(n_games, dtype=np.int64)
    for g in range(n_games):
        fresh = 0
        for v in range(n_values):
            q = count[g, v]
            p = count[g, v - 1] if v > 0 else 0
            small, large = min(p, q), max(p, q)
            best_mask, best_cost = -1, np.inf
            for mask in range(1 << large):
                bits = 0
                for b in range(large):
                    bits += (mask >> b) & 1
                if bits != small:
                    continue
                cost, s = 0.0, 0
                for b in range(large):
                    if (mask >> b) & 1:
                        old, new = (s, b) if p <= q else (b, s)
                        dx = c[g, v, new, 0] - c[g, v - 1, old, 0]
                        dy = c[g, v, new, 1] - c[g, v - 1, old, 1]
                        cost += np.sqrt(dx * dx + dy * dy)
                        s += 1
                if cost < best_cost:
                    best_cost, best_mask = cost, mask
            for new in range(q):
                branch[g, v, new] = -1
            s = 0
            for b in range(large):
                if small > 0 and (best_mask >> b) & 1:
                    old, new = (s, b) if p <= q else (b, s)
                    branch[g, v, new] = branch[g, v - 1, old]
                    s += 1
            for new in range(q):
                if branch[g, v, new] == -1:
                    branch[g, v, new] = fresh
                    fresh += 1
            for new in range(q, k):
                branch[g, v, new] = -1
        n_branches[g] = fresh
    return n_branches
