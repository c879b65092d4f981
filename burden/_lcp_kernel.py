"""Compiled kernel of :mod:`burden.lcp`: principal pivoting, then Lemke, one instance per thread.

``docs/lcp.md`` derives every step. Each instance is first normalised by row (``M_i·`` and
``q_i`` divided by the row's absolute sum, which keeps the solutions and makes ``w`` a
quantity in the units of ``z``), so every tolerance below is relative to the scale of the
instance. Private: imports nothing public.
"""

from __future__ import annotations

import numba
import numpy as np

from burden._numba import KERNEL, PARALLEL_KERNEL
from burden._status import Status

__all__ = ["principal_minors_positive", "row_scales", "scale_rows", "solve_batch"]

_SUCCESS = int(Status.SUCCESS)
_NOT_UNIQUE = int(Status.NOT_UNIQUE)
_NOT_CONVERGED = int(Status.NOT_CONVERGED)
_NOT_CERTIFIED = int(Status.NOT_CERTIFIED)
_SINGULAR = int(Status.SINGULAR)

_LOWER, _FREE, _UPPER = 0, 1, 2
_BLOCK_BUDGET = 3  # block steps allowed without progress before the least-index rule
_REL_PIVOT_TOL = 1e-3  # sign tests during pivoting, as a fraction of the certificate tolerance
_EXACT_P_CHECK_N = 4  # all principal minors are tested up to this size
_LEMKE_PIVOT_TOL = 1e-9  # tableau entries at most this are treated as nonpositive (data <= 1)
_LEMKE_TIE_TOL = 1e-13  # relative tolerance for a tie in the ratio test
_POLISH_STEPS = 3  # principal pivoting steps from Lemke's final basis
_CHUNK = 64  # instances per parallel task (fixed: results do not depend on the thread count)


@numba.njit(**KERNEL)
def row_scales(M, q, s):
    """Fill ``s`` with the row scales of one instance; return ``max |q_i / s_i|`` over nonzero rows.

    ``s_i`` is the absolute row sum of ``M``; a zero row gets ``|q_i|`` (or 1), so that its
    normalised ``q_i`` is ``±1`` (or 0) whatever the scale, and it does not enter the scale.
    """
    n = q.shape[0]
    zeta_q = 0.0
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += abs(M[i, j])
        if total > 0.0:
            s[i] = total
            zeta_q = max(zeta_q, abs(q[i]) / total)
        else:
            s[i] = abs(q[i]) if q[i] != 0.0 else 1.0
    return zeta_q


@numba.njit(**KERNEL)
def _det_sign_positive(A, k):
    """True if ``det A[:k, :k] > 0`` (Gaussian elimination with partial pivoting, in place)."""
    sign = 1.0
    for c in range(k):
        p = c
        for r in range(c + 1, k):
            if abs(A[r, c]) > abs(A[p, c]):
                p = r
        if A[p, c] == 0.0:
            return False
        if p != c:
            sign = -sign
            for j in range(k):
                A[c, j], A[p, j] = A[p, j], A[c, j]
        if A[c, c] < 0.0:
            sign = -sign
        for r in range(c + 1, k):
            f = A[r, c] / A[c, c]
            for j in range(c + 1, k):
                A[r, j] -= f * A[c, j]
    return sign > 0.0


@numba.njit(**KERNEL)
def _all_minors_positive(M, A):
    """True if all ``2**n - 1`` principal minors of ``M`` are positive (``A``: n x n scratch)."""
    n = M.shape[0]
    index = np.empty(n, dtype=np.int64)
    for mask in range(1, 2**n):
        k = 0
        for i in range(n):
            if (mask >> i) & 1:
                index[k] = i
                k += 1
        for a in range(k):
            for b in range(k):
                A[a, b] = M[index[a], index[b]]
        if not _det_sign_positive(A, k):
            return False
    return True


