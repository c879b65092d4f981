r"""Batched linear complementarity problems (LCP) with box bounds.

The linear complementarity problem LCP(M, q) asks for :math:`z \in \mathbb{R}^n` with

.. math::

    z \ge 0, \qquad w = M z + q \ge 0, \qquad z^\top w = 0 .

The *box* (or mixed) LCP replaces :math:`z \ge 0` by bounds :math:`\ell \le z \le u`
(:math:`\ell` finite, :math:`u` possibly :math:`+\infty`): for every component :math:`i`

* :math:`z_i = \ell_i` and :math:`w_i \ge 0`, or
* :math:`z_i = u_i` and :math:`w_i \le 0`, or
* :math:`\ell_i < z_i < u_i` and :math:`w_i = 0`,

equivalently :math:`z = \Pi_{[\ell, u]}(z - w)`, the first-order conditions of a box
constrained problem.  Both games of `burden` lead to one: the Nash equilibrium of the
spill-in public-goods model (``DESIGN.md`` §2.5: ``M = I + diag(c)(I + Θ)``,
``q = -w/p``, ``z >= 0``) and the n-ally commitment game (§3.3, bounds ``[0, 1]``).

**Existence and uniqueness.**  :math:`M` is a *P-matrix* if all its principal minors are
positive.  LCP(M, q) has exactly one solution for every :math:`q` if and only if
:math:`M` is a P-matrix (Samelson, Thrall & Wesler 1958; Cottle, Pang & Stone 1992,
Thm 3.3.7), and the box LCP then has exactly one solution for all bounds as well.
Symmetric positive definite matrices and matrices that are strictly diagonally dominant
with a positive diagonal are P-matrices; a P-matrix stays one after scaling its rows by
positive numbers, and the scaled problem ``(D M, D q)`` has the same solutions.

**Algorithm.**  Each variable is in one of three states -- at its lower bound, at its
upper bound, or free (:math:`w_i = 0`).  Given the states, the free variables solve the
linear system :math:`M_{FF} z_F = -(q_F + M_{FB} z_B)`; the variables whose state is
inconsistent with the result (a free :math:`z_i` outside its bounds, a bound variable with
:math:`w_i` of the wrong sign) switch state.  Switching all of them at once is the block
principal pivoting method of Júdice & Pires (1994), which is fast but may cycle; when the
number of inconsistent variables has not fallen for three block steps we switch only the
inconsistent variable of least index, which is Murty's (1974) Bard-type scheme and
terminates after finitely many steps for every P-matrix (the argument carries over to
box bounds because the principal pivot transforms of a P-matrix are P-matrices).  Every
returned ``z`` is certified by its *natural residual*
:math:`\max_i |z_i - \Pi_{[\ell_i, u_i]}(z_i - w_i)|` (for the standard LCP this is
:math:`\max_i |\min(z_i, w_i)|`), computed from the returned ``z`` itself.

:func:`enumerate_solutions` lists all solutions of small problems by checking every
complementary basis (:math:`2^n` patterns, or :math:`3^n` with finite upper bounds).

References
----------
Samelson, H., Thrall, R. M. & Wesler, O. (1958). A partition theorem for Euclidean
n-space. *Proceedings of the American Mathematical Society* 9, 805-807.
Murty, K. G. (1974). Note on a Bard-type scheme for solving the complementarity problem.
*Opsearch* 11, 123-130.
Cottle, R. W., Pang, J.-S. & Stone, R. E. (1992). *The Linear Complementarity Problem*.
Academic Press.
Júdice, J. J. & Pires, F. M. (1994). A block principal pivoting algorithm for large-scale
strictly monotone linear complementarity problems. *Computers & Operations Research*
21(5), 587-596.

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
(array([1.5, 0. ]), array([0.  , 0.25]), array(0), array(True))

A batch of problems with bounds ``[0, 1]``:

>>> sol = solve(np.eye(2), [[-3.0, -0.5], [1.0, -2.0]], upper=1.0)
>>> sol.z
array([[1. , 0.5],
       [0. , 1. ]])
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._validation import as_float_array, check_square, format_index
from burden._warnings import NotPMatrixWarning

__all__ = [
    "MAX_ITER",
    "NOT_CERTIFIED",
    "SINGULAR",
    "SOLVED",
    "SOLVED_NOT_UNIQUE",
    "LCPSolution",
    "LCPSolutionSet",
    "enumerate_solutions",
    "is_p_matrix",
    "solve",
]

# Status codes of `solve` (see `LCPSolution`).
SOLVED = 0
SOLVED_NOT_UNIQUE = 1
MAX_ITER = 2
NOT_CERTIFIED = 3
SINGULAR = 4

_LOWER, _FREE, _UPPER = 0, 1, 2
_BLOCK_BUDGET = 3  # block steps allowed without progress before the least-index fallback
_REL_TOL = 1e-9  # default certificate tolerance, relative to the problem's scale
_REL_PIVOT_TOL = 1e-3  # pivoting threshold as a fraction of the certificate tolerance
_EXACT_P_CHECK_N = 4  # `solve` tests all principal minors up to this size
_ENUM_BYTES = 2**26  # memory for one chunk of complementary bases in `enumerate_solutions`


@result_class
class LCPSolution(Result):
    """Solution of a batch of (box) linear complementarity problems.

    Attributes
    ----------
    z : ndarray, shape (..., n)
        The solution; NaN where ``status >= 2``.
    w : ndarray, shape (..., n)
        ``M z + q``; NaN where ``status >= 2``.
    status : ndarray of int, shape (...)
        ``0`` (`SOLVED`): ``z`` is certified (``residual <= tol``); it is the unique
        solution where ``p_matrix`` is True.
        ``1`` (`SOLVED_NOT_UNIQUE`): ``z`` is certified, but ``M`` was shown not to be a
        P-matrix, so other solutions may exist (use :func:`enumerate_solutions`).
        ``2`` (`MAX_ITER`): the iteration limit was reached (pivoting cycles; impossible
        for P-matrices unless ``max_iter`` is too small).
        ``3`` (`NOT_CERTIFIED`): pivoting ended but the residual exceeds ``tol``
        (ill-conditioned ``M``).
        ``4`` (`SINGULAR`): a principal submatrix ``M_FF`` met on the way was singular,
        so ``M`` is not a P-matrix and pivoting cannot go on.
    iterations : ndarray of int, shape (...)
        Pivoting steps (linear solves) used.
    residual : ndarray, shape (...)
        Natural residual ``max_i |z_i - clip(z_i - w_i, lower_i, upper_i)|`` of the
        returned ``z``; NaN where ``z`` is NaN.
    p_matrix : ndarray of bool, shape (...)
        True where ``M`` was proven to be a P-matrix (positive diagonal and strict row or
        column diagonal dominance; symmetric positive definite; all principal minors for
        ``n <= 4``). False means "not proven"; see :func:`is_p_matrix` for an exact test.
    """

    _core_dims = ("variable",)

    z: NDArray[np.float64]
    w: NDArray[np.float64]
    status: NDArray[np.int_]
    iterations: NDArray[np.int_]
    residual: NDArray[np.float64]
    p_matrix: NDArray[np.bool_]

    @property
    def success(self) -> NDArray[np.bool_]:
        """True where ``z`` is a certified solution (``status`` 0 or 1)."""
        return self.status <= SOLVED_NOT_UNIQUE


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
    """

    _core_dims = ("solution", "variable")

    z: NDArray[np.float64]
    w: NDArray[np.float64]
    count: NDArray[np.int_]
    complete: NDArray[np.bool_]


