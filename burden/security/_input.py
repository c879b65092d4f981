"""Argument checks shared by :mod:`burden.security` (messages name the user's argument)."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["ally_iv", "tol_iv"]


def ally_iv(ally: object, n: int, name: str = "ally") -> int:
    """Validate an ally index in ``[0, n)``: an integer (not a bool, not a float).

    >>> ally_iv(1, 2)
    1
    >>> ally_iv(0.0, 2)
    Traceback (most recent call last):
    ...
    TypeError: `ally` must be an integer index (0 for ally 1, 1 for ally 2, ...); got 0.0 (float)
    """
    if isinstance(ally, (bool, np.bool_)) or not isinstance(ally, numbers.Integral):
        raise TypeError(
            f"`{name}` must be an integer index (0 for ally 1, 1 for ally 2, ...); "
            f"got {ally!r} ({type(ally).__name__})"
        )
    if not 0 <= ally < n:
        raise ValueError(f"`{name}` must be an ally index in [0, {n}); got {ally!r}")
    return int(ally)


def tol_iv(tol: object) -> float:
    """Validate a relative tolerance in ``(0, 0.01)``.

    >>> tol_iv(1e-9)
    1e-09
    """
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, numbers.Real):
        raise TypeError(f"`tol` must be a real number; got {tol!r} ({type(tol).__name__})")
    if not 0 < tol < 1e-2:
        raise ValueError(f"`tol` must be a number in (0, 0.01); got {tol!r}")
    return float(tol)
