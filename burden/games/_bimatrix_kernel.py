"""Kernel: every Nash equilibrium of a batch of 2×2 bimatrix games, one game per iteration.

The closed form (best responses on the grid ``{0, p*, 1} × {0, q*, 1}``, components of
degenerate games by label propagation along equilibrium edges) is derived in
``docs/games.md``, "2×2 games in closed form". The kernel writes every output element once,
straight into the caller's arrays, in two passes (nondegenerate games, then the degenerate
ones); each game is computed from its own payoffs only, so the result is bit-identical for
every thread count.
"""

from __future__ import annotations

import numba
import numpy as np

from burden._numba import PARALLEL_KERNEL
from burden.games._results import K_2X2

__all__ = ["solve_2x2"]

# Candidate grid points (i, j) in output order; i indexes p in (0, p*, 1), j indexes q in
# (0, q*, 1). Pure profile (row action r, column action c) is (i, j) = (2 - 2r, 2 - 2c).
_CAND_I = np.array([2, 2, 0, 0, 2, 0, 1, 1, 1], dtype=np.int64)
_CAND_J = np.array([2, 0, 2, 0, 1, 1, 2, 0, 1], dtype=np.int64)
_NODE = np.empty((3, 3), dtype=np.int64)  # candidate index of grid point (i, j)
_NODE[_CAND_I, _CAND_J] = np.arange(9)
# Open intervals of the opponent's probability between grid indices (0, *), (*, 1), (0, 1).
_GAP_LO = np.array([0, 1, 0], dtype=np.int64)
_GAP_HI = np.array([1, 2, 2], dtype=np.int64)

# Lowest and highest set bit of a 4-bit mask of pure equilibria (0 for an empty mask).
_FIRST_BIT = np.array([0, 0, 1, 0, 2, 0, 1, 0, 3, 0, 1, 0, 2, 0, 1, 0], dtype=np.int64)
_LAST_BIT = np.array([0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3], dtype=np.int64)

_SUCCESS, _NOT_UNIQUE, _NOT_FINITE = 0, 1, -5  # burden.Status codes (kernels take plain ints)


@numba.njit(inline="always")
def _allowed(g, sign):
    """Grid index ``g`` (0: action 1, 1: mixed, 2: action 0) is a best response when the
    player's gain from action 0 has ``sign`` (a mixed strategy needs indifference)."""
    if g == 0:
        return sign <= 0
    if g == 1:
        return sign == 0
    return sign >= 0


@numba.njit(inline="always")
def _sign(x):
    return (x > 0) - (x < 0)


@numba.njit(inline="always")
def _interior(m0, m1, m2, m3):
    """Indifference probability ``d0 / (d0 - d1)`` with ``d0 = m0 - m1``, ``d1 = m2 - m3``
    of opposite signs, also when the differences overflow (then from quartered payoffs,
    whose differences and their sum stay below the largest float)."""
    d0 = m0 - m1
    den = d0 - (m2 - m3)
    if np.isfinite(den):
        return d0 / den
    q0 = 0.25 * m0 - 0.25 * m1
    return q0 / (q0 - (0.25 * m2 - 0.25 * m3))


@numba.njit(inline="always")
def _payoff(m, p, q, i, j):
    """``x @ M @ y`` for ``x = (p, 1 - p)``, ``y = (q, 1 - q)``; exact at pure profiles."""
    if i != 1 and j != 1:
        return m[2 * (i == 0) + (j == 0)]
    return p * (q * m[0] + (1 - q) * m[1]) + (1 - p) * (q * m[2] + (1 - q) * m[3])


@numba.njit(**PARALLEL_KERNEL)
def solve_2x2(A, B, tol, row, col, payoffs, count, component, degenerate, status):
    """Fill the outputs for flat games ``A``, ``B`` of shape ``(N, 4)`` (entries 00, 01, 10, 11).

    Outputs: ``row``, ``col``, ``payoffs`` ``(N, 4, 2)``; ``count`` ``(N,)``; ``component``
    ``(N, 4)``; ``degenerate`` ``(N,)``; ``status`` ``(N,)``. ``tol`` is the relative tie
    tolerance (0: exact ties only).
    """
    # Two passes: the nondegenerate games first, in a loop without the bulky degenerate
    # code (it slows the common path by a fifth even when never taken), then the degenerate
    # games flagged by the first pass.
    for g in numba.prange(A.shape[0]):
        a, b = A[g], B[g]
        sa0, sa1, sb0, sb1 = _gain_signs(a, b, tol)
        if sa0 == 0 or sa1 == 0 or sb0 == 0 or sb1 == 0:
            degenerate[g] = True
            continue
        slot, finite = _nondegenerate_game(a, b, sa0, sa1, sb0, sb1, g, row, col, payoffs, component)
        count[g] = slot
        degenerate[g] = False
        status[g] = _SUCCESS if finite else _NOT_FINITE
    for g in numba.prange(A.shape[0]):
        if degenerate[g]:
            a, b = A[g], B[g]
            sa0, sa1, sb0, sb1 = _gain_signs(a, b, tol)
            p_star = _interior(b[2], b[3], b[0], b[1]) if sb0 * sb1 < 0 else np.nan
            q_star = _interior(a[1], a[3], a[0], a[2]) if sa0 * sa1 < 0 else np.nan
            slot, finite = _degenerate_game(
                a, b, sa0, sa1, sb0, sb1, p_star, q_star, g, row, col, payoffs, component
            )
            count[g] = slot
            status[g] = _NOT_UNIQUE if finite else _NOT_FINITE


