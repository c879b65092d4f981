"""Kernel: every equilibrium of a batch of dyadic quadratic commitment games.

Works on flat arrays of the reduced form (``alpha, gamma, eta`` of shape ``(n, 2)``).
Player i's marginal utility is ``g_i(c) = alpha_i + gamma_i c_j - eta_i c_i`` and
``U_i`` is concave in ``c_i`` (``eta_i >= 0``), so ``c`` is an equilibrium iff the box KKT
conditions hold for both players: ``c_i = 0 => g_i <= 0``, ``c_i = 1 => g_i >= 0``,
``0 < c_i < 1 => g_i = 0``. Each of the nine regimes {0, interior, 1}² fixes two linear
equations; a regular regime gives one candidate point, which is kept iff it passes the KKT
check. A singular regime (``eta_i = 0`` or ``eta_1 eta_2 = gamma_1 gamma_2``) gives a line,
which is clipped to the KKT region: a point, a segment (a continuum of equilibria) or
nothing. Regular games never take the singular path, so the common case is a few dozen
whole-array operations per chunk.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["BLOCK", "kkt_residual", "solve_block"]

BLOCK = 1 << 14  # games per block: keeps the temporaries in cache without a Python loop per game

# Regimes as (state of ally 1, state of ally 2): 0 or 1 = at that bound, -1 = interior.
_REGIMES = ((0, 0), (0, 1), (1, 0), (1, 1), (0, -1), (1, -1), (-1, 0), (-1, 1), (-1, -1))


def kkt_residual(alpha: NDArray, gamma: NDArray, eta: NDArray, c: NDArray) -> NDArray:
    """Largest profitable local deviation of each ally at ``c`` (0 at an equilibrium).

    For ally i this is ``max(g_i, 0)`` where ``c_i = 0``, ``max(-g_i, 0)`` where ``c_i = 1``
    and ``|g_i|`` in between, with ``g_i`` the marginal utility; ``alpha, gamma, eta`` have
    shape ``(..., 2)`` and ``c`` shape ``(..., 2)`` (broadcasting).
    """
    g = alpha + gamma * c[..., ::-1] - eta * c
    up = np.where(c >= 1.0, 0.0, np.maximum(g, 0.0))  # room to raise c_i
    down = np.where(c <= 0.0, 0.0, np.maximum(-g, 0.0))  # room to lower c_i
    return np.maximum(up, down)


def _kkt_ok(c1, c2, a1, a2, g1, g2, e1, e2, tol, tolg):
    """Box KKT check with tolerance ``tol`` on ``c`` and ``tolg`` on the marginal utilities."""
    m1 = a1 + g1 * c2 - e1 * c1
    m2 = a2 + g2 * c1 - e2 * c2
    ok = (c1 >= -tol) & (c1 <= 1 + tol) & (c2 >= -tol) & (c2 <= 1 + tol)
    # g_i may be positive only at the upper bound and negative only at the lower bound.
    ok &= ((c1 >= 1 - tol) | (m1 <= tolg)) & ((c1 <= tol) | (m1 >= -tolg))
    ok &= ((c2 >= 1 - tol) | (m2 <= tolg)) & ((c2 <= tol) | (m2 >= -tolg))
    return ok


def _regular_candidates(a1, a2, g1, g2, e1, e2, scale, tol):
    """Candidate points of the nine regimes (``(9, m)`` each), their KKT validity, singularity.

    The KKT check is specialised per regime (a coordinate fixed at a bound needs only the
    sign of its marginal utility; an interior coordinate, which solves its first-order
    condition, needs only the box): half the work of the general :func:`_kkt_ok`.
    """
    tolg = tol * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        det = e1 * e2 - g1 * g2
        x0, x1 = a2 / e2, (a2 + g2) / e2  # ally 2's interior response to c1 = 0, 1
        y0, y1 = a1 / e1, (a1 + g1) / e1  # ally 1's interior response to c2 = 0, 1
        p, q = (a1 * e2 + g1 * a2) / det, (e1 * a2 + g2 * a1) / det
    zero, one = np.zeros_like(a1), np.ones_like(a1)
    c1 = np.stack([zero, zero, one, one, zero, one, y0, y1, p])
    c2 = np.stack([zero, one, zero, one, x0, x1, zero, one, q])
    lo, hi = -tol, 1 + tol
    inside = (c1[4:] >= lo) & (c1[4:] <= hi) & (c2[4:] >= lo) & (c2[4:] <= hi)
    valid = np.stack(
        [
            (a1 <= tolg) & (a2 <= tolg),
            (a1 + g1 <= tolg) & (a2 - e2 >= -tolg),
            (a1 - e1 >= -tolg) & (a2 + g2 <= tolg),
            (a1 + g1 - e1 >= -tolg) & (a2 + g2 - e2 >= -tolg),
            inside[0] & (a1 + g1 * x0 <= tolg),
            inside[1] & (a1 + g1 * x1 - e1 >= -tolg),
            inside[2] & (a2 + g2 * y0 <= tolg),
            inside[3] & (a2 + g2 * y1 - e2 >= -tolg),
            inside[4],
        ]
    )
    flat1, flat2 = e1 <= tolg, e2 <= tolg
    singular = (flat1, flat2, np.abs(det) <= tolg * scale)
    # A singular regime's "point" is rounding noise: its solution set is a line, handled apart.
    valid[4:6] &= ~flat2
    valid[6:8] &= ~flat1
    valid[8] &= ~singular[2]
    return c1, c2, valid, singular


def _clip_line(p0, v, constraints, tol):
    """Clip the line ``p0 + t v`` (``v`` unit) to ``{c: a·c <= b}``; return ends and emptiness.

    Written by hand because it is four lines of interval arithmetic per constraint, batched
    over games; ``scipy.optimize.linprog`` would need one call per game.
    """
    t_lo = np.full(p0.shape[1:], -np.inf)
    t_hi = np.full(p0.shape[1:], np.inf)
    ok = np.ones(p0.shape[1:], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for a, b in constraints:
            av = a[0] * v[0] + a[1] * v[1]
            slack = b - (a[0] * p0[0] + a[1] * p0[1])
            pos, neg = av > tol, av < -tol
            t_hi = np.where(pos, np.minimum(t_hi, slack / av), t_hi)
            t_lo = np.where(neg, np.maximum(t_lo, slack / av), t_lo)
            ok &= pos | neg | (slack >= -tol)
    ok &= np.isfinite(t_lo) & np.isfinite(t_hi) & (t_lo <= t_hi + tol)
    t_hi = np.maximum(t_hi, t_lo)
    return p0 + t_lo * v, p0 + t_hi * v, ok, ok & (t_hi - t_lo > tol)


def _singular_pieces(a1, a2, g1, g2, e1, e2, scale, tol):
    """Points and segments from the singular regimes of the games given (all flat ``(m,)``).

    Returns a list of ``(lo, hi, ok, segment)`` with ``lo, hi`` of shape ``(2, m)``, and a
    mask of games whose equilibrium set is the whole square (both allies indifferent).
    """
    # Normalise the marginal utilities so one tolerance serves every constraint.
    A1, A2, G1, G2, E1, E2 = (x / scale for x in (a1, a2, g1, g2, e1, e2))
    zero, one = np.zeros_like(a1), np.ones_like(a1)
    box = [
        ((-one, zero), zero),
        ((one, zero), one),
        ((zero, -one), zero),
        ((zero, one), one),
    ]
    pieces = []
    # Ally 2 indifferent along an edge c1 = a (eta_2 = 0 and g_2 = 0 there).
    for a in (0.0, 1.0):
        consistent = np.abs(A2 + G2 * a) <= tol
        # KKT of ally 1 at its bound a: g_1 <= 0 at 0, g_1 >= 0 at 1 (a linear bound on c2).
        kkt = ((zero, G1), -A1) if a == 0.0 else ((zero, -G1), A1 - E1)
        lo, hi, ok, seg = _clip_line(np.stack([zero + a, zero]), np.stack([zero, one]), [*box, kkt], tol)
        pieces.append((lo, hi, ok & consistent & (E2 <= tol), seg & consistent & (E2 <= tol)))
    # Ally 1 indifferent along an edge c2 = b.
    for b in (0.0, 1.0):
        consistent = np.abs(A1 + G1 * b) <= tol
        kkt = ((G2, zero), -A2) if b == 0.0 else ((-G2, zero), A2 - E2)
        lo, hi, ok, seg = _clip_line(np.stack([zero, zero + b]), np.stack([one, zero]), [*box, kkt], tol)
        pieces.append((lo, hi, ok & consistent & (E1 <= tol), seg & consistent & (E1 <= tol)))
    # Both interior with parallel first-order conditions: one line (rank 1) or the square (rank 0).
    rows = np.stack([np.stack([E1, -G1]), np.stack([-G2, E2])])  # (eq, coord, m)
    rhs = np.stack([A1, A2])
    norms = np.hypot(rows[:, 0], rows[:, 1])
    pick = np.argmax(norms, axis=0)
    other = 1 - pick
    take = np.arange(a1.size)
    r, f, nr = rows[pick, :, take].T, rhs[pick, take], norms[pick, take]
    rank0 = nr <= tol
    with np.errstate(divide="ignore", invalid="ignore"):
        p0 = f * r / nr**2
        v = np.stack([-r[1], r[0]]) / nr
    p0, v = np.where(rank0, 0.0, p0), np.where(rank0, np.array([[1.0], [0.0]]), v)
    lo, hi, ok, seg = _clip_line(p0, v, box, tol)
    ro, fo = rows[other, :, take].T, rhs[other, take]
    consistent = (np.abs(ro[0] * lo[0] + ro[1] * lo[1] - fo) <= tol) & (
        np.abs(ro[0] * hi[0] + ro[1] * hi[1] - fo) <= tol
    )
    singular = np.abs(E1 * E2 - G1 * G2) <= tol
    line_ok = singular & ~rank0 & consistent
    pieces.append((lo, hi, ok & line_ok, seg & line_ok))
    square = rank0 & (np.abs(A1) <= tol) & (np.abs(A2) <= tol)
    return pieces, square


def _collect(c1, c2, valid, tol):
    """Compact valid candidates ``(R, m)`` into sorted, de-duplicated points ``(2, K, m)``."""
    m = c1.shape[1]
    game, reg = np.nonzero(valid.T)  # grouped by game, as the output rows are
    count = np.bincount(game, minlength=m)
    pos = np.arange(game.size) - (np.cumsum(count) - count)[game]
    out = np.full((2, int(count.max(initial=0)), m), np.nan)
    out[0, pos, game] = c1[reg, game]
    out[1, pos, game] = c2[reg, game]
    np.clip(out, 0.0, 1.0, out=out)
    multi = np.flatnonzero(count > 1)
    if multi.size:
        # A point on a regime boundary is found by both regimes; keep the first copy.
        sub = out[:, :, multi]
        keep = ~np.isnan(sub[0])
        for k in range(1, sub.shape[1]):
            for j in range(k):
                same = np.all(np.abs(sub[:, k] - sub[:, j]) <= tol, axis=0)
                keep[k] &= ~(same & keep[j])
        sub = np.where(keep, sub, np.nan)
        order = np.lexsort((sub[1], sub[0]), axis=0)  # NaN sorts last
        out[:, :, multi] = np.take_along_axis(sub, order[None], axis=1)
        count[multi] = keep.sum(axis=0)
    return out[:, : int(count.max(initial=0))], count


def solve_block(
    alpha: NDArray, gamma: NDArray, eta: NDArray, tol: float
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """All equilibria of games given ally-first, ``(2, m)`` each.

    Returns the points ``(2, K, m)`` (ally, equilibrium, game; NaN-padded, sorted by
    ``c_1`` then ``c_2``), their count ``(m,)``, the continuum flag ``(m,)`` and the
    segments ``(m, L, 2, 2)``.
    """
    a1, a2 = alpha
    g1, g2 = gamma
    e1, e2 = eta
    scale = np.abs(a1)
    for x in (a2, g1, g2, e1, e2):
        np.maximum(scale, np.abs(x), out=scale)
    scale[scale == 0] = 1.0
    c1, c2, valid, singular = _regular_candidates(a1, a2, g1, g2, e1, e2, scale, tol)
    m = a1.size
    segments = np.full((m, 0, 2, 2), np.nan)
    continuum = np.zeros(m, dtype=bool)
    sub = np.flatnonzero(singular[0] | singular[1] | singular[2])
    if sub.size == 0:
        c, count = _collect(c1, c2, valid, tol)
        return c, count, continuum, segments

    args = (a1[sub], a2[sub], g1[sub], g2[sub], e1[sub], e2[sub], scale[sub])
    pieces, square = _singular_pieces(*args, tol)
    ends1 = [p[0] for p in pieces] + [p[1] for p in pieces]
    ends_ok = [p[2] for p in pieces] + [p[3] for p in pieces]
    ec1 = np.stack([e[0] for e in ends1])
    ec2 = np.stack([e[1] for e in ends1])
    ek = np.stack(ends_ok) & _kkt_ok(ec1, ec2, *args[:6], tol, tol * args[6])
    all_c1 = np.concatenate([c1[:, sub], ec1])
    all_c2 = np.concatenate([c2[:, sub], ec2])
    all_ok = np.concatenate([valid[:, sub], ek])
    c_sub, count_sub = _collect(all_c1, all_c2, all_ok, tol)
    c_reg, count = _collect(c1, c2, valid, tol)
    k_max = max(c_reg.shape[1], c_sub.shape[1])
    c = np.full((2, k_max, m), np.nan)
    c[:, : c_reg.shape[1]] = c_reg
    c[:, :, sub] = np.nan
    c[:, : c_sub.shape[1], sub] = c_sub
    count[sub] = count_sub

    # Segments: the clipped lines of positive length, plus the edges of a whole-square set.
    seg_lo = np.stack([p[0] for p in pieces], axis=-1)  # (2, m_sub, P)
    seg_hi = np.stack([p[1] for p in pieces], axis=-1)
    seg_ok = np.stack([p[3] for p in pieces], axis=-1)
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    edge_lo = np.broadcast_to(corners.T[:, None, :], (2, sub.size, 4))
    edge_hi = np.broadcast_to(np.roll(corners, -1, axis=0).T[:, None, :], (2, sub.size, 4))
    seg_lo = np.concatenate([seg_lo, edge_lo], axis=-1)
    seg_hi = np.concatenate([seg_hi, edge_hi], axis=-1)
    seg_ok = np.concatenate([seg_ok, np.repeat(square[:, None], 4, axis=1)], axis=-1)
    seg = np.stack([np.moveaxis(seg_lo, 0, -1), np.moveaxis(seg_hi, 0, -1)], axis=-2)  # (m_sub, P, 2, 2)
    # The same segment can come from two regimes (e.g. an edge that is also a singular line).
    for p in range(1, seg.shape[1]):
        for q in range(p):
            same = np.all(np.abs(seg[:, p] - seg[:, q]) <= tol, axis=(-2, -1)) | np.all(
                np.abs(seg[:, p, ::-1] - seg[:, q]) <= tol, axis=(-2, -1)
            )
            seg_ok[:, p] &= ~(same & seg_ok[:, q])
    n_seg = seg_ok.sum(axis=1)
    order = np.argsort(~seg_ok, axis=1, kind="stable")
    seg = np.take_along_axis(seg, order[:, :, None, None], axis=1)
    seg = np.where(np.take_along_axis(seg_ok, order, axis=1)[:, :, None, None], seg, np.nan)
    segments = np.full((m, int(n_seg.max(initial=0)), 2, 2), np.nan)
    segments[sub] = seg[:, : segments.shape[1]]
    continuum[sub] = n_seg > 0
    return c, count, continuum, segments
