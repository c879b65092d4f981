"""Validation and chunking of the arguments shared by the public-goods solvers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._validation import as_float_array, broadcast_shape_named, check_interval, check_square
from burden.preferences import Preferences

__all__ = [
    "DEFAULT_CHUNK",
    "absent_iv",
    "chunk_iv",
    "common_value",
    "linear_foc_at",
    "members_iv",
    "prefs_members",
    "prefs_rows",
    "solve_by_presence",
    "spillover_iv",
    "uniform_spillover",
]

#: default number of scenarios solved at once: keeps the working set in cache and bounds the
#: memory of the numeric paths
DEFAULT_CHUNK = 8192


def members_iv(
    w: ArrayLike, prefs: Preferences, p: ArrayLike, G0: ArrayLike = 0.0, *, absent: bool = False
) -> tuple[NDArray, ...]:
    """Validate wealth ``(..., n)``, price and exogenous provision ``(...)``; broadcast them.

    With ``absent=True`` a NaN wealth marks an absent member (``docs/publicgoods.md``) and a
    fourth value says whether there is one.

    Returns ``w`` with shape ``batch + (n,)`` and ``p``, ``G0`` with shape ``batch``, where
    ``batch`` is the broadcast of ``w``'s leading axes, ``p``'s and ``G0``'s shapes and the
    preference parameters' leading axes.
    """
    if not isinstance(prefs, Preferences):
        raise TypeError(
            "`prefs` must be a burden.Preferences instance (e.g. burden.CobbDouglas(a)); "
            f"got {type(prefs).__name__}"
        )
    w, missing = absent_iv(w, "w") if absent else (as_float_array(w, "w"), False)
    if w.ndim == 0:
        raise ValueError("`w` must have a member axis: shape (..., n) with n >= 1; got a scalar")
    if w.shape[-1] == 0:
        raise ValueError(f"`w` must have at least one member; got shape {w.shape}")
    with np.errstate(invalid="ignore"):  # NaN (absent) passes: only present members are checked
        bad = w <= 0
    if bad.any():
        check_interval(np.where(bad, w, 1.0), "w", 0.0, None)
    p = check_interval(as_float_array(p, "p"), "p", 0.0, None)
    G0 = check_interval(as_float_array(G0, "G0"), "G0", 0.0, None, closed="left")
    params = {name: np.shape(getattr(prefs, name)) for name in prefs._param_names}
    member_shape = broadcast_shape_named({"w": w.shape, **params})
    batch = broadcast_shape_named({"w (leading axes)": member_shape[:-1], "p": p.shape, "G0": G0.shape})
    w = np.broadcast_to(w, batch + member_shape[-1:])
    out = (w, np.broadcast_to(p, batch), np.broadcast_to(G0, batch))
    return (*out, missing) if absent else out


def absent_iv(w: ArrayLike, name: str) -> tuple[NDArray, bool]:
    """Like ``as_float_array(w, name)``, but a NaN (an absent member) is allowed; inf is not.

    Returns the array and whether any member is absent.
    """
    w = np.asarray(w)
    if w.dtype.kind != "f":
        return as_float_array(w, name), False  # integers pass, anything else is named
    if np.isfinite(w).all():
        return w.astype(np.float64, copy=False), False  # the common case: one pass, no copy
    missing = np.isnan(w)
    # validated with absent members read as present ones: an inf is still named
    return np.where(missing, np.nan, as_float_array(np.where(missing, 1.0, w), name)), True


def common_value(value: NDArray) -> NDArray:
    """``value`` as a 0-d array when it is one value broadcast over the batch, else ``value``.

    Coefficients computed from a shared price (``CES.linear_foc(p)``) then stay one row shared
    by every scenario instead of a ``batch + (n,)`` array.

    Examples
    --------
    >>> common_value(np.broadcast_to(2.0, (3, 4))).shape
    ()
    >>> common_value(np.array([1.0, 2.0])).shape
    (2,)
    """
    if value.size and not any(value.strides):
        return value.reshape(-1)[0:1].reshape(())
    return value


def linear_foc_at(prefs: Preferences, p: NDArray) -> tuple[NDArray, NDArray] | None:
    """``prefs.linear_foc`` at the prices ``p`` (batch shape); ``None`` without a linear one.

    A price shared by every scenario is passed as one value (:func:`common_value`), so the
    coefficients stay one row for every scenario rather than a ``batch + (n,)`` array.
    """
    return prefs.linear_foc(common_value(p)[..., None])


def chunk_iv(chunk: int) -> int:
    """Validate the ``chunk`` size (a positive integer)."""
    if isinstance(chunk, (bool, np.bool_)) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"`chunk` must be a positive integer; got {chunk!r}")
    return int(chunk)


def spillover_iv(theta: ArrayLike, n: int, batch: tuple[int, ...]) -> tuple[NDArray, bool, tuple[int, ...]]:
    """Validate spill-ins for ``n`` members; return ``(theta, is_matrix, batch)``.

    A scalar comes back as a 0-d array; a matrix as ``batch + (n, n)`` with a zero diagonal,
    ``batch`` broadcast with the members' batch shape. Entries must be finite and the
    off-diagonal ones in [0, 1]; the diagonal is ignored.
    """
    theta = as_float_array(theta, "spillover")
    if theta.ndim == 0:
        return check_interval(theta, "spillover", 0.0, 1.0, closed="both"), False, batch
    check_square(theta, "spillover")
    if theta.shape[-1] != n:
        raise ValueError(
            f"`spillover` must be a scalar or have shape (..., n, n) with n = {n} members; got {theta.shape}"
        )
    theta = theta * (1.0 - np.eye(n))
    check_interval(theta, "spillover", 0.0, 1.0, closed="both")
    try:
        batch = np.broadcast_shapes(batch, theta.shape[:-2])
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast: scenarios {batch} of `w`/`p`/`G0`/preferences and "
            f"`spillover` {theta.shape} (batch {theta.shape[:-2]})"
        ) from None
    return np.broadcast_to(theta, (*batch, n, n)), True, batch


def uniform_spillover(theta: NDArray) -> tuple[NDArray, NDArray]:
    """For matrices ``(..., n, n)``: (all off-diagonal entries equal, their common value)."""
    n = theta.shape[-1]
    if n == 1:
        return np.ones(theta.shape[:-2], dtype=bool), np.zeros(theta.shape[:-2])
    off = ~np.eye(n, dtype=bool)
    value = theta[..., 0, 1]
    return (np.where(off, theta == value[..., None, None], True)).all((-2, -1)), value


def prefs_rows(prefs: Preferences, batch: tuple[int, ...], part: slice | NDArray) -> Preferences:
    """The preferences of the scenarios ``part`` (a slice, flat indices or a boolean mask) of
    the flattened ``batch``.

    Every array attribute whose leading axes vary over ``batch`` (shape ``(..., n)`` or
    ``(..., 1)`` broadcasting against ``batch + (n,)``) is replaced by its rows
    ``(len(part), n or 1)``; parameters shared by all scenarios are kept as they are. The
    solvers then evaluate the preferences on ``(len(part), n)`` member arrays.
    """
    if not batch:
        return prefs
    nb = len(batch)
    index = None
    rows = {}
    for name, value in vars(prefs).items():
        if not isinstance(value, np.ndarray) or value.ndim < 2 or value.ndim > nb + 1:
            continue
        lead = (1,) * (nb + 1 - value.ndim) + value.shape[:-1]
        if any(s not in (1, b) for s, b in zip(lead, batch, strict=True)):
            continue  # not a per-member parameter
        if all(s == 1 for s in lead):
            # shared by every scenario: one row, which broadcasts against the chunk's (rows, n)
            rows[name] = value.reshape(1, value.shape[-1])
            continue
        if index is None:  # the multi-indices of the rows (no copy of a broadcast batch)
            if isinstance(part, slice):
                flat = np.arange(*part.indices(int(np.prod(batch))))
            else:
                flat = np.flatnonzero(part) if np.asarray(part).dtype == bool else np.asarray(part)
            index = np.unravel_index(flat, batch)
        take = tuple(i if s != 1 else 0 for i, s in zip(index, lead, strict=True))
        rows[name] = value.reshape(lead + value.shape[-1:])[take]
    if not rows:
        return prefs
    sub = copy.copy(prefs)
    vars(sub).update(rows)
    return sub


def prefs_members(prefs: Preferences, n: int, cols: NDArray) -> Preferences:
    """The preferences of members ``cols`` of ``n``: array attributes with ``n`` entries on
    their last axis keep those columns (shared ones are kept whole)."""
    if cols.size == n:
        return prefs
    taken = {
        name: value[..., cols]
        for name, value in vars(prefs).items()
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[-1] == n
    }
    if not taken:
        return prefs
    sub = copy.copy(prefs)
    vars(sub).update(taken)
    return sub


def solve_by_presence(
    w: NDArray,
    solve: Callable[[NDArray, NDArray], Any],
    members: dict[str, NDArray],
    scenarios: dict[str, NDArray],
) -> None:
    """Solve each group of scenarios with the same members present; scatter its fields in place.

    NaN wealth marks an absent member. ``w`` has shape ``(rows, n)``; ``solve(rows, present)``
    returns a result for those rows without the absent members. Its per-member fields named in
    ``members`` (arrays ``(rows, n)``, holding the absent members' values) and its per-scenario
    fields named in ``scenarios`` (arrays ``(rows,)``, holding the values of scenarios where
    nobody is present) are written into those arrays.
    """
    present = ~np.isnan(w)
    patterns, inverse = np.unique(present, axis=0, return_inverse=True)
    inverse = np.reshape(inverse, -1)
    for k, pattern in enumerate(patterns):
        idx, cols = np.flatnonzero(inverse == k), np.flatnonzero(pattern)
        if cols.size == 0:  # nobody present: the scenario's own values stand
            continue
        result = solve(idx, cols)
        cells = np.ix_(idx, cols)
        for name, out in members.items():
            out[cells] = getattr(result, name)
        for name, out in scenarios.items():
            out[idx] = getattr(result, name)
