"""Batched linear complementarity problems (LCP) with box bounds: :func:`solve`, :func:`enumerate_solutions`.

Find ``z`` with ``lower <= z <= upper`` and ``w = M z + q`` complementary to the bounds
(``w_i >= 0`` at the lower bound, ``w_i <= 0`` at the upper bound, ``w_i = 0`` in between).
``docs/lcp.md`` explains the problem, its box form, the algorithms (block principal pivoting
with Murty's fallback, then Lemke's algorithm) and the certificate behind every status.

Examples
--------
A two-ally spill-in game (derived example): ``c = (1, 1)``, ``θ = 0.5``, ``w/p = (3, 0.5)``.
Ally 2's best response ``(0.5 - 0.5 * 1.5) / 2`` is negative, so it contributes nothing.

>>> import numpy as np
>>> from burden.lcp import solve
>>> c, theta = np.array([1.0, 1.0]), np.array([[0.0, 0.5], [0.5, 0.0]])
>>> M = np.eye(2) + c[:, None] * (np.eye(2) + theta)
>>> sol = solve(M, [-3.0, -0.5])
>>> sol.z, sol.w, sol.status, sol.p_matrix
(array([1.5, 0. ]), array([0.  , 0.25]), array(0, dtype=int8), array(True))

A batch of problems with bounds ``[0, 1]``:

>>> sol = solve(np.eye(2), [[-3.0, -0.5], [1.0, -2.0]], upper=1.0)
>>> sol.z
array([[1. , 0.5],
       [0. , 1. ]])
"""

from __future__ import annotations

import itertools
import numbers
import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._numba import kernel_threads
from burden._results import Result, result_class
from burden._status import Status, status_dtype
from burden._validation import as_float_array, check_square, format_index, workers_iv
from burden._warnings import NotPMatrixWarning

__all__ = [
    "LCPSolution",
    "LCPSolutionSet",
    "enumerate_solutions",
    "is_p_matrix",
    "solve",
]

_LOWER, _FREE, _UPPER = 0, 1, 2
_DEFAULT_TOL = 1e-9  # relative natural residual accepted as a solution
_ENUM_BYTES = 2**26  # memory for one chunk of complementary bases in `enumerate_solutions`


@result_class
class LCPSolution(Result):
    """Solution of a batch of (box) linear complementarity problems.

    Attributes
    ----------
    z : ndarray, shape (..., n)
        The solution; NaN where the status is a failure.
    w : ndarray, shape (..., n)
        ``M z + q``; NaN where the status is a failure.
    status : ndarray of int8, shape (...)
        A :class:`burden.Status` code (``docs/status.md``):
        ``SUCCESS`` (0): ``z`` is certified (``residual <= tol``); it is the unique solution
        where ``p_matrix`` is True.
        ``NOT_UNIQUE`` (1): ``z`` is certified, but ``M`` is shown not to be a P-matrix, or
        was not proven one and needed Lemke's algorithm, so other solutions may exist (use
        :func:`enumerate_solutions`).
        ``NOT_CONVERGED`` (-1): principal pivoting reached ``max_iter`` and Lemke's algorithm
        found no solution (a secondary ray, or ``max_iter`` again).
        ``NOT_CERTIFIED`` (-3): a candidate was found but its residual exceeds ``tol``.
        ``SINGULAR`` (-4): principal pivoting met a singular ``M_FF`` (so ``M`` is not a
        P-matrix) and Lemke's algorithm found no solution.
        ``NOT_FINITE`` (-5): a row of ``M`` has absolute values summing beyond
        floating-point range (entries near ``1.8e308``); nothing was attempted.
    iterations : ndarray of int, shape (...)
        Pivoting steps: linear solves of principal pivoting plus Lemke's tableau pivots.
    residual : ndarray, shape (...)
        Relative natural residual of the returned ``z`` (``docs/lcp.md``): with ``s_i`` the
        absolute sum of row ``i`` of ``M``,
        ``max_i |z_i - clip(z_i - w_i / s_i, lower_i, upper_i)| / max(max_i |z_i|, max_i |q_i| / s_i)``;
        scale-free (unchanged when ``M`` and ``q`` are multiplied by the same number or a
        row of both by a positive number). NaN where the status is a failure.
    p_matrix : ndarray of bool, shape (...)
        True where ``M`` was proven to be a P-matrix (positive diagonal and strict row or
        column diagonal dominance; symmetric positive definite; all principal minors for
        ``n <= 4``). False means "not proven"; see :func:`is_p_matrix` for an exact test.
    """

    _core_dims = ("variable",)

    z: NDArray[np.float64]
    w: NDArray[np.float64]
    status: NDArray[np.int8]
    iterations: NDArray[np.int_]
    residual: NDArray[np.float64]
    p_matrix: NDArray[np.bool_]


