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

__all__ = ["chunk_size", "principal_minors_positive", "row_scales", "scale_rows", "solve_batch"]

_SUCCESS = int(Status.SUCCESS)
_NOT_UNIQUE = int(Status.NOT_UNIQUE)
_NOT_CONVERGED = int(Status.NOT_CONVERGED)
_NOT_CERTIFIED = int(Status.NOT_CERTIFIED)
_SINGULAR = int(Status.SINGULAR)
_NOT_FINITE = int(Status.NOT_FINITE)

_LOWER, _FREE, _UPPER = 0, 1, 2
_BLOCK_BUDGET = 3  # block steps allowed without progress before the least-index rule
_REL_PIVOT_TOL = 1e-3  # sign tests during pivoting, as a fraction of the certificate tolerance
_EXACT_P_CHECK_N = 4  # all principal minors are tested up to this size
_LEMKE_PIVOT_TOL = 1e-9  # tableau entries at most this are treated as nonpositive (data <= 1)
_LEMKE_TIE_TOL = 1e-13  # relative tolerance for a tie in the ratio test
_POLISH_STEPS = 3  # principal pivoting steps from Lemke's final basis
_GUESS_SWEEPS = 4  # most projected Gauss-Seidel sweeps that guess the free set (symmetric M)
_CHUNK = 64  # instances per parallel task of `principal_minors_positive`
_TASKS_PER_THREAD = 8  # parallel tasks per thread in `solve_batch`

# Reassociation lets LLVM vectorise the dot products of the factorisations and of ``M z``
# (otherwise bound by the latency of one addition after another). The order of operations
# still depends only on ``n``, so every instance is computed the same way on every thread;
# no flag assumes finite values, so the NaN/inf checks stay.
_ALLOC = {**KERNEL, "fastmath": {"reassoc", "contract"}}
# Functions that allocate nothing run without numba's reference counting: its atomic
# increments and decrements on every array passed to a call took half the time of small
# instances. The pieces of the common path are inlined (``inline="always"``): a call passes
# every array as several machine words, which cost a third of an n = 5 game.
_FAST = {**_ALLOC, "_nrt": False}
_PARALLEL_FAST = {**PARALLEL_KERNEL, "fastmath": {"reassoc", "contract"}}


@numba.njit(**_FAST, inline="always")
def row_scales(M, q, s):
    """Fill ``s`` with the row scales of one instance; return ``max |q_i / s_i|`` over nonzero rows.

    ``s_i`` is the absolute row sum of ``M``; a zero row gets ``|q_i|`` (or 1), so that its
    normalised ``q_i`` is ``±1`` (or 0) whatever the scale, and it does not enter the scale.
    NaN if a row sum is not finite (a non-finite entry, or beyond floating-point range).
    """
    n = q.shape[0]
    zeta_q = 0.0
    finite = True
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += abs(M[i, j])
        finite &= total < np.inf
        if total > 0.0:
            s[i] = total
            zeta_q = max(zeta_q, abs(q[i]) / total)
        else:
            s[i] = abs(q[i]) if q[i] != 0.0 else 1.0
    return zeta_q if finite else np.nan


@numba.njit(**_FAST)
def _lu_eliminate(A, rhs, k):
    """Gaussian elimination with partial pivoting of ``A[:k, :k]`` in place, applied to ``rhs``.

    Leaves ``U`` in the upper triangle (``L`` is applied to ``rhs`` as it is built, not
    kept) and returns the sign of ``det A`` (0 if a pivot column is exactly zero).
    """
    sign = 1.0
    for c in range(k):
        p = c
        for r in range(c + 1, k):
            if abs(A[r, c]) > abs(A[p, c]):
                p = r
        if A[p, c] == 0.0:
            return 0.0
        if p != c:
            sign = -sign
            for j in range(c, k):
                A[c, j], A[p, j] = A[p, j], A[c, j]
            rhs[c], rhs[p] = rhs[p], rhs[c]
        if A[c, c] < 0.0:
            sign = -sign
        for r in range(c + 1, k):
            f = A[r, c] / A[c, c]
            if f != 0.0:
                for j in range(c + 1, k):
                    A[r, j] -= f * A[c, j]
                rhs[r] -= f * rhs[c]
    return sign


