"""Input checks shared by the bimatrix solvers of :mod:`burden.games`."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._validation import as_float_array, broadcast_named


def bimatrix_iv(
    A: ArrayLike, B: ArrayLike, *, shape: tuple[int, int] | None = None, max_actions: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Validate and broadcast the payoff arrays of a batch of bimatrix games.

    ``A`` and ``B`` must be finite real arrays of shape ``(..., m, n)`` with the same core
    shape (``shape`` if given, each side at most ``max_actions`` if given); their batch
    shapes broadcast.
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


def tol_iv(tol: float) -> float:
    """Validate a payoff-tie tolerance: a finite number ``>= 0``."""
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"`tol` must be a finite number >= 0; got {tol!r}")
    return tol