@result_class
class LCPSolutionSet(Result):
    """All solutions of a batch of small (box) LCPs.

    Attributes
    ----------
    z : ndarray, shape (..., K, n)
        The solutions of each problem in the order of the complementary bases that
        produced them (each variable at lower < free < upper, first variable slowest),
        padded with NaN to ``K = max(count)``.
    w : ndarray, shape (..., K, n)
        ``M z + q`` for each solution, NaN-padded likewise.
    count : ndarray of int, shape (...)
        Number of distinct solutions.
    complete : ndarray of bool, shape (...)
        True where every principal submatrix was nonsingular, so the list is the whole
        (finite) solution set. False where some basis could not be evaluated: the problem
        may also have continua of solutions that are not listed.
    status : ndarray of int8, shape (...)
        ``SUCCESS`` where the list is complete and has one solution, ``NOT_UNIQUE`` where it
        has several or may be incomplete, ``INFEASIBLE`` where no solution was found.
    """

    _core_dims = ("solution", "variable")

    z: NDArray[np.float64]
    w: NDArray[np.float64]
    count: NDArray[np.int_]
    complete: NDArray[np.bool_]
    status: NDArray[np.int8]


def _real_array(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """``value`` as a float64 array, without the pass of :func:`as_float_array` over every
    entry for non-finite values (6 % of a solve of `10**4` games with n = 30): the kernel
    sees them in its row sums, and :func:`solve` then raises the same error."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf":
        return as_float_array(arr, name)  # raises the TypeError
    return arr.astype(np.float64, copy=False)


def _lcp_iv(
    M: ArrayLike,
    q: ArrayLike,
    lower: ArrayLike,
    upper: ArrayLike,
    *,
    finite_M: bool = True,
    shared_bounds: bool = False,
) -> tuple[NDArray, NDArray, NDArray, NDArray, tuple[int, ...]]:
    """Validate and broadcast; return flat ``(B, n, n)``, three ``(B, n)`` arrays and the batch shape.

    ``finite_M=False`` leaves the finiteness of ``M`` to the caller; with ``shared_bounds``,
    a bound without batch axes is returned with shape ``(1, n)`` (not copied ``B`` times).
    """
    M = check_square(as_float_array(M, "M") if finite_M else _real_array(M, "M"), "M")
    q = as_float_array(q, "q")
    lower = as_float_array(lower, "lower")
    upper = as_float_array(upper, "upper", finite=False)
    n = M.shape[-1]
    if n == 0:
        raise ValueError("`M` must have at least one row; got shape " + str(M.shape))
    if q.ndim == 0 or q.shape[-1] != n:
        raise ValueError(f"`q` must have shape (..., n) with n = {n} from `M` {M.shape}; got {q.shape}")
    try:
        vec_shape = np.broadcast_shapes(M.shape[:-1], q.shape, lower.shape, upper.shape)
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast: `M` {M.shape} (batch {M.shape[:-2]}), `q` {q.shape}, "
            f"`lower` {lower.shape}, `upper` {upper.shape}"
        ) from None
    if vec_shape[-1] != n:
        raise ValueError(
            f"`lower` and `upper` must broadcast to (..., {n}); got {lower.shape}, {upper.shape}"
        )
    lo, up = np.broadcast_arrays(lower, upper)
    bad = lo > up
    if bad.any():
        index = tuple(np.argwhere(bad)[0]) if bad.ndim else ()
        raise ValueError(
            f"`lower` must be <= `upper`; lower{format_index(index)} = {lo[index].item()!r} > "
            f"upper{format_index(index)} = {up[index].item()!r}"
        )
    batch = vec_shape[:-1]

    def read_only(x: NDArray) -> NDArray:
        # A read-only view: the kernels never write their inputs, every call has the same
        # argument types (one compiled version), and numba does not query the writeable flag of
        # a caller's `np.broadcast_arrays` output (a FutureWarning in numpy 2).
        view = np.ascontiguousarray(x).view()
        view.flags.writeable = False
        return view

    def flat(x: NDArray, shared: bool = False) -> NDArray:
        shape = (1, n) if shared and x.ndim <= 1 else vec_shape
        return read_only(np.broadcast_to(x, shape).reshape(-1, n))

    # C-contiguous flat arrays (no copy when the input already has the full shape)
    return (
        read_only(np.broadcast_to(M, (*batch, n, n)).reshape(-1, n, n)),
        flat(q),
        flat(lower, shared_bounds),
        flat(upper, shared_bounds),
        batch,
    )


def _solve_masked(A: NDArray, b: NDArray) -> tuple[NDArray, NDArray[np.bool_]]:
    """Solve a stack of systems ``A x = b``; return ``x`` (NaN where singular) and the ok mask.

    ``np.linalg.solve`` raises for the whole stack if one matrix is singular, so on failure
    we locate the singular ones with ``slogdet`` and solve the rest.
    """
    try:
        x = np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        ok = np.linalg.slogdet(A)[0] != 0
        x = np.full(b.shape, np.nan)
        if ok.any():
            x[ok] = np.linalg.solve(A[ok], b[ok][..., None])[..., 0]
    ok = np.isfinite(x).all(axis=-1)
    return x, ok


def is_p_matrix(M: ArrayLike, *, max_n: int = 10) -> NDArray[np.bool_]:
    """Test whether matrices are P-matrices (all principal minors positive).

    Parameters
    ----------
    M : array_like, shape (..., n, n)
        Real matrices, finite.
    max_n : int, optional
        Largest ``n`` accepted (the test evaluates ``2**n - 1`` determinants per matrix).

    Returns
    -------
    ndarray of bool, shape (...)
        True where every principal minor is positive (computed in floating point).

    Examples
    --------
    >>> import numpy as np
    >>> is_p_matrix([[[1.0, 2.0], [0.0, 1.0]], [[1.0, 2.0], [1.0, 1.0]]])
    array([ True, False])
    """
    M = check_square(as_float_array(M, "M"), "M")
    n = M.shape[-1]
    if n > max_n:
        raise ValueError(f"`M` has n = {n} > `max_n` = {max_n}; the exact test needs 2**n determinants")
    out = np.empty(M.shape[:-2], dtype=bool)
    _kernel().principal_minors_positive(np.ascontiguousarray(M.reshape(-1, n, n)), out.reshape(-1))
    return out


def _tol_iv(tol: float | None) -> float:
    if tol is None:
        return _DEFAULT_TOL
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real):
        raise TypeError(f"`tol` must be a real number; got {type(tol).__name__} {tol!r}")
    if not 0.0 < tol < 1.0:
        raise ValueError(f"`tol` must be a relative tolerance with 0 < tol < 1; got {tol!r}")
    return float(tol)


def _max_iter_iv(max_iter: int | None, n: int) -> tuple[int, int]:
    """Step budgets of principal pivoting and of Lemke's algorithm."""
    if max_iter is None:
        return 2 * n + 10, 10 * n + 100
    if isinstance(max_iter, (bool, np.bool_)) or not isinstance(max_iter, (int, np.integer)):
        raise TypeError(f"`max_iter` must be an integer; got {type(max_iter).__name__} {max_iter!r}")
    if max_iter < 0:
        raise ValueError(f"`max_iter` must be a non-negative integer; got {max_iter!r}")
    return int(max_iter), int(max_iter)


def solve(
    M: ArrayLike,
    q: ArrayLike,
    *,
    lower: ArrayLike = 0.0,
    upper: ArrayLike = np.inf,
    max_iter: int | None = None,
    tol: float | None = None,
    workers: int = 1,
) -> LCPSolution:
    """Solve a batch of (box) linear complementarity problems.

    Finds ``z`` with ``lower <= z <= upper`` and ``w = M z + q`` complementary to the
    bounds: ``w_i >= 0`` where ``z_i = lower_i``, ``w_i <= 0`` where ``z_i = upper_i``,
    ``w_i = 0`` in between.  With the defaults this is the standard LCP
    ``z >= 0, w >= 0, z·w = 0``.

    Parameters
    ----------
    M : array_like, shape (..., n, n)
        Matrices; finite.
    q : array_like, shape (..., n)
        Vectors; finite.
    lower : array_like, optional
        Lower bounds, finite, broadcastable to ``(..., n)``. Default 0.
    upper : array_like, optional
        Upper bounds, broadcastable to ``(..., n)``, ``>= lower`` (equal bounds fix the
        variable); ``np.inf`` allowed. Default ``np.inf``.
    max_iter : int, optional
        Steps allowed per problem to each method (principal pivoting, then Lemke's
        algorithm). Default: ``2 * n + 10`` pivoting steps (P-matrices need fewer in
        practice; Lemke's algorithm takes over where they do not suffice) and
        ``10 * n + 100`` Lemke pivots.
    tol : float, optional
        Relative tolerance, ``0 < tol < 1``: a ``z`` is certified when its relative natural
        residual (``residual``, scale-free: see :class:`LCPSolution`) is ``<= tol``; the sign
        tests during pivoting use ``1e-3 * tol`` on the same scale. Default ``1e-9``.
    workers : int, optional
        Threads for the compiled kernel (``-1``: all CPUs), for this call only; the result
        is bit-identical for every value. Default 1.

    Returns
    -------
    LCPSolution
        ``z``, ``w`` of shape ``batch + (n,)``; ``status``, ``iterations``,
        ``residual``, ``p_matrix`` of shape ``batch``, where ``batch`` is the broadcast
        of the batch shapes of all arguments. See :class:`LCPSolution` for the statuses.

    Warns
    -----
    NotPMatrixWarning
        If some problem is solved but perhaps not uniquely (``NOT_UNIQUE``) or not solved
        on a matrix not proven to be a P-matrix.

    Notes
    -----
    Each problem is normalised by row and solved by block principal pivoting (Júdice &
    Pires 1994) with Murty's (1974) least-index fallback, which is finite and exact for
    every P-matrix. Where that cannot certify an answer (off the P-matrix class), Lemke's
    (1965) algorithm with the lexicographic ratio test takes over; it solves every problem
    whose matrix is copositive-plus (e.g. nonnegative with a positive diagonal) and that is
    feasible. Every returned ``z`` is certified by its residual. One compiled kernel,
    parallel over problems; ``docs/lcp.md`` has the details.

    Examples
    --------
    >>> import numpy as np
    >>> sol = solve([[2.0, 1.0], [1.0, 2.0]], [-1.0, 1.0])
    >>> sol.z, sol.w
    (array([0.5, 0. ]), array([0. , 1.5]))

    The answer does not depend on the scale of the data:

    >>> solve(1e-12 * np.array([[2.0, 1.0], [1.0, 2.0]]), [-1e-12, 1e-12]).z
    array([0.5, 0. ])
    """
    M_flat, q_flat, lo, up, batch = _lcp_iv(M, q, lower, upper, finite_M=False, shared_bounds=True)
    B, n = q_flat.shape
    pivot_iter, lemke_iter = _max_iter_iv(max_iter, n)
    tol = _tol_iv(tol)
    workers = workers_iv(workers)

    z = np.empty((B, n))
    w = np.empty((B, n))
    status = np.empty(B, dtype=status_dtype)
    iterations = np.empty(B, dtype=np.int64)
    residual = np.empty(B)
    p_matrix = np.empty(B, dtype=bool)
    outputs = (z, w, status, iterations, residual, p_matrix)
    with kernel_threads(workers) as threads:
        kernel = _kernel()
        chunk = kernel.chunk_size(B, threads)
        kernel.solve_batch(M_flat, q_flat, lo, up, (pivot_iter, lemke_iter, tol), chunk, *outputs)

    not_finite = status == Status.NOT_FINITE
    if not_finite.any():
        as_float_array(M, "M")  # raises, naming the first non-finite entry, unless none is
    not_unique = status == Status.NOT_UNIQUE
    warn = not_unique | ((status < 0) & ~p_matrix & ~not_finite)
    if warn.any():
        warnings.warn(
            f"{int(warn.sum())} of {warn.size} LCP matrices are not P-matrices (or not proven ones): "
            f"{int(not_unique.sum())} solved but perhaps not uniquely, {int((status < 0).sum())} not "
            "solved; see `status` and `enumerate_solutions`",
            NotPMatrixWarning,
            stacklevel=2,
        )
    return LCPSolution(
        z=z.reshape(*batch, n),
        w=w.reshape(*batch, n),
        status=status.reshape(batch),
        iterations=iterations.reshape(batch),
        residual=residual.reshape(batch),
        p_matrix=p_matrix.reshape(batch),
    )


def enumerate_solutions(
    M: ArrayLike,
    q: ArrayLike,
    *,
    lower: ArrayLike = 0.0,
    upper: ArrayLike = np.inf,
    max_n: int = 10,
) -> LCPSolutionSet:
    """List all solutions of small (box) LCPs by checking every complementary basis.

    Each variable is put at its lower bound, at its upper bound (only where some upper
    bound is finite) or free, the free variables solve ``M_FF z_F = -(q_F + M_FB z_B)``,
    and the pattern is kept if the result satisfies all the conditions of :func:`solve`
    to the same relative tolerance (``1e-9``, on the row-normalised problem, so the list
    does not depend on the scale of ``M`` and ``q``). That is ``2**n`` patterns for the
    standard LCP and ``3**n`` with finite upper bounds, all checked for the whole batch at
    once. Solutions reached from several patterns (degenerate ones, with ``z_i`` at a bound
    and ``w_i = 0``) are listed once.

    Parameters
    ----------
    M, q, lower, upper
        As in :func:`solve`.
    max_n : int, optional
        Largest ``n`` accepted. Default 10.

    Returns
    -------
    LCPSolutionSet
        ``z`` and ``w`` of shape ``batch + (K, n)`` (NaN-padded), ``count``, ``complete``
        and ``status`` of shape ``batch``.

    Examples
    --------
    A matrix that is not a P-matrix: the LCP has three solutions (derived example).

    >>> import numpy as np
    >>> sols = enumerate_solutions([[1.0, 2.0], [2.0, 1.0]], [-1.0, -1.0])
    >>> sols.count
    array(3)
    >>> sols.z
    array([[0.    , 1.    ],
           [1.    , 0.    ],
           [0.3333, 0.3333]])
    """
    M_flat, q_flat, lo, up, batch = _lcp_iv(M, q, lower, upper)
    B, n = q_flat.shape
    if n > max_n:
        raise ValueError(f"`M` has n = {n} > `max_n` = {max_n}; enumeration checks up to 3**n bases")
    # Row-normalised problem (as in `solve`): w / s is in the units of z.
    s, zeta_q = np.empty((B, n)), np.empty(B)
    _kernel().scale_rows(M_flat, q_flat, s, zeta_q)
    Mt, qt = M_flat / s[..., None], q_flat / s
    states = (_LOWER, _FREE, _UPPER) if np.isfinite(up).any() else (_LOWER, _FREE)
    patterns = np.array(list(itertools.product(states, repeat=n)), dtype=np.int8)  # (P, n)
    chunk = max(1, _ENUM_BYTES // (8 * n * n * max(B, 1)))
    eye = np.eye(n)
    lo_, up_, fixed = lo[:, None], up[:, None], (lo == up)[:, None]
    found_z, found_w, complete = [], [], np.ones(B, dtype=bool)
    for start in range(0, len(patterns), chunk):
        pat = patterns[start : start + chunk][None]  # (1, P', n)
        free = pat == _FREE
        z_bound = np.where(pat == _UPPER, up_, lo_)  # (B, P', n)
        # A pattern putting an infinite upper bound to use cannot give a finite solution.
        usable = np.isfinite(z_bound).all(-1)
        A = np.where(free[..., None], Mt[:, None], eye)
        z, ok = _solve_masked(A, np.where(free, -qt[:, None], np.where(usable[..., None], z_bound, 0.0)))
        complete &= (ok | ~usable).all(-1)
        z = np.where(ok[..., None], z, 0.0)
        wt = (Mt[:, None] @ z[..., None])[..., 0] + qt[:, None]
        zeta = np.maximum(np.abs(z).max(-1), zeta_q[:, None])
        tol = (_DEFAULT_TOL * zeta)[..., None]
        fits = np.where(
            free,
            (z >= lo_ - tol) & (z <= up_ + tol) & (np.abs(wt) <= tol),
            fixed | np.where(pat == _LOWER, wt >= -tol, wt <= tol),
        ).all(-1)
        fits &= ok & usable
        z = np.clip(z, lo_, up_)
        w = (M_flat[:, None] @ z[..., None])[..., 0] + q_flat[:, None]
        found_z.append(np.where(fits[..., None], z, np.nan))
        found_w.append(np.where(fits[..., None], w, np.nan))
    z_all = np.concatenate(found_z, axis=1)  # (B, P, n), NaN rows where the pattern fails
    w_all = np.concatenate(found_w, axis=1)
    z_out, w_out, count = _distinct(z_all, w_all)
    K = z_out.shape[1]
    status = np.where(
        count == 0,
        np.where(complete, Status.INFEASIBLE, Status.SINGULAR),
        np.where((count == 1) & complete, Status.SUCCESS, Status.NOT_UNIQUE),
    ).astype(status_dtype)
    return LCPSolutionSet(
        z=z_out.reshape(*batch, K, n),
        w=w_out.reshape(*batch, K, n),
        count=count.reshape(batch),
        complete=complete.reshape(batch),
        status=status.reshape(batch),
    )


def _distinct(z: NDArray, w: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Drop NaN rows and near-duplicates (first occurrence kept) from ``(B, P, n)`` stacks."""
    valid = ~np.isnan(z[..., 0])
    # Compact the valid rows to the front, keeping their order.
    order = np.argsort(~valid, axis=1, kind="stable")
    width = int(valid.sum(1).max(initial=0))
    order = order[:, :width]
    z = np.take_along_axis(z, order[..., None], axis=1)
    w = np.take_along_axis(w, order[..., None], axis=1)
    valid = np.take_along_axis(valid, order, axis=1)
    # Duplicates: equal up to a tolerance relative to the problem's largest solution.
    scale = np.nan_to_num(np.abs(z)).max((-2, -1), initial=0.0)[:, None, None]
    close = np.abs(z[:, :, None, :] - z[:, None, :, :]).max(-1) <= 1e-8 * scale  # (B, K, K)
    earlier = np.tril(np.ones((width, width), dtype=bool), k=-1)
    duplicate = (close & earlier & valid[:, None, :]).any(-1)
    valid &= ~duplicate
    order = np.argsort(~valid, axis=1, kind="stable")
    count = valid.sum(1)
    width = int(count.max(initial=0))
    order = order[:, :width]
    keep = np.take_along_axis(valid, order, axis=1)[..., None]
    z = np.where(keep, np.take_along_axis(z, order[..., None], axis=1), np.nan)
    w = np.where(keep, np.take_along_axis(w, order[..., None], axis=1), np.nan)
    return z, w, count


def _kernel():
    """The compiled kernels' module, imported on first use: importing numba costs `import burden`
    about half a second."""
    import burden._lcp_kernel

    return burden._lcp_kernel
