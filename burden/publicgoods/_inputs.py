"""Validation of the member arrays shared by the public-goods solvers."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._validation import as_float_array, broadcast_shape_named, check_interval
from burden.preferences import Preferences

__all__ = ["members_iv"]


def members_iv(
    w: ArrayLike, prefs: Preferences, p: ArrayLike, G0: ArrayLike = 0.0
) -> tuple[NDArray, NDArray, NDArray]:
    """Validate wealth ``(..., n)``, price and exogenous provision ``(...)``; broadcast them.

    Returns ``w`` with shape ``batch + (n,)`` and ``p``, ``G0`` with shape ``batch``, where
    ``batch`` is the broadcast of ``w``'s leading axes, ``p``'s and ``G0``'s shapes and the
    preference parameters' leading axes.
    """
    if not isinstance(prefs, Preferences):
        raise TypeError(
            "`prefs` must be a burden.Preferences instance (e.g. burden.CobbDouglas(a)); "
            f"got {type(prefs).__name__}"
        )
    w = as_float_array(w, "w")
    if w.ndim == 0:
        raise ValueError("`w` must have a member axis: shape (..., n) with n >= 1; got a scalar")
    if w.shape[-1] == 0:
        raise ValueError(f"`w` must have at least one member; got shape {w.shape}")
    check_interval(w, "w", 0.0, None)
    p = check_interval(as_float_array(p, "p"), "p", 0.0, None)
    G0 = check_interval(as_float_array(G0, "G0"), "G0", 0.0, None, closed="left")
    params = {name: np.shape(getattr(prefs, name)) for name in prefs._param_names}
    member_shape = broadcast_shape_named({"w": w.shape, **params})
    batch = broadcast_shape_named({"w (leading axes)": member_shape[:-1], "p": p.shape, "G0": G0.shape})
    w = np.broadcast_to(w, batch + member_shape[-1:])
    return w, np.broadcast_to(p, batch), np.broadcast_to(G0, batch)
