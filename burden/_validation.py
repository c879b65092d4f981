"""Argument checks shared by every public function.

Each check raises at once with a message that names the argument in backticks, states the
rule and shows the first offending value with its index, e.g.
``ValueError: `alpha` must lie in (0, 1); alpha[3, 7] = 1.2``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "as_float_array",
    "broadcast_named",
    "broadcast_shape_named",
    "check_interval",
    "check_square",
    "format_index",
    "workers_iv",
]


def format_index(index: tuple[int, ...]) -> str:
    """Return ``"[3, 7]"`` for an index tuple and ``""`` for a scalar's empty index."""
    return "" if not index else "[" + ", ".join(str(int(i)) for i in index) + "]"


def _first_offender(name: str, arr: NDArray, bad: NDArray[np.bool_]) -> str:
    index = tuple(np.argwhere(bad)[0]) if arr.ndim else ()
    value = arr[index] if arr.ndim else arr[()]
    count = int(np.count_nonzero(bad))
    more = f" (and {count - 1} more)" if count > 1 else ""
    # the Python scalar: "-80.0", not numpy 2's "np.float64(-80.0)"
    return f"{name}{format_index(index)} = {np.asarray(value).item()!r}{more}"


def as_float_array(value: ArrayLike, name: str, *, finite: bool = True) -> NDArray[np.float64]:
    """Convert ``value`` to a float64 array, rejecting non-numeric and (by default) non-finite input.

    Parameters
    ----------
    value : array_like
        Real numbers (booleans, complex numbers, strings and objects are rejected).
    name : str
        The argument's name, used in error messages.
    finite : bool, optional
        If True (default), NaN and ±inf raise ``ValueError``; if False only NaN does.

    Examples
    --------
    >>> as_float_array([1, 2], "w")
    array([1., 2.])
    >>> as_float_array([1.0, float("nan")], "w")
    Traceback (most recent call last):
    ...
    ValueError: `w` must be finite; w[1] = nan
    """
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        raise TypeError(f"`{name}` must be an array of real numbers; got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(arr) if finite else np.isnan(arr)
    if bad.any():
        rule = "finite" if finite else "a number (not NaN)"
        raise ValueError(f"`{name}` must be {rule}; {_first_offender(name, arr, bad)}")
    return arr


def check_interval(
    arr: NDArray,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    closed: str = "neither",
) -> NDArray:
    """Check that every element of ``arr`` lies in an interval; return ``arr`` unchanged.

    Parameters
    ----------
    arr : ndarray
        Values to check (already converted by :func:`as_float_array`).
    name : str
        The argument's name, used in error messages.
    low, high : float or None
        Interval ends; ``None`` means unbounded on that side.
    closed : {"neither", "left", "right", "both"}
        Which finite ends belong to the interval.

    Examples
    --------
    >>> import numpy as np
    >>> check_interval(np.array([[0.5, 1.2]]), "alpha", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: `alpha` must lie in (0, 1); alpha[0, 1] = 1.2
    >>> check_interval(np.array(0.0), "p", 0, None)
    Traceback (most recent call last):
    ...
    ValueError: `p` must be > 0; p = 0.0
    """
    left_closed = closed in ("left", "both")
    right_closed = closed in ("right", "both")
    bad = np.zeros(np.shape(arr), dtype=bool)
    if low is not None:
        bad |= (arr < low) if left_closed else (arr <= low)
    if high is not None:
        bad |= (arr > high) if right_closed else (arr >= high)
    if bad.any():
        if low is not None and high is not None:
            rule = f"lie in {'[' if left_closed else '('}{low:g}, {high:g}{']' if right_closed else ')'}"
        elif low is not None:
            rule = f"be {'>=' if left_closed else '>'} {low:g}"
        else:
            rule = f"be {'<=' if right_closed else '<'} {high:g}"
        raise ValueError(f"`{name}` must {rule}; {_first_offender(name, np.asarray(arr), bad)}")
    return arr


def broadcast_shape_named(shapes: Mapping[str, tuple[int, ...]]) -> tuple[int, ...]:
    """The broadcast of named shapes, naming every shape when they do not broadcast.

    Examples
    --------
    >>> broadcast_shape_named({"w": (2, 3), "a": (3,)})
    (2, 3)
    >>> broadcast_shape_named({"w": (3,), "a": (4,)})
    Traceback (most recent call last):
    ...
    ValueError: shapes do not broadcast: `w` (3,), `a` (4,)
    """
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"`{k}` {tuple(v)}" for k, v in shapes.items())
        raise ValueError(f"shapes do not broadcast: {listed}") from None


def broadcast_named(arrays: Mapping[str, NDArray]) -> tuple[NDArray, ...]:
    """Broadcast named arrays together (read-only views), naming the culprits when they do not.

    Examples
    --------
    >>> import numpy as np
    >>> a, b = broadcast_named({"w": np.ones((2, 3)), "a": np.ones(3)})
    >>> a.shape, b.shape
    ((2, 3), (2, 3))
    """
    shape = broadcast_shape_named({k: np.shape(v) for k, v in arrays.items()})
    return tuple(np.broadcast_to(v, shape) for v in arrays.values())


def check_square(arr: NDArray, name: str) -> NDArray:
    """Check that the last two axes of ``arr`` are square (``(..., n, n)``)."""
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"`{name}` must have shape (..., n, n); got {arr.shape}")
    return arr


def workers_iv(workers: int) -> int:
    """Validate a SciPy-style ``workers`` count (``-1``: one per CPU); return a positive count.

    >>> workers_iv(2)
    2
    >>> workers_iv(0)
    Traceback (most recent call last):
    ...
    ValueError: `workers` must be a positive integer or -1; got 0
    """
    if (
        isinstance(workers, (bool, np.bool_))
        or not isinstance(workers, (int, np.integer))
        or (workers < 1 and workers != -1)
    ):
        raise ValueError(f"`workers` must be a positive integer or -1; got {workers!r}")
    return (os.cpu_count() or 1) if workers == -1 else int(workers)