@numba.njit(inline="always")
def _gain_signs(a, b, tol):
    """Signs of the gains from action 0: the row player's against column's action 1 (q = 0)
    and 0 (q = 1); the column player's against row's action 1 (p = 0) and 0 (p = 1). With
    ``tol > 0`` a gain is 0 when ``|u - v| <= tol max(|u|, |v|)`` for the payoffs compared."""
    ga0 = a[1] - a[3]
    ga1 = a[0] - a[2]
    gb0 = b[2] - b[3]
    gb1 = b[0] - b[1]
    if tol > 0:
        ga0 = 0.0 if abs(ga0) <= tol * max(abs(a[1]), abs(a[3])) else ga0
        ga1 = 0.0 if abs(ga1) <= tol * max(abs(a[0]), abs(a[2])) else ga1
        gb0 = 0.0 if abs(gb0) <= tol * max(abs(b[2]), abs(b[3])) else gb0
        gb1 = 0.0 if abs(gb1) <= tol * max(abs(b[0]), abs(b[1])) else gb1
    return _sign(ga0), _sign(ga1), _sign(gb0), _sign(gb1)


@numba.njit(inline="always")
def _nondegenerate_game(a, b, sa0, sa1, sb0, sb1, g, row, col, payoffs, component):
    """Equilibria of one nondegenerate game (every gain sign nonzero), each output written once.

    Such a game has one pure equilibrium and no mixed one, or two pure ones and the mixed
    one, or the mixed one alone; in slot order the pure profiles (0, 0), (0, 1), (1, 0),
    (1, 1) come first, then the mixed one (docs/games.md). Each slot's value is chosen among
    candidates computed beforehand and written once: half the stores of filling every slot
    with NaN and writing each candidate profile over the next free one.
    Returns ``(count, finite)``.
    """
    # Bit k of `pure`: profile k = 2 r + c (row action r, column action c) is an equilibrium.
    pure = (
        int(sa1 > 0 and sb1 > 0)
        | int(sa0 > 0 and sb1 < 0) << 1
        | int(sa1 < 0 and sb0 > 0) << 2
        | int(sa0 < 0 and sb0 < 0) << 3
    )
    two = pure == 9 or pure == 6  # two pure equilibria, on a diagonal, and the mixed one
    # A player with a dominant action leaves one pure equilibrium and no mixed one; without
    # one, neither player has one and the mixed equilibrium exists.
    mixed = two or pure == 0
    p_star = _interior(b[2], b[3], b[0], b[1])
    q_star = _interior(a[1], a[3], a[0], a[2])
    u_star = _payoff(a, p_star, q_star, 1, 1)
    v_star = _payoff(b, p_star, q_star, 1, 1)
    first, last = _FIRST_BIT[pure], _LAST_BIT[pure]  # pure profiles of slots 0 and 1
    nan = np.nan
    # Slot 0: the first pure equilibrium, else the mixed one.
    p0 = 1.0 - (first >> 1) if pure else p_star
    q0 = 1.0 - (first & 1) if pure else q_star
    _put(p0, q0, a[first] if pure else u_star, b[first] if pure else v_star, g, 0, row, col, payoffs)
    # Slots 1 and 2: the second pure equilibrium and the mixed one, when there are two.
    p1 = 1.0 - (last >> 1) if two else nan
    q1 = 1.0 - (last & 1) if two else nan
    _put(p1, q1, a[last] if two else nan, b[last] if two else nan, g, 1, row, col, payoffs)
    p2, q2 = (p_star, q_star) if two else (nan, nan)
    _put(p2, q2, u_star if two else nan, v_star if two else nan, g, 2, row, col, payoffs)
    _put(nan, nan, nan, nan, g, 3, row, col, payoffs)
    count = 1 + 2 * two
    component[g, 0] = 0
    component[g, 1] = 1 if two else -1
    component[g, 2] = 2 if two else -1
    component[g, 3] = -1
    return count, not mixed or (np.isfinite(u_star) and np.isfinite(v_star))


