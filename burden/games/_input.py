"""Input checks shared by the solvers of :mod:`burden.games`.

``tol`` has one meaning in every finite-game solver (``docs/games.md``, "Tolerances"): two
payoffs ``u``, ``v`` of a player count as equal when ``|u - v| <= tol * max(|u|, |v|)``.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._validation import as_float_array, broadcast_named

__all__ = ["bimatrix_iv", "index_iv", "tol_iv"]


def bimatrix_iv(
    A: ArrayLike, B: ArrayLike, *, shape: tuple[int, int] | None = None, max_actions: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Validate and broadcast the payoff arrays of a batch of bimatrix games.

    ``A`` and ``B`` must be finite real arrays of shape ``(..., m, n)`` with the same core
    shape (``shape`` if given, each side at most ``max_actions`` if given); their batch
    shapes broadcast. An empty batch is valid (its results are empty).
    """
    A = as_float_array(A, "A")
    B = as_float_array(B, "B")
    for name, arr in (("A", A), ("B", B)):
        if arr.ndim < 2:
            raise ValueError(f"`{name}` must have shape (..., m, n); got shape {arr.shape}")
    if A.shape[-2:] != B.shape[-2:]:
        raise ValueError(
            f"`A` and `B` must have the same (m, n) core shape; got {A.shape[-2:]} and {B.shape[-2:]}"
        )
    m, n = A.shape[-2:]
    if shape is not None and (m, n) != shape:
        raise ValueError(f"`A` and `B` must have shape (..., {shape[0]}, {shape[1]}); got {A.shape}")
    if min(m, n) < 1:
        raise ValueError(f"each player needs at least one action; got core shape {(m, n)}")
    if max_actions is not None and max(m, n) > max_actions:
        raise ValueError(
            f"games larger than {max_actions}×{max_actions} are not supported; got core shape {(m, n)}"
        )
    return broadcast_named({"A": A, "B": B})


def tol_iv(tol: float, *, high: float = np.inf) -> float:
    """Validate a relative tie tolerance: a real number in ``[0, high)``; return it as a float."""
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real):
        raise TypeError(f"`tol` must be a real number; got {type(tol).__name__} {tol!r}")
    if not (np.isfinite(tol) and 0 <= tol < high):
        rule = "a finite number >= 0" if high == np.inf else f"a number in [0, {high:g})"
        raise ValueError(f"`tol` must be {rule}; got {tol!r}")
    return float(tol)


def index_iv(index: object, ndim: int, name: str = "index") -> tuple[int, ...]:
    """Validate a position in a batch of ``ndim`` axes: an int or a tuple of ``ndim`` ints.

    Floats and booleans are refused (``0.0`` and ``True`` are not positions).
    """
    items = index if isinstance(index, tuple) else (index,)
    for item in items:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Integral):
            raise TypeError(f"`{name}` must be an int or a tuple of ints; got {index!r}")
    if len(items) != ndim:
        raise ValueError(f"`{name}` must have {ndim} entries for a batch of {ndim} axes; got {index!r}")
    return tuple(int(i) for i in items)
