"""Batched scalar root finding on whole arrays, on top of ``scipy.optimize.elementwise``.

The numeric paths of the public-goods solvers (general preferences, non-closed-form
Lindahl prices, utility inversion) all solve one monotone scalar equation per array
element. Their residuals are written for *full* arrays — a user-defined preference class
knows how to broadcast its parameters against ``(..., n)`` arrays, not how to take a subset
of them — while ``find_root`` evaluates only the unconverged elements. :func:`solve_monotone`
bridges the two: it passes flat indices through ``args`` (a closure over a batch array
would break when ``find_root`` drops converged elements) and scatters the trial values into
a full array of valid placeholders before each call.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["bracket_and_solve", "solve_monotone"]


def solve_monotone(
    residual: Callable[[NDArray], NDArray],
    lo: NDArray,
    hi: NDArray,
    active: NDArray[np.bool_] | None = None,
) -> tuple[NDArray, NDArray]:
    """Solve ``residual(x) = 0`` elementwise for ``x`` in ``[lo, hi]``.

    Parameters
    ----------
    residual : callable
        ``residual(x)`` maps a full array of shape ``lo.shape`` to an array of the same shape,
        elementwise. It must be continuous on the bracket and change sign across it.
    lo, hi : ndarray
        Bracket ends, full shape, with ``lo < hi`` where active; ``residual(lo)`` must be valid
        everywhere (it fills the elements not being solved).
    active : ndarray of bool, optional
        Elements to solve; the others return ``lo`` with status 0.

    Returns
    -------
    x : ndarray
        Roots (``lo`` where inactive).
    status : ndarray of int
        ``scipy.optimize.elementwise.find_root`` status per element: 0 converged, -1 invalid
        bracket, -2 iteration limit, -3 non-finite value.

    Examples
    --------
    >>> import numpy as np
    >>> x, status = solve_monotone(lambda x: x**2 - np.array([2.0, 9.0]), np.zeros(2), np.full(2, 4.0))
    >>> x, status
    (array([1.41421356, 3.        ]), array([0, 0]))
    """
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.broadcast_to(np.asarray(hi, dtype=np.float64), lo.shape)
    x = lo.copy()
    status = np.zeros(lo.shape, dtype=int)
    active = np.ones(lo.shape, dtype=bool) if active is None else np.asarray(active, dtype=bool).copy()

    with np.errstate(all="ignore"):
        f_lo = residual(lo)
        f_hi = residual(np.where(active, hi, lo))
    # An end that is already a root is the answer; Chandrupatla would call the bracket invalid.
    at_hi = active & (f_hi == 0)
    x[at_hi] = hi[at_hi]
    active &= (f_lo != 0) & ~at_hi
    idx = np.flatnonzero(active)
    if idx.size == 0:
        return x, status

    # scipy.optimize is imported on first use: it alone costs `import burden` about half a second
    from scipy.optimize.elementwise import find_root

    res = find_root(_on_subset(residual, lo), (lo.flat[idx], hi.flat[idx]), args=(idx.astype(np.float64),))
    x.flat[idx] = res.x
    status.flat[idx] = res.status
    return x, status


def bracket_and_solve(
    residual: Callable[[NDArray], NDArray],
    xl0: NDArray,
    xr0: NDArray,
    *,
    xmin: ArrayLike | None = None,
    xmax: ArrayLike | None = None,
) -> tuple[NDArray, NDArray]:
    """Like :func:`solve_monotone` when no bracket is known: grow one from ``[xl0, xr0]`` first.

    ``scipy.optimize.elementwise.bracket_root`` grows the bracket (towards ``xmin``/``xmax``
    geometrically when given), then :func:`solve_monotone` finds the root inside it.
    ``residual(xl0)`` must be valid everywhere. Elements whose bracket search fails get NaN and
    the ``bracket_root`` status.

    Examples
    --------
    >>> import numpy as np
    >>> target = np.array([-30.0, 30.0])
    >>> x, status = bracket_and_solve(lambda x: np.log(x) - target, np.ones(2), np.full(2, 2.0), xmin=0.0)
    >>> np.log(x), status
    (array([-30.,  30.]), array([0, 0]))
    """
    xl0 = np.asarray(xl0, dtype=np.float64)
    xr0 = np.broadcast_to(np.asarray(xr0, dtype=np.float64), xl0.shape)
    idx = np.arange(xl0.size, dtype=np.float64)
    flat_limit = lambda limit: None if limit is None else np.broadcast_to(limit, xl0.shape).ravel()  # noqa: E731
    from scipy.optimize.elementwise import bracket_root  # on first use, as above

    found = bracket_root(
        _on_subset(residual, xl0),
        xl0.ravel(),
        xr0.ravel(),
        xmin=flat_limit(xmin),
        xmax=flat_limit(xmax),
        args=(idx,),
    )
    lo, hi = (np.reshape(end, xl0.shape) for end in found.bracket)
    ok = np.reshape(found.status == 0, xl0.shape)
    lo, hi = np.where(ok, lo, xl0), np.where(ok, hi, xr0)
    x, status = solve_monotone(residual, lo, hi, active=ok)
    return np.where(ok, x, np.nan), np.where(ok, status, np.reshape(found.status, xl0.shape))


def _on_subset(residual: Callable[[NDArray], NDArray], template: NDArray) -> Callable:
    """Wrap a full-array residual for the subset calls of ``scipy.optimize.elementwise``."""

    def on_subset(x_sub: NDArray, flat_index: NDArray) -> NDArray:
        x_sub, flat_index = np.broadcast_arrays(x_sub, flat_index)
        x_flat, index = x_sub.ravel(), flat_index.ravel().astype(np.intp)
        out = np.empty_like(x_flat)
        pending = np.ones(index.size, dtype=bool)
        # bracket_root evaluates both bracket ends of an element in one call: an index can
        # appear more than once, so scatter in passes of distinct indices.
        while pending.any():
            where = np.flatnonzero(pending)
            _, first = np.unique(index[where], return_index=True)
            take = where[first]
            full = template.copy()
            full.flat[index[take]] = x_flat[take]
            with np.errstate(all="ignore"):
                out[take] = np.broadcast_to(residual(full), template.shape).flat[index[take]]
            pending[take] = False
        return out.reshape(x_sub.shape)

    return on_subset