@numba.njit(**_FAST)
def _all_minors_positive(M, rs, A, index, work):
    """True if all ``2**n - 1`` principal minors of ``M`` are positive (``A``: n x n scratch).

    Computed on ``diag(rs) M`` (positive row scales ``rs`` keep every minor's sign), so
    that no determinant overflows or underflows whatever the scale of ``M``; ``index`` (n
    integers) and ``work`` (n) are scratch.
    """
    n = M.shape[0]
    for mask in range(1, 2**n):
        k = 0
        for i in range(n):
            if (mask >> i) & 1:
                index[k] = i
                k += 1
        for a in range(k):
            for b in range(k):
                A[a, b] = M[index[a], index[b]] * rs[index[a]]
        if not _lu_eliminate(A, work, k) > 0.0:
            return False
    return True


@numba.njit(**_PARALLEL_FAST)
def principal_minors_positive(M, out):
    """``out[b]`` = all principal minors of ``M[b]`` positive, for a ``(B, n, n)`` stack."""
    B, n = M.shape[0], M.shape[1]
    for t in numba.prange((B + _CHUNK - 1) // _CHUNK):
        A, rs, zero, work = np.empty((n, n)), np.empty(n), np.zeros(n), np.empty(n)
        index = np.empty(n, dtype=np.int64)
        for b in range(t * _CHUNK, min(B, (t + 1) * _CHUNK)):
            row_scales(M[b], zero, rs)
            for i in range(n):
                rs[i] = 1.0 / rs[i]
            out[b] = _all_minors_positive(M[b], rs, A, index, work)


@numba.njit(**_FAST)
def _p_tests(M, rs, A, t, index):
    """Cheap tests on one matrix: ``(proven a P-matrix, proven not one)``.

    Scale-free: minors are taken of the row-normalised ``diag(rs) M`` (same signs); ``A``
    (n x n), ``t`` (n) and ``index`` (n) are scratch. (Symmetric matrices with a positive
    diagonal are factorised by the caller instead.)
    """
    n = M.shape[0]
    if n <= _EXACT_P_CHECK_N:
        exact = _all_minors_positive(M, rs, A, index, t)
        return exact, not exact
    # Necessary conditions: positive 1x1 and 2x2 principal minors.
    for i in range(n):
        if M[i, i] <= 0.0:
            return False, True
        for j in range(i):
            if (M[i, i] * rs[i]) * (M[j, j] * rs[j]) - (M[i, j] * rs[i]) * (M[j, i] * rs[j]) <= 0.0:
                return False, True
    # Sufficient: strict row or column diagonal dominance with a positive diagonal.
    rows = True
    cols = True
    for i in range(n):
        off_row = 0.0
        off_col = 0.0
        for j in range(n):
            if j != i:
                off_row += abs(M[i, j])
                off_col += abs(M[j, i])
        rows = rows and M[i, i] > off_row
        cols = cols and M[i, i] > off_col
    return rows or cols, False


@numba.njit(**_FAST, inline="always")
def _matvec(M, q, z, w):
    n = q.shape[0]
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += M[i, j] * z[j]
        w[i] = acc + q[i]


@numba.njit(**_FAST, inline="always")
def _ldl_factor(A, k, t):
    """``A = L D L'`` for symmetric ``A[:k, :k]`` (unit ``L`` below, ``D`` on the diagonal).

    False unless every pivot of ``D`` is positive, i.e. unless ``A`` is positive definite.
    Square-root free (Cholesky's square roots would round exact data, e.g. 3 / 2). By
    columns, so the entries of a column are independent dot products: ``t[:j]`` holds
    ``L[j, :j] * D[:j]``. Four rows share each pass over ``t`` (short dot products one at a
    time cost more in loop overhead and reductions than in arithmetic: 1.5x the time at
    ``k = 30``).
    """
    for j in range(k):
        d = A[j, j]
        for p in range(j):
            t[p] = A[j, p] * A[p, p]
            d -= t[p] * A[j, p]
        if not d > 0.0:
            return False
        A[j, j] = d
        inv = 1.0 / d
        i = j + 1
        while i + 3 < k:
            # the upper triangle still holds A (symmetric), read along a row
            v0, v1, v2, v3 = A[j, i], A[j, i + 1], A[j, i + 2], A[j, i + 3]
            for p in range(j):
                v0 -= A[i, p] * t[p]
                v1 -= A[i + 1, p] * t[p]
                v2 -= A[i + 2, p] * t[p]
                v3 -= A[i + 3, p] * t[p]
            A[i, j], A[i + 1, j], A[i + 2, j], A[i + 3, j] = v0 * inv, v1 * inv, v2 * inv, v3 * inv
            i += 4
        for r in range(i, k):
            v = A[j, r]
            for p in range(j):
                v -= A[r, p] * t[p]
            A[r, j] = v * inv
    return True


@numba.njit(**_FAST, inline="always")
def _ldl_substitute(L, rhs, k):
    """Solve ``L D L' x = rhs`` in place (the factor of :func:`_ldl_factor`)."""
    for i in range(k):
        v = rhs[i]
        for p in range(i):
            v -= L[i, p] * rhs[p]
        rhs[i] = v
    for i in range(k):
        rhs[i] /= L[i, i]
    for i in range(k - 1, -1, -1):  # L' x = D^-1 y, by rows of L (contiguous)
        x = rhs[i]
        for p in range(i):
            rhs[p] -= L[i, p] * x


@numba.njit(**_FAST, inline="always")
def _lu_solve(A, rhs, k):
    """Solve ``A x = rhs`` in place (LU with partial pivoting of ``A[:k, :k]``); False if singular."""
    if _lu_eliminate(A, rhs, k) == 0.0:
        return False
    for c in range(k - 1, -1, -1):
        acc = rhs[c]
        for j in range(c + 1, k):
            acc -= A[c, j] * rhs[j]
        rhs[c] = acc / A[c, c]
    return True


@numba.njit(**_FAST, inline="always")
def _load_free(M, index, k, A):
    for a in range(k):
        for b in range(k):
            A[a, b] = M[index[a], index[b]]


@numba.njit(**_FAST, inline="always")
def _nonzero(z, nz):
    """Indices of the nonzero entries of ``z`` into ``nz``; return their number."""
    count = 0
    for j in range(z.shape[0]):
        if z[j] != 0.0:
            nz[count] = j
            count += 1
    return count


@numba.njit(**_FAST, inline="always")
def _free_rhs(M, q, z, free, k, nz, count, rhs):
    """``rhs[a] = -(q_i + sum_c M[i, nz_c] z[nz_c])`` for ``i = free[a]``, ``a < k``.

    Only the ``count`` nonzero bound values ``nz`` enter (none in a standard LCP).
    """
    for a in range(k):
        i = free[a]
        acc = q[i]
        for c in range(count):
            acc += M[i, nz[c]] * z[nz[c]]
        rhs[a] = -acc


@numba.njit(**_FAST)
def _solve_free(M, q, z, state, symmetric, A, rhs, index, nz):
    """Solve ``M_FF z_F = -(q_F + M_FB z_B)`` for the free set ``F``; False if singular.

    A compiled factorisation of the ``|F| x |F|`` block per call: ``L D L'`` where ``M`` is
    symmetric and the block positive definite (half the work of LU), LU otherwise.
    """
    n = q.shape[0]
    k = 0
    nb = 0
    for i in range(n):
        if state[i] == _FREE:
            index[k] = i
            k += 1
        elif z[i] != 0.0:
            nz[nb] = i
            nb += 1
    if k == 0:
        return True
    _free_rhs(M, q, z, index, k, nz, nb, rhs)
    solved = False
    _load_free(M, index, k, A)
    if symmetric:
        for a in range(k):
            rhs[n + a] = rhs[a]  # keep the right-hand side in case L D L' fails
        solved = _ldl_factor(A, k, rhs[2 * n :])
        if solved:
            _ldl_substitute(A, rhs, k)
        else:
            _load_free(M, index, k, A)
            for a in range(k):
                rhs[a] = rhs[n + a]
    if not solved and not _lu_solve(A, rhs, k):
        return False
    for a in range(k):
        if not np.isfinite(rhs[a]):
            return False
        z[index[a]] = rhs[a]
    return True


@numba.njit(**_FAST, inline="always")
def _bound_w(M, q, z, state, w, nz):
    """``w = M z + q`` on the rows of bound variables (the pivoting tests need no other)."""
    count = _nonzero(z, nz)
    for i in range(q.shape[0]):
        if state[i] != _FREE:
            acc = q[i]
            for b in range(count):
                acc += M[i, nz[b]] * z[nz[b]]
            w[i] = acc


@numba.njit(**_FAST)
def _pivot(
    M,
    q,
    rs,
    lo,
    up,
    zeta_q,
    max_iter,
    tol,
    symmetric,
    z,
    w,
    state,
    A,
    rhs,
    nz,
    index,
    bad,
    target,
):
    """Block principal pivoting with the least-index fallback from the given ``state``.

    Sign tests use ``w_i * rs_i`` (``rs``: reciprocal row scales), a quantity in the units of
    ``z``. Returns ``(status, linear solves)``: SUCCESS when no variable is inconsistent with
    its state (before certification), NOT_CONVERGED at the step limit, SINGULAR on a
    singular ``M_FF``. ``z`` and ``w`` hold the last iterate.
    """
    n = q.shape[0]
    best = n + 1
    budget = _BLOCK_BUDGET
    solves = 0
    for i in range(n):
        z[i] = up[i] if state[i] == _UPPER else lo[i]
        if state[i] == _FREE:
            solves = 1  # a start with free variables (Lemke's basis) costs one solve
    if not _solve_free(M, q, z, state, symmetric, A, rhs, index, nz):
        return _SINGULAR, solves
    _bound_w(M, q, z, state, w, nz)
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
            wi = w[i] * rs[i]
            if state[i] == _FREE:
                if z[i] < lo[i] - ptol:
                    bad[i], target[i] = True, _LOWER
                elif z[i] > up[i] + ptol:
                    bad[i], target[i] = True, _UPPER
            elif (state[i] == _LOWER and wi < -ptol) or (state[i] == _UPPER and wi > ptol):
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
        if not _solve_free(M, q, z, state, symmetric, A, rhs, index, nz):
            return _SINGULAR, solves
        _bound_w(M, q, z, state, w, nz)
    return _NOT_CONVERGED, solves


@numba.njit(**_FAST, inline="always")
def _certify(M, q, rs, lo, up, zeta_q, candidate, z, w):
    """Set ``z`` to ``candidate`` clipped into the box and ``w = M z + q``; return the relative
    natural residual.

    ``max_i |z_i - clip(z_i - w_i / s_i, lo_i, up_i)| / max(max |z|, max |q_i / s_i|)``.
    """
    n = q.shape[0]
    zeta = zeta_q
    for i in range(n):
        z[i] = min(max(candidate[i], lo[i]), up[i])
        zeta = max(zeta, abs(z[i]))
    _matvec(M, q, z, w)
    worst = 0.0
    for i in range(n):
        step = min(max(z[i] - w[i] * rs[i], lo[i]), up[i])
        worst = max(worst, abs(z[i] - step))
    if worst == 0.0:
        return 0.0
    return worst / zeta if zeta > 0.0 else np.inf


@numba.njit(**_FAST)
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


@numba.njit(**_FAST)
def _min_ratio_rows(T, col, test, rows, count, tie):
    """Keep in ``rows[:count]`` those with the least ``T[i, test] / T[i, col]`` (within ``tie``)."""
    best = np.inf
    kept = 0
    for k in range(count):
        i = rows[k]
        ratio = T[i, test] / T[i, col]
        if ratio < best - tie:
            best = ratio
            kept = 0
        elif ratio > best + tie:
            continue
        rows[kept] = i
        kept += 1
    return kept


@numba.njit(**_FAST)
def _lex_ratio_row(T, col, rows, tie):
    """Lexicographic minimum-ratio test on column ``col``; -1 if no entry is positive (a ray).

    Ties in ``rhs / T[:, col]`` (within ``tie``) are broken by the rows of the basis inverse
    (the tableau's first ``N`` columns), which keeps Lemke's path finite under degeneracy.
    """
    N = T.shape[0]
    count = 0
    for i in range(N):
        if T[i, col] > _LEMKE_PIVOT_TOL:
            rows[count] = i
            count += 1
    count = _min_ratio_rows(T, col, T.shape[1] - 1, rows, count, tie)
    for j in range(N):
        if count <= 1:
            break
        count = _min_ratio_rows(T, col, j, rows, count, _LEMKE_TIE_TOL)
    return rows[0] if count > 0 else -1


@numba.njit(**_FAST)
def _lemke(M, q, rs, lo, up, max_iter, state, tableau, basis, rows):
    """Lemke's algorithm (covering vector of ones) on the box LCP as a standard LCP.

    With ``x = z - lo``, one multiplier ``v_k`` per finite upper bound and ``y = up - z``, the
    box LCP is the standard LCP in ``(x, v)`` with matrix ``[[Mt, E], [-E', 0]]`` and vector
    ``(qt + Mt lo, up - lo)``, where ``Mt = diag(rs) M`` and ``qt = diag(rs) q`` are the
    row-normalised data. On success ``state`` receives the complementary basis (free
    where ``x_i`` is basic, upper where ``v_i`` is); returns ``(found, pivots)``.
    ``tableau`` (2n x (4n + 2)), ``basis`` and ``rows`` (2n) are scratch.
    """
    n = q.shape[0]
    m = 0
    for i in range(n):
        if np.isfinite(up[i]):
            m += 1
    N = n + m
    T = tableau[:N, : 2 * N + 2]
    for i in range(N):
        for j in range(2 * N + 2):
            T[i, j] = 0.0
    last = 2 * N + 1
    k = 0
    scale = 0.0
    for i in range(N):
        T[i, i] = 1.0
        T[i, 2 * N] = -1.0
        basis[i] = i
    for i in range(n):
        acc = q[i]
        for j in range(n):
            T[i, N + j] = -M[i, j] * rs[i]
            acc += M[i, j] * lo[j]
        T[i, last] = acc * rs[i]
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


@numba.njit(**_FAST, inline="always")
def _is_symmetric(M):
    n = M.shape[0]
    for i in range(n):
        for j in range(i):
            if M[i, j] != M[j, i]:
                return False
    return True


@numba.njit(**_FAST, inline="always")
def _guess_state(M, q, lo, up, z, w, d, state, perm):
    """Guess the final states of a symmetric ``M`` with a positive diagonal; return ``|F|``.

    Up to ``_GUESS_SWEEPS`` sweeps of projected Gauss-Seidel from ``z = lo`` (fewer once a
    sweep after the first moves no variable between a bound and the interior), which
    converges for a positive definite ``M`` (``docs/lcp.md``): a variable strictly inside its
    box, or at a bound that ``w`` pushes it away from, is guessed free. ``state`` receives the guess and
    ``perm`` the variables guessed free (first ``|F|`` entries), then the others. Only a
    guess: pivoting checks it. ``w = M z + q`` is updated by the column of ``M`` (its row, by
    symmetry) as ``z_i`` moves; ``z``, ``w`` and ``d`` (n) are scratch.
    """
    n = q.shape[0]
    for i in range(n):
        z[i] = lo[i]
        w[i] = q[i]
        d[i] = 1.0 / M[i, i]
    for j in range(n):
        if z[j] != 0.0:
            for i in range(n):
                w[i] += M[j, i] * z[j]
    for sweep in range(_GUESS_SWEEPS):
        changed = False  # has a variable moved between a bound and the interior?
        for i in range(n):
            # Without a branch on ``step != 0``, which is unpredictable and costs more than
            # the update it would skip.
            zi = z[i]
            z[i] = min(max(zi - w[i] * d[i], lo[i]), up[i])
            changed |= (zi > lo[i]) != (z[i] > lo[i])
            changed |= (zi < up[i]) != (z[i] < up[i])
            step = z[i] - zi
            for j in range(n):
                w[j] += step * M[i, j]
        if sweep > 0 and not changed:
            break
    k = 0
    last = n - 1
    for i in range(n):
        if lo[i] == up[i] or (z[i] == lo[i] and not w[i] < 0.0):
            state[i] = _LOWER
        elif z[i] == up[i] and not w[i] > 0.0:
            state[i] = _UPPER
        else:
            state[i] = _FREE
        free = state[i] == _FREE
        perm[k if free else last] = i
        k += free
        last -= not free
    return k


@numba.njit(**_FAST, inline="always")
def _gather(M, perm, L):
    """``L = M[perm][:, perm]``."""
    n = M.shape[0]
    for a in range(n):
        i = perm[a]
        for b in range(n):
            L[a, b] = M[i, perm[b]]


@numba.njit(**_FAST, inline="always")
def _guessed_step(M, q, lo, up, zeta_q, tol, L, k, perm, state, z, rhs, nz):
    """Solve for the guessed free variables; return the sign tolerance, or -1 if one is off.

    ``L`` is the factor of ``M[perm][:, perm]`` and the ``k`` guessed free variables come
    first in ``perm``, so the leading block of ``L`` solves for them. ``z`` receives the
    iterate; a free variable outside its box (beyond the tolerance of :func:`_pivot`) fails.
    """
    n = q.shape[0]
    for i in range(n):
        z[i] = up[i] if state[i] == _UPPER else lo[i]
    count = 0
    for a in range(k, n):
        if z[perm[a]] != 0.0:
            nz[count] = perm[a]
            count += 1
    _free_rhs(M, q, z, perm, k, nz, count, rhs)
    _ldl_substitute(L, rhs, k)
    # The scale leaves out the bound values (unlike :func:`_pivot`): a smaller tolerance can
    # only send a right guess on to pivoting, never accept a wrong one.
    zeta = zeta_q
    for a in range(k):
        if not np.isfinite(rhs[a]):
            return -1.0
        z[perm[a]] = rhs[a]
        zeta = max(zeta, abs(rhs[a]))
    ptol = tol * _REL_PIVOT_TOL * zeta
    for a in range(k):
        i = perm[a]
        if z[i] < lo[i] - ptol or z[i] > up[i] + ptol:
            return -1.0
    return ptol


@numba.njit(**_FAST, inline="always")
def _bound_signs_ok(rs, lo, up, state, w, ptol):
    """True if no bound variable's ``w_i`` has the wrong sign (the tests of :func:`_pivot`)."""
    ok = True
    for i in range(lo.shape[0]):
        wi = w[i] * rs[i]
        wrong = (state[i] == _LOWER and wi < -ptol) or (state[i] == _UPPER and wi > ptol)
        ok &= lo[i] == up[i] or not wrong
    return ok


@numba.njit(**_FAST, inline="always")
def _positive_diagonal(M):
    for i in range(M.shape[0]):
        if not M[i, i] > 0.0:
            return False
    return True


@numba.njit(**_FAST, inline="always")
def _solve_one(M, q, lo, up, pivot_iter, lemke_iter, tol, z, w, scratch):
    """Solve one box LCP into ``z``, ``w``; return ``(status, iterations, residual, p_matrix)``.

    ``scratch`` (see :func:`_scratch`) is overwritten before use.
    """
    L, A, rs, zt, wt, rhs, state, target, index, nz, bad, tableau, basis, rows, perm = scratch
    n = q.shape[0]
    zeta_q = row_scales(M, q, rs)
    if not zeta_q >= 0.0:
        for i in range(n):
            z[i] = np.nan
            w[i] = np.nan
        return _NOT_FINITE, 0, np.nan, False
    for i in range(n):
        rs[i] = 1.0 / rs[i]
    symmetric = _is_symmetric(M)
    start = 0  # linear solves before principal pivoting starts
    if symmetric and n > _EXACT_P_CHECK_N and _positive_diagonal(M):
        # Symmetric: M is a P-matrix exactly when L D L' succeeds, in any order of the
        # variables. Ordered with the variables guessed free first, the leading block of that
        # factor solves the first pivoting step, so a good guess costs one factorisation.
        k = _guess_state(M, q, lo, up, zt, wt, rhs, state, perm)
        _gather(M, perm, L)
        is_p = _ldl_factor(L, n, rhs)
        not_p = not is_p
        if is_p:
            start = 1
            # The certificate's w = M z + q gives the sign tests of the bound variables.
            ptol = _guessed_step(M, q, lo, up, zeta_q, tol, L, k, perm, state, zt, rhs, nz)
            if ptol >= 0.0:
                residual = _certify(M, q, rs, lo, up, zeta_q, zt, z, w)
                if residual <= tol and _bound_signs_ok(rs, lo, up, state, w, ptol):
                    return _SUCCESS, start, residual, True
    else:
        is_p, not_p = _p_tests(M, rs, A, rhs, index)
    if not is_p or start == 0:
        for i in range(n):
            state[i] = _LOWER

    # Pivoting from every variable at its lower bound, or from a wrong guess (with ``start``
    # counting the step that tested it).
    args = (M, q, rs, lo, up, zeta_q)
    work = (zt, wt, state, A, rhs, nz, index, bad, target)
    status, iterations = _pivot(*args, pivot_iter, tol, symmetric, *work)
    iterations += start
    if status == _SUCCESS:
        residual = _certify(M, q, rs, lo, up, zeta_q, zt, z, w)
        if residual <= tol:
            return (_NOT_UNIQUE if not_p else _SUCCESS), iterations, residual, is_p
        status = _NOT_CERTIFIED

    # Principal pivoting can fail off the P-matrix class: Lemke's algorithm is complete for
    # wider classes (e.g. copositive-plus matrices). Its basis is polished by pivoting.
    found, pivots = _lemke(M, q, rs, lo, up, lemke_iter, state, tableau, basis, rows)
    iterations += pivots
    if found:
        polish, solves = _pivot(*args, _POLISH_STEPS, tol, symmetric, *work)
        iterations += solves
        if polish == _SUCCESS:
            residual = _certify(M, q, rs, lo, up, zeta_q, zt, z, w)
            if residual <= tol:
                return (_SUCCESS if is_p else _NOT_UNIQUE), iterations, residual, is_p
        status = _NOT_CERTIFIED
    for i in range(n):
        z[i] = np.nan
        w[i] = np.nan
    return status, iterations, np.nan, is_p


@numba.njit(**_ALLOC)
def _scratch(n):
    """Work arrays of one thread: ``L, A`` (n x n), ``rs, zt, wt`` (n), ``rhs`` (4n), ``state,
    target`` (int8), ``index, nz`` (int64), ``bad`` (bool), Lemke's ``tableau`` (2n x (4n + 2)),
    ``basis, rows`` (2n, int64), ``perm`` (n, int64)."""
    return (
        np.empty((n, n)),
        np.empty((n, n)),
        np.empty(n),
        np.empty(n),
        np.empty(n),
        np.empty(4 * n),
        np.empty(n, dtype=np.int8),
        np.empty(n, dtype=np.int8),
        np.empty(n, dtype=np.int64),
        np.empty(n, dtype=np.int64),
        np.empty(n, dtype=np.bool_),
        np.empty((2 * n, 4 * n + 2)),
        np.empty(2 * n, dtype=np.int64),
        np.empty(2 * n, dtype=np.int64),
        np.empty(n, dtype=np.int64),
    )


def chunk_size(B: int, threads: int) -> int:
    """Instances per parallel task of :func:`solve_batch`: a few large tasks per thread.

    The work arrays of a task cost about as much to allocate as solving a hundred small
    instances (n = 5). Each instance is solved alone, so the split cannot change a result.
    """
    return max(64, -(-B // (_TASKS_PER_THREAD * threads)))


@numba.njit(**_FAST)
def _solve_range(M, q, lo, up, start, stop, options, z, w, status, iterations, residual, p_matrix, scratch):
    """Solve instances ``start`` to ``stop - 1`` of the flat batch into the outputs.

    Without numba's reference counting (``_FAST``), the views of one instance cost nothing;
    in the parallel caller each would take atomic reference-count updates, which cost more
    than solving a small instance.
    """
    pivot_iter, lemke_iter, tol = options
    for b in range(start, stop):
        lob, upb = lo[b if lo.shape[0] > 1 else 0], up[b if up.shape[0] > 1 else 0]
        st, it, r, p = _solve_one(M[b], q[b], lob, upb, pivot_iter, lemke_iter, tol, z[b], w[b], scratch)
        status[b] = st
        iterations[b] = it
        residual[b] = r
        p_matrix[b] = p


@numba.njit(**_PARALLEL_FAST)
def solve_batch(M, q, lo, up, options, chunk, z, w, status, iterations, residual, p_matrix):
    """Solve the flat batch ``(B, n, n)``, ``(B, n)`` x 3 into the preallocated outputs.

    ``lo`` and ``up`` may have a single row, shared by every instance. ``options`` is
    ``(pivot_iter, lemke_iter, tol)``; one parallel task per ``chunk`` instances
    (:func:`chunk_size`). ``status`` is ``NOT_FINITE`` where a row of ``M`` has a non-finite
    absolute sum.
    """
    B, n = q.shape
    for t in numba.prange(-(-B // chunk)):
        start, stop = t * chunk, min(B, (t + 1) * chunk)
        outputs = (z, w, status, iterations, residual, p_matrix)
        _solve_range(M, q, lo, up, start, stop, options, *outputs, _scratch(n))


@numba.njit(**_PARALLEL_FAST)
def scale_rows(M, q, s, zeta_q):
    """Row scales ``s`` (B, n) and ``zeta_q`` (B,) of a flat batch (see :func:`row_scales`)."""
    for b in numba.prange(q.shape[0]):
        zeta_q[b] = row_scales(M[b], q[b], s[b])