@numba.njit(inline="always")
def _put(p, q, u, v, g, slot, row, col, payoffs):
    """Write profile ``(p, q)`` with payoffs ``(u, v)`` into ``slot`` of game ``g``."""
    row[g, slot, 0] = p
    row[g, slot, 1] = 1.0 - p
    col[g, slot, 0] = q
    col[g, slot, 1] = 1.0 - q
    payoffs[g, slot, 0] = u
    payoffs[g, slot, 1] = v


@numba.njit
def _degenerate_game(a, b, sa0, sa1, sb0, sb1, p_star, q_star, g, row, col, payoffs, component):
    """Equilibrium grid points of one degenerate game and their components; returns
    ``(count, finite)``. Candidates are tried in slot order (docs/games.md)."""
    has_p, has_q = not np.isnan(p_star), not np.isnan(q_star)
    # Row player's gain sign at q = 0, q*, 1 (indifferent at q*); column's at p likewise.
    sign_a = (sa0, 0, sa1)
    sign_b = (sb0, 0, sb1)
    grid_p = (0.0, p_star, 1.0)
    grid_q = (0.0, q_star, 1.0)
    valid = 0  # bit c: candidate c is an equilibrium
    slot = 0
    finite = True
    for c in range(9):
        i, j = _CAND_I[c], _CAND_J[c]
        if (i == 1 and not has_p) or (j == 1 and not has_q):
            continue
        if not (_allowed(i, sign_a[j]) and _allowed(j, sign_b[i])):
            continue
        valid |= 1 << c
        p, q = grid_p[i], grid_q[j]
        u = _payoff(a, p, q, i, j)
        v = _payoff(b, p, q, i, j)
        _put(p, q, u, v, g, slot, row, col, payoffs)
        finite = finite and np.isfinite(u) and np.isfinite(v)
        slot += 1
    for s in range(slot, K_2X2):
        _put(np.nan, np.nan, np.nan, np.nan, g, s, row, col, payoffs)
        component[g, s] = -1
    _label_components(valid, sign_a, sign_b, has_p, has_q, component[g])
    return slot, finite


@numba.njit(inline="always")
def _gap_sign(k, s0, s1, has_mid):
    """Sign of a gain on open interval ``k`` of the opponent's grid, and whether it exists:
    the endpoint sign on (0, *) and (*, 1) when the interior point exists, else the common
    sign of both ends on (0, 1)."""
    if k == 0:
        return s0, has_mid
    if k == 1:
        return s1, has_mid
    return _sign(s0 + s1), not has_mid


@numba.njit
def _label_components(valid, sign_a, sign_b, has_p, has_q, out):
    """Connected-component labels of the equilibrium points of one degenerate game.

    Two equilibrium grid points are connected when the open grid edge between them consists
    of equilibria; on an open edge a best response is constant, so one sign decides. Labels
    propagate as minima (each ends as the smallest candidate index, i.e. the first slot, of
    its component), then components are numbered in slot order into ``out``.
    """
    label = np.empty(9, dtype=np.int64)
    for c in range(9):
        label[c] = c if valid >> c & 1 else 9
    lo = np.empty(18, dtype=np.int64)
    hi = np.empty(18, dtype=np.int64)
    n_edges = 0
    for fixed in range(3):
        for k in range(3):
            # Along p at q index `fixed`: the row player is indifferent there.
            s, exists = _gap_sign(k, sign_b[0], sign_b[2], has_p)
            if exists and (fixed != 1 or has_q) and sign_a[fixed] == 0 and _allowed(fixed, s):
                lo[n_edges] = _NODE[_GAP_LO[k], fixed]
                hi[n_edges] = _NODE[_GAP_HI[k], fixed]
                n_edges += 1
            # Along q at p index `fixed`: the column player is indifferent there.
            s, exists = _gap_sign(k, sign_a[0], sign_a[2], has_q)
            if exists and (fixed != 1 or has_p) and sign_b[fixed] == 0 and _allowed(fixed, s):
                lo[n_edges] = _NODE[fixed, _GAP_LO[k]]
                hi[n_edges] = _NODE[fixed, _GAP_HI[k]]
                n_edges += 1
    for _ in range(8):  # a path through 9 points has at most 8 edges
        for e in range(n_edges):
            low = min(label[lo[e]], label[hi[e]])
            label[lo[e]] = low
            label[hi[e]] = low
    rank = np.empty(9, dtype=np.int64)
    roots = 0
    for c in range(9):
        rank[c] = roots
        roots += label[c] == c
    slot = 0
    for c in range(9):
        if valid >> c & 1:
            out[slot] = rank[label[c]]
            slot += 1