def _lcp_iv(
    M: ArrayLike, q: ArrayLike, lower: ArrayLike, upper: ArrayLike
) -> tuple[NDArray, NDArray, NDArray, NDArray, tuple[int, ...]]:
    """Validate and broadcast; return flat ``(B, n, n)``, three ``(B, n)`` arrays and the batch shape."""
    M = check_square(as_float_array(M, "M"), "M")
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
    lower, upper = np.broadcast_to(lower, vec_shape), np.broadcast_to(upper, vec_shape)
    bad = lower > upper
    if bad.any():
        index = tuple(np.argwhere(bad)[0])
        raise ValueError(
            f"`lower` must be <= `upper`; lower{format_index(index)} = {lower[index]!r} > "
            f"upper{format_index(index)} = {upper[index]!r}"
        )
    batch = vec_shape[:-1]
    flat = (-1, n)
    return (
        np.broadcast_to(M, (*batch, n, n)).reshape(-1, n, n),
        np.broadcast_to(q, vec_shape).reshape(flat),
        lower.reshape(flat),
        upper.reshape(flat),
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


def _matvec(M: NDArray, z: NDArray) -> NDArray:
    return (M @ z[..., None])[..., 0]


def _natural_residual(z: NDArray, w: NDArray, lower: NDArray, upper: NDArray) -> NDArray:
    return np.abs(z - np.clip(z - w, lower, upper)).max(axis=-1)


def _scale(norm_M: NDArray, q: NDArray, z: NDArray) -> NDArray:
    """Size of the terms of ``M z + q`` (``norm_M`` = max row sum of ``|M|``), for tolerances."""
    return 1.0 + np.abs(q).max(-1) + norm_M * np.abs(z).max(-1)


def _norm_inf(M: NDArray) -> NDArray:
    return np.abs(M).sum(-1).max(-1)


def _principal_minors_positive(M: NDArray) -> NDArray[np.bool_]:
    """True where all ``2**n - 1`` principal minors of the ``(B, n, n)`` stack are positive."""
    n = M.shape[-1]
    ok = np.ones(M.shape[0], dtype=bool)
    for k in range(1, n + 1):
        subsets = np.array(list(itertools.combinations(range(n), k)))
        sub = M[:, subsets[:, :, None], subsets[:, None, :]]  # (B, C(n, k), k, k)
        ok &= (np.linalg.det(sub) > 0).all(axis=-1)
    return ok


def _p_matrix_tests(M: NDArray) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Cheap tests on a ``(B, n, n)`` stack: (proven a P-matrix, proven not a P-matrix)."""
    n = M.shape[-1]
    diag = np.diagonal(M, axis1=-2, axis2=-1)
    absm = np.abs(M)
    off_rows = absm.sum(-1) - np.abs(diag)
    off_cols = absm.sum(-2) - np.abs(diag)
    # Necessary conditions: positive 1x1 and 2x2 principal minors.
    minors2 = diag[:, :, None] * diag[:, None, :] - M * np.swapaxes(M, -1, -2)
    minors2[:, np.arange(n), np.arange(n)] = 1.0
    not_p = (diag <= 0).any(-1) | (minors2 <= 0).any((-2, -1))
    positive = (diag > 0).all(-1)
    is_p = ~not_p & positive & ((diag > off_rows).all(-1) | (diag > off_cols).all(-1))
    if n <= _EXACT_P_CHECK_N:
        exact = _principal_minors_positive(M)
        return exact, ~exact
    # A symmetric matrix is a P-matrix exactly when it is positive definite. Cholesky is
    # cheap and succeeds on the whole stack in the common all-definite case; eigenvalues
    # sort out the rest.  (For nonsymmetric M a definite symmetric part would also prove
    # P, but an eigenvalue test on every matrix costs more than solving the LCP.)
    sym = np.flatnonzero(~is_p & ~not_p & (M == np.swapaxes(M, -1, -2)).all((-2, -1)))
    if sym.size:
        try:
            np.linalg.cholesky(M[sym])
            is_p[sym] = True
        except np.linalg.LinAlgError:
            lam_min = np.linalg.eigvalsh(M[sym])[:, 0]
            is_p[sym], not_p[sym] = lam_min > 0, lam_min <= 0
    return is_p, not_p


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
    return _principal_minors_positive(M.reshape(-1, n, n)).reshape(M.shape[:-2])


def _pivot(
    M: NDArray,
    q: NDArray,
    lower: NDArray,
    upper: NDArray,
    max_iter: int,
    tol: float | None,
) -> tuple[NDArray, NDArray, NDArray]:
    """Block principal pivoting with the least-index fallback on flat ``(B, n)`` problems.

    Returns ``z``, ``status`` (SOLVED before certification, MAX_ITER or SINGULAR) and
    ``iterations``.  Instances leave the working set as soon as they
    finish, so each linear solve covers only the unfinished ones.

    Hand-written because neither numpy nor scipy has an LCP solver, and the available ones
    (e.g. QuantEcon's numba ``lcp_lemke``) solve one instance per call.
    """
    B, n = q.shape
    z_out = np.full((B, n), np.nan)
    status = np.full(B, MAX_ITER)
    iterations = np.zeros(B, dtype=int)
    eye = np.eye(n)

    # Per-instance working arrays; an instance leaves them when it finishes.
    work = {
        "idx": np.arange(B),
        "M": M,
        "q": q,
        "norm": _norm_inf(M),
        "lower": lower,
        "upper": upper,
        "fixed": lower == upper,  # a fixed variable is complementary whatever the sign of w
        "state": np.full((B, n), _LOWER, dtype=np.int8),
        "best": np.full(B, n + 1),
        "budget": np.full(B, _BLOCK_BUDGET),
        "z": lower.copy(),
    }
    work["w"] = _matvec(M, work["z"]) + q
    for step in range(max_iter + 1):
        qw, lw, uw, z, w, state = (work[k] for k in ("q", "lower", "upper", "z", "w", "state"))
        piv_tol = (_REL_TOL * _scale(work["norm"], qw, z) if tol is None else tol) * _REL_PIVOT_TOL
        piv_tol = piv_tol[:, None]
        free = state == _FREE
        below = free & (z < lw - piv_tol)
        above = free & (z > uw + piv_tol)
        wrong_sign = ((state == _LOWER) & (w < -piv_tol)) | ((state == _UPPER) & (w > piv_tol))
        bad = (below | above | wrong_sign) & ~work["fixed"]
        count = bad.sum(-1)
        done = count == 0
        z_out[work["idx"][done]] = z[done]
        status[work["idx"][done]] = SOLVED
        if done.all() or step == max_iter:
            break
        keep = ~done
        work = {k: v[keep] for k, v in work.items()}
        bad, below, above, count = bad[keep], below[keep], above[keep], count[keep]

        # Júdice-Pires: switch every bad variable while their number keeps falling or the
        # budget lasts; otherwise switch only the least-index one (Murty), which cannot cycle.
        progress = count < work["best"]
        work["best"] = np.minimum(work["best"], count)
        block = progress | (work["budget"] > 0)
        work["budget"] = np.where(progress, _BLOCK_BUDGET, np.maximum(work["budget"] - 1, 0))
        switch = bad.copy()
        murty = np.flatnonzero(~block)
        switch[murty] = False
        switch[murty, np.argmax(bad[murty], axis=-1)] = True
        new_state = np.where(below, _LOWER, np.where(above, _UPPER, _FREE)).astype(np.int8)
        state = work["state"] = np.where(switch, new_state, work["state"])

        # Free rows: (M z + q)_F = 0; bound rows replaced by identity rows fixing z_B.
        free = state == _FREE
        z_bound = np.where(state == _UPPER, work["upper"], work["lower"])
        A = np.where(free[:, :, None], work["M"], eye)
        work["z"], ok = _solve_masked(A, np.where(free, -work["q"], z_bound))
        iterations[work["idx"]] += 1
        if not ok.all():
            status[work["idx"][~ok]] = SINGULAR
            work = {k: v[ok] for k, v in work.items()}
        work["w"] = _matvec(work["M"], work["z"]) + work["q"]
    return z_out, status, iterations


def solve(
    M: ArrayLike,
    q: ArrayLike,
    *,
    lower: ArrayLike = 0.0,
    upper: ArrayLike = np.inf,
    max_iter: int | None = None,
    tol: float | None = None,
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
        Pivoting steps allowed per problem. Default ``10 * n + 100``.
    tol : float, optional
        Certificate: a ``z`` counts as solved if its natural residual is ``<= tol``.
        Default ``1e-9 * (1 + max|q| + ||M||_inf * max|z|)`` per problem.

    Returns
    -------
    LCPSolution
        ``z``, ``w`` of shape ``batch + (n,)``; ``status``, ``iterations``,
        ``residual``, ``p_matrix`` of shape ``batch``, where ``batch`` is the broadcast
        of the batch shapes of all arguments. See :class:`LCPSolution` for the codes.

    Warns
    -----
    NotPMatrixWarning
        If some ``M`` is shown not to be a P-matrix (status 1 or 4), or pivoting hits the
        iteration limit on an ``M`` not proven to be one.

    Notes
    -----
    Block principal pivoting (Júdice & Pires 1994) with Murty's (1974) least-index
    fallback, over the whole batch at once; see the module docstring. For P-matrices the
    solution exists, is unique and is found in finitely many steps.

    Examples
    --------
    >>> import numpy as np
    >>> sol = solve([[2.0, 1.0], [1.0, 2.0]], [-1.0, 1.0])
    >>> sol.z, sol.w
    (array([0.5, 0. ]), array([0. , 1.5]))
    """
    M_flat, q_flat, lo, up, batch = _lcp_iv(M, q, lower, upper)
    n = q_flat.shape[-1]
    if max_iter is None:
        max_iter = 10 * n + 100
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 0:
        raise ValueError(f"`max_iter` must be a non-negative integer; got {max_iter!r}")
    if tol is not None and not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"`tol` must be a positive finite number; got {tol!r}")

    z, status, iterations = _pivot(M_flat, q_flat, lo, up, int(max_iter), tol)
    is_p, not_p = _p_matrix_tests(M_flat)

    # Certify what the pivoting returned: clip into the box, recompute w, measure.
    solved = status == SOLVED
    z = np.where(solved[:, None], np.clip(z, lo, up), np.nan)
    w = _matvec(M_flat, z) + q_flat
    residual = _natural_residual(z, w, lo, up)
    bound = _REL_TOL * _scale(_norm_inf(M_flat), q_flat, z) if tol is None else tol
    uncertified = solved & ~(residual <= bound)
    status[uncertified] = NOT_CERTIFIED
    status[solved & ~uncertified & not_p] = SOLVED_NOT_UNIQUE
    failed = status >= MAX_ITER
    z[failed], w[failed], residual[failed] = np.nan, np.nan, np.nan

    warn = (status == SOLVED_NOT_UNIQUE) | (status == SINGULAR) | ((status == MAX_ITER) & ~is_p)
    if warn.any():
        warnings.warn(
            f"{int(warn.sum())} of {warn.size} LCP matrices are not P-matrices (or pivoting cycled): "
            f"{int((status == SOLVED_NOT_UNIQUE).sum())} solved but perhaps not uniquely, "
            f"{int((status == SINGULAR).sum())} singular, {int((status == MAX_ITER).sum())} at the "
            "iteration limit; see `status` and `enumerate_solutions`",
            NotPMatrixWarning,
            stacklevel=2,
        )
    return LCPSolution(
        z=z.reshape(*batch, n),
        w=w.reshape(*batch, n),
        status=status.reshape(batch),
        iterations=iterations.reshape(batch),
        residual=residual.reshape(batch),
        p_matrix=is_p.reshape(batch),
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
    and the pattern is kept if the result satisfies all the conditions of :func:`solve`.
    That is ``2**n`` patterns for the standard LCP and ``3**n`` with finite upper bounds,
    all checked for the whole batch at once. Solutions reached from several patterns
    (degenerate ones, with ``z_i`` at a bound and ``w_i = 0``) are listed once.

    Parameters
    ----------
    M, q, lower, upper
        As in :func:`solve`.
    max_n : int, optional
        Largest ``n`` accepted. Default 10.

    Returns
    -------
    LCPSolutionSet
        ``z`` and ``w`` of shape ``batch + (K, n)`` (NaN-padded), ``count`` and
        ``complete`` of shape ``batch``.

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
    states = (_LOWER, _FREE, _UPPER) if np.isfinite(up).any() else (_LOWER, _FREE)
    patterns = np.array(list(itertools.product(states, repeat=n)), dtype=np.int8)  # (P, n)
    # A pattern putting an infinite upper bound to use cannot give a finite solution.
    chunk = max(1, _ENUM_BYTES // (8 * n * n * B))
    eye = np.eye(n)
    norm = _norm_inf(M_flat)
    found_z, found_w, complete = [], [], np.ones(B, dtype=bool)
    for start in range(0, len(patterns), chunk):
        pat = patterns[start : start + chunk][None]  # (1, P', n)
        free = pat == _FREE
        z_bound = np.where(pat == _UPPER, up[:, None], lo[:, None])  # (B, P', n)
        usable = np.isfinite(z_bound).all(-1)
        A = np.where(free[..., None], M_flat[:, None], eye)
        z, ok = _solve_masked(A, np.where(free, -q_flat[:, None], np.where(usable[..., None], z_bound, 0.0)))
        complete &= (ok | ~usable).all(-1)
        w = _matvec(M_flat[:, None], np.where(ok[..., None], z, 0.0)) + q_flat[:, None]
        tol = _REL_TOL * _scale(norm[:, None], q_flat[:, None], np.nan_to_num(z))[..., None]
        fixed = (lo == up)[:, None]
        fits = np.where(
            free,
            (z >= lo[:, None] - tol) & (z <= up[:, None] + tol) & (np.abs(w) <= tol),
            fixed | np.where(pat == _LOWER, w >= -tol, w <= tol),
        ).all(-1)
        fits &= ok & usable
        found_z.append(np.where(fits[..., None], np.clip(z, lo[:, None], up[:, None]), np.nan))
        found_w.append(np.where(fits[..., None], w, np.nan))
    z_all = np.concatenate(found_z, axis=1)  # (B, P, n), NaN rows where the pattern fails
    w_all = np.concatenate(found_w, axis=1)
    z_out, w_out, count = _distinct(z_all, w_all)
    K = z_out.shape[1]
    return LCPSolutionSet(
        z=z_out.reshape(*batch, K, n),
        w=w_out.reshape(*batch, K, n),
        count=count.reshape(batch),
        complete=complete.reshape(batch),
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
    scale = 1.0 + np.nan_to_num(np.abs(z)).max((-2, -1), initial=0.0)[:, None, None]
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