@numba.njit(**PARALLEL_KERNEL)
def principal_minors_positive(M, out):
    """``out[b]`` = all principal minors of ``M[b]`` positive, for a ``(B, n, n)`` stack."""
    B, n = M.shape[0], M.shape[1]
    for t in numba.prange((B + _CHUNK - 1) // _CHUNK):
        A = np.empty((n, n))
        for b in range(t * _CHUNK, min(B, (t + 1) * _CHUNK)):
            out[b] = _all_minors_positive(M[b], A)


@numba.njit(**KERNEL)
def _p_tests(M, A):
    """Cheap tests on one matrix: ``(proven a P-matrix, proven not a P-matrix)``."""
    n = M.shape[0]
    if n <= _EXACT_P_CHECK_N:
        exact = _all_minors_positive(M, A)
        return exact, not exact
    # Necessary conditions: positive 1x1 and 2x2 principal minors.
    for i in range(n):
        if M[i, i] <= 0.0:
            return False, True
        for j in range(i):
            if M[i, i] * M[j, j] - M[i, j] * M[j, i] <= 0.0:
                return False, True
    # Sufficient: strict row or column diagonal dominance with a positive diagonal.
    rows = True
    cols = True
    symmetric = True
    for i in range(n):
        off_row = 0.0
        off_col = 0.0
        for j in range(n):
            if j != i:
                off_row += abs(M[i, j])
                off_col += abs(M[j, i])
                symmetric = symmetric and M[i, j] == M[j, i]
        rows = rows and M[i, i] > off_row
        cols = cols and M[i, i] > off_col
    if rows or cols:
        return True, False
    if not symmetric:
        return False, False
    # A symmetric matrix is a P-matrix exactly when it is positive definite (Cholesky).
    for j in range(n):
        d = M[j, j]
        for k in range(j):
            d -= A[j, k] * A[j, k]
        if d <= 0.0:
            return False, True
        A[j, j] = np.sqrt(d)
        for i in range(j + 1, n):
            v = M[i, j]
            for k in range(j):
                v -= A[i, k] * A[j, k]
            A[i, j] = v / A[j, j]
    return True, False


@numba.njit(**KERNEL)
def _matvec(Mt, qt, z, w):
    n = qt.shape[0]
    for i in range(n):
        acc = qt[i]
        for j in range(n):
            acc += Mt[i, j] * z[j]
        w[i] = acc


@numba.njit(**KERNEL)
def _solve_free(Mt, qt, z, state, A, rhs, index):
    """Solve ``Mt_FF z_F = -(qt_F + Mt_FB z_B)`` for the free set ``F``; False if singular.

    One LU factorisation with partial pivoting of the ``|F| x |F|`` block, applied to the
    right-hand side as it is built (one solve per factorisation, so ``L`` is not kept).
    """
    n = qt.shape[0]
    k = 0
    for i in range(n):
        if state[i] == _FREE:
            index[k] = i
            k += 1
    for a in range(k):
        i = index[a]
        acc = qt[i]
        for j in range(n):
            if state[j] != _FREE:
                acc += Mt[i, j] * z[j]
        rhs[a] = -acc
        for b in range(k):
            A[a, b] = Mt[i, index[b]]
    for c in range(k):
        p = c
        for r in range(c + 1, k):
            if abs(A[r, c]) > abs(A[p, c]):
                p = r
        if A[p, c] == 0.0:
            return False
        if p != c:
            for j in range(c, k):
                A[c, j], A[p, j] = A[p, j], A[c, j]
            rhs[c], rhs[p] = rhs[p], rhs[c]
        for r in range(c + 1, k):
            f = A[r, c] / A[c, c]
            if f != 0.0:
                for j in range(c + 1, k):
                    A[r, j] -= f * A[c, j]
                rhs[r] -= f * rhs[c]
    for c in range(k - 1, -1, -1):
        acc = rhs[c]
        for j in range(c + 1, k):
            acc -= A[c, j] * rhs[j]
        rhs[c] = acc / A[c, c]
        if not np.isfinite(rhs[c]):
            return False
    for a in range(k):
        z[index[a]] = rhs[a]
    return True


@numba.njit(**KERNEL)
def _pivot(Mt, qt, lo, up, zeta_q, max_iter, tol, z, w, state, A, rhs, index, bad, target):
    """Block principal pivoting with the least-index fallback from the given ``state``.

    Returns ``(status, linear solves)``: SUCCESS when no variable is inconsistent with its
    state (before certification), NOT_CONVERGED at the step limit, SINGULAR on a singular
    ``Mt_FF``. ``z`` and ``w`` hold the last iterate.
    """
    n = qt.shape[0]
    best = n + 1
    budget = _BLOCK_BUDGET
    solves = 0
    for i in range(n):
        z[i] = up[i] if state[i] == _UPPER else lo[i]
        if state[i] == _FREE:
            solves = 1  # a start with free variables (Lemke's basis) costs one solve
    if not _solve_free(Mt, qt, z, state, A, rhs, index):
        return _SINGULAR, solves
    _matvec(Mt, qt, z, w)
    for step in range(max_iter + 1):
        zeta = zeta_q
        for i in range(n):
            zeta = max(zeta, abs(z[i]))
        ptol = tol * _REL_PIVOT_TOL * zeta
        count = 0
        first = -1
        for i in range(n):
            bad[i] = False
            if lo[i] == up[i]:
                continue  # a fixed variable is complementary whatever the sign of w
            if state[i] == _FREE:
                if z[i] < lo[i] - ptol:
                    bad[i], target[i] = True, _LOWER
                elif z[i] > up[i] + ptol:
                    bad[i], target[i] = True, _UPPER
            elif (state[i] == _LOWER and w[i] < -ptol) or (state[i] == _UPPER and w[i] > ptol):
                bad[i], target[i] = True, _FREE
            if bad[i]:
                count += 1
                if first < 0:
                    first = i
        if count == 0:
            return _SUCCESS, solves
        if step == max_iter:
            return _NOT_CONVERGED, solves
        # Júdice-Pires: switch every inconsistent variable while their number keeps falling or
        # the budget lasts; otherwise only the least-index one (Murty), which cannot cycle on P.
        progress = count < best
        block = progress or budget > 0
        best = min(best, count)
        budget = _BLOCK_BUDGET if progress else max(budget - 1, 0)
        for i in range(n):
            if bad[i] and (block or i == first):
                state[i] = target[i]
                if target[i] != _FREE:
                    z[i] = up[i] if target[i] == _UPPER else lo[i]
        solves += 1
        if not _solve_free(Mt, qt, z, state, A, rhs, index):
            return _SINGULAR, solves
        _matvec(Mt, qt, z, w)
    return _NOT_CONVERGED, solves


@numba.njit(**KERNEL)
def _certify(M, q, s, lo, up, zeta_q, z, w):
    """Clip ``z`` into the box, set ``w = M z + q``; return the relative natural residual.

    ``max_i |z_i - clip(z_i - w_i / s_i, lo_i, up_i)| / max(max |z|, max |q_i / s_i|)``.
    """
    n = q.shape[0]
    zeta = zeta_q
    for i in range(n):
        z[i] = min(max(z[i], lo[i]), up[i])
        zeta = max(zeta, abs(z[i]))
    _matvec(M, q, z, w)
    worst = 0.0
    for i in range(n):
        step = min(max(z[i] - w[i] / s[i], lo[i]), up[i])
        worst = max(worst, abs(z[i] - step))
    if worst == 0.0:
        return 0.0
    return worst / zeta if zeta > 0.0 else np.inf


@numba.njit(**KERNEL)
def _tableau_pivot(T, row, col):
    inv = 1.0 / T[row, col]
    width = T.shape[1]
    for j in range(width):
        T[row, j] *= inv
    T[row, col] = 1.0
    for i in range(T.shape[0]):
        f = T[i, col]
        if i != row and f != 0.0:
            for j in range(width):
                T[i, j] -= f * T[row, j]
            T[i, col] = 0.0


@numba.njit(**KERNEL)
def _lex_ratio_row(T, col, rows, tie):
    """Lexicographic minimum-ratio test on column ``col``; -1 if no entry is positive (a ray).

    Ties in ``rhs / T[:, col]`` (within ``tie``) are broken by the rows of the basis inverse
    (the tableau's first ``N`` columns), which keeps Lemke's path finite under degeneracy.
    """
    N = T.shape[0]
    count = 0
    best = np.inf
    last = T.shape[1] - 1
    for i in range(N):
        if T[i, col] <= _LEMKE_PIVOT_TOL:
            continue
        ratio = T[i, last] / T[i, col]
        if ratio < best - tie:
            best = ratio
            count = 0
        elif ratio > best + tie:
            continue
        rows[count] = i
        count += 1
    for j in range(N):
        if count <= 1:
            break
        best = np.inf
        kept = 0
        for k in range(count):
            i = rows[k]
            ratio = T[i, j] / T[i, col]
            if ratio < best - _LEMKE_TIE_TOL:
                best = ratio
                kept = 0
            elif ratio > best + _LEMKE_TIE_TOL:
                continue
            rows[kept] = i
            kept += 1
        count = kept
    return rows[0] if count > 0 else -1


@numba.njit(**KERNEL)
def _lemke(Mt, qt, lo, up, max_iter, state):
    """Lemke's algorithm (covering vector of ones) on the box LCP as a standard LCP.

    With ``x = z - lo``, one multiplier ``v_k`` per finite upper bound and ``y = up - z``, the
    box LCP is the standard LCP in ``(x, v)`` with matrix ``[[Mt, E], [-E', 0]]`` and vector
    ``(qt + Mt lo, up - lo)``. On success ``state`` receives the complementary basis (free
    where ``x_i`` is basic, upper where ``v_i`` is); returns ``(found, pivots)``.
    """
    n = qt.shape[0]
    m = 0
    for i in range(n):
        if np.isfinite(up[i]):
            m += 1
    N = n + m
    T = np.zeros((N, 2 * N + 2))
    basis = np.empty(N, dtype=np.int64)
    rows = np.empty(N, dtype=np.int64)
    last = 2 * N + 1
    k = 0
    scale = 0.0
    for i in range(N):
        T[i, i] = 1.0
        T[i, 2 * N] = -1.0
        basis[i] = i
    for i in range(n):
        acc = qt[i]
        for j in range(n):
            T[i, N + j] = -Mt[i, j]
            acc += Mt[i, j] * lo[j]
        T[i, last] = acc
        if np.isfinite(up[i]):
            T[i, N + n + k] = -1.0  # w = s - v: the row of x_i gains +v_k
            T[n + k, N + i] = 1.0  # y_k = (up - lo)_i - x_i
            T[n + k, last] = up[i] - lo[i]
            k += 1
    row = 0
    for i in range(N):
        scale = max(scale, abs(T[i, last]))
        if T[i, last] < T[row, last]:
            row = i
    pivots = 0
    if T[row, last] >= 0.0:
        found = True  # x = 0 solves it
    else:
        tie = _LEMKE_TIE_TOL * scale
        artificial = 2 * N
        col = artificial
        found = False
        while pivots < max_iter:
            if pivots > 0:
                row = _lex_ratio_row(T, col, rows, tie)
                if row < 0:
                    break  # secondary ray
                # Prefer the artificial variable on a tie, which ends the path at once.
                for r in range(N):
                    if basis[r] == artificial and T[r, col] > _LEMKE_PIVOT_TOL:
                        ratio_r = T[r, last] / T[r, col]
                        if abs(ratio_r - T[row, last] / T[row, col]) <= tie:
                            row = r
            _tableau_pivot(T, row, col)
            leaving = basis[row]
            basis[row] = col
            pivots += 1
            if leaving == artificial:
                found = True
                break
            col = leaving + N if leaving < N else leaving - N
    if found:
        for i in range(n):
            state[i] = _LOWER
        for r in range(N):
            v = basis[r] - N
            if 0 <= v < n and state[v] == _LOWER:
                state[v] = _FREE
        k = 0
        for i in range(n):
            if np.isfinite(up[i]):
                for r in range(N):
                    if basis[r] == N + n + k:
                        state[i] = _UPPER
                k += 1
    return found, pivots


@numba.njit(**KERNEL)
def _solve_one(M, q, lo, up, max_iter, tol, z, w, Mt, A, vectors, state, target, index, bad):
    """Solve one box LCP into ``z``, ``w``; return ``(status, iterations, residual, p_matrix)``.

    ``Mt``, ``A`` (n x n), ``vectors`` (5 x n), ``state``, ``target``, ``index``, ``bad`` (n)
    are scratch space, overwritten before use.
    """
    n = q.shape[0]
    s, qt, zt, wt, rhs = vectors[0], vectors[1], vectors[2], vectors[3], vectors[4]
    zeta_q = row_scales(M, q, s)
    for i in range(n):
        qt[i] = q[i] / s[i]
        for j in range(n):
            Mt[i, j] = M[i, j] / s[i]
    is_p, not_p = _p_tests(M, A)

    for i in range(n):
        state[i] = _LOWER
    status, iterations = _pivot(Mt, qt, lo, up, zeta_q, max_iter, tol, zt, wt, state, A, rhs, index, bad, target)
    if status == _SUCCESS:
        z[:] = zt
        residual = _certify(M, q, s, lo, up, zeta_q, z, w)
        if residual <= tol:
            return (_NOT_UNIQUE if not_p else _SUCCESS), iterations, residual, is_p
        status = _NOT_CERTIFIED

    # Principal pivoting can fail off the P-matrix class: Lemke's algorithm is complete for
    # wider classes (e.g. copositive-plus matrices). Its basis is polished by pivoting.
    found, pivots = _lemke(Mt, qt, lo, up, max_iter, state)
    iterations += pivots
    if found:
        polish, solves = _pivot(Mt, qt, lo, up, zeta_q, _POLISH_STEPS, tol, zt, wt, state, A, rhs, index, bad, target)
        iterations += solves
        if polish == _SUCCESS:
            z[:] = zt
            residual = _certify(M, q, s, lo, up, zeta_q, z, w)
            if residual <= tol:
                return (_SUCCESS if is_p else _NOT_UNIQUE), iterations, residual, is_p
        status = _NOT_CERTIFIED
    z[:] = np.nan
    w[:] = np.nan
    return status, iterations, np.nan, is_p


@numba.njit(**PARALLEL_KERNEL)
def solve_batch(M, q, lo, up, max_iter, tol, z, w, status, iterations, residual, p_matrix):
    """Solve the flat batch ``(B, n, n)``, ``(B, n)`` x 3 into the preallocated outputs."""
    B, n = q.shape
    for t in numba.prange((B + _CHUNK - 1) // _CHUNK):
        Mt, A, vectors = np.empty((n, n)), np.empty((n, n)), np.empty((5, n))
        state, target = np.empty(n, dtype=np.int8), np.empty(n, dtype=np.int8)
        index, bad = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.bool_)
        for b in range(t * _CHUNK, min(B, (t + 1) * _CHUNK)):
            st, it, res, p = _solve_one(
                M[b], q[b], lo[b], up[b], max_iter, tol, z[b], w[b], Mt, A, vectors, state, target, index, bad
            )
            status[b] = st
            iterations[b] = it
            residual[b] = res
            p_matrix[b] = p


@numba.njit(**PARALLEL_KERNEL)
def scale_rows(M, q, s, zeta_q):
    """Row scales ``s`` (B, n) and ``zeta_q`` (B,) of a flat batch (see :func:`row_scales`)."""
    for b in numba.prange(q.shape[0]):
        zeta_q[b] = row_scales(M[b], q[b], s[b])
