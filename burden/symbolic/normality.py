"""Numeric check of the normality conditions on a sample of the domain.

Both goods are normal exactly when the marginal rate of substitution rises with private
consumption and falls with the alliance good (``docs/symbolic.md``); then the Nash equilibrium
is unique (Bergstrom, Blume & Varian 1986). Where sympy cannot decide the signs for every
parameter value, :func:`check_preferences` samples them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._status import Status, status_dtype
from burden.preferences import Preferences

__all__ = ["PreferenceCheck", "check_preferences"]

#: parameter combinations of a bound symbolic preference that the check samples at most
MAX_PARAMETER_SAMPLES = 256
# elasticities of the MRS beyond these count as violations: exact derivatives need only a
# rounding margin, finite differences (step 1e-5 relative) a truncation margin too
_TOL_EXACT, _TOL_DIFFERENCE = 1e-9, 1e-4
_STEP = 1e-5


@result_class
class PreferenceCheck(Result):
    """Outcome of :func:`check_preferences`.

    Attributes
    ----------
    normal : bool
        No sampled point violates a normality condition.
    min_x_elasticity : float
        Smallest sampled :math:`(x/m)\\,\\partial m/\\partial x` (must be ``>= 0``).
    max_G_elasticity : float
        Largest sampled :math:`(G/m)\\,\\partial m/\\partial G` (must be ``<= 0``).
    message : str
        What is violated and where ("" when normal).
    status : ndarray of int, shape ()
        ``SUCCESS`` when the check ran on at least one finite sample, else ``NOT_CERTIFIED``.
    """

    normal: bool
    min_x_elasticity: float
    max_G_elasticity: float
    message: str
    status: NDArray


def _name(prefs: Preferences) -> str:
    derivation = getattr(prefs, "derivation", None)
    return f"u = {derivation.utility}" if derivation is not None else type(prefs).__name__


def _sampled_parameters(prefs: Preferences) -> dict[str, NDArray]:
    """At most MAX_PARAMETER_SAMPLES evenly spaced combinations of a preference's parameters."""
    values = [np.asarray(getattr(prefs, name)) for name in prefs._param_names]
    if not values:
        return {}
    flat = [v.ravel() for v in np.broadcast_arrays(*values)]
    take = np.unique(np.linspace(0, flat[0].size - 1, min(flat[0].size, MAX_PARAMETER_SAMPLES)).astype(int))
    return {name: v[take] for name, v in zip(prefs._param_names, flat, strict=True)}


def check_preferences(
    prefs: Preferences, *, x: ArrayLike | None = None, G: ArrayLike | None = None
) -> PreferenceCheck:
    r"""Sample the normality conditions :math:`\partial m/\partial x \ge 0 \ge \partial m/\partial G`.

    Parameters
    ----------
    prefs : Preferences
        Any preferences. Bound symbolic preferences are checked with their exact derivatives
        at up to 256 of their parameter combinations; others by central finite differences of
        ``mrs`` at their parameters as given (broadcast against the grid).
    x, G : array_like, optional
        Private consumption and alliance-good levels to sample (default: 13 points from 1e-3
        to 1e3 each); every pair is checked.

    Returns
    -------
    PreferenceCheck

    Examples
    --------
    >>> import sympy as sp
    >>> from burden.symbolic import derive, check_preferences
    >>> x, G = sp.symbols("x G", positive=True)
    >>> check_preferences(derive(sp.log(x) + sp.log(G), x, G).bind()).normal
    True
    """
    if not isinstance(prefs, Preferences):
        raise TypeError(f"`prefs` must be a burden.Preferences; got {type(prefs).__name__}")
    xs = np.logspace(-3, 3, 13) if x is None else np.asarray(x, dtype=float).ravel()
    Gs = np.logspace(-3, 3, 13) if G is None else np.asarray(G, dtype=float).ravel()
    if (
        xs.size == 0
        or Gs.size == 0
        or np.any(~np.isfinite(xs) | (xs <= 0))
        or np.any(~np.isfinite(Gs) | (Gs <= 0))
    ):
        raise ValueError("`x` and `G` must be non-empty arrays of finite positive numbers")
    X, GG = np.meshgrid(xs, Gs, indexing="ij")
    X, GG = X.ravel(), GG.ravel()
    exact = hasattr(prefs, "mrs_derivatives") and hasattr(prefs, "_unchecked")
    if exact:
        params = _sampled_parameters(prefs)
        shape = (X.size,) + (1,) * bool(params)
        X, GG = X.reshape(shape), GG.reshape(shape)
        checked = type(prefs)._unchecked(prefs.derivation, params) if params else prefs
        with np.errstate(all="ignore"):
            m = checked.mrs(X, GG)
            dm_dx, dm_dG = checked.mrs_derivatives(X, GG)
    else:
        shape = (X.size,) + (1,) * max((np.ndim(getattr(prefs, n)) for n in prefs._param_names), default=0)
        X, GG = X.reshape(shape), GG.reshape(shape)
        with np.errstate(all="ignore"):
            m = prefs.mrs(X, GG)
            dm_dx = (prefs.mrs(X * (1 + _STEP), GG) - prefs.mrs(X * (1 - _STEP), GG)) / (2 * _STEP * X)
            dm_dG = (prefs.mrs(X, GG * (1 + _STEP)) - prefs.mrs(X, GG * (1 - _STEP))) / (2 * _STEP * GG)
    with np.errstate(all="ignore"):
        e_x, e_G = X * dm_dx / np.abs(m), GG * dm_dG / np.abs(m)
    e_x, e_G = np.broadcast_arrays(e_x, e_G)
    X, GG = np.broadcast_to(X, e_x.shape), np.broadcast_to(GG, e_x.shape)
    finite = np.isfinite(e_x) & np.isfinite(e_G)
    tol = _TOL_EXACT if exact else _TOL_DIFFERENCE
    bad_x, bad_G = finite & (e_x < -tol), finite & (e_G > tol)
    message = ""
    for bad, what, why in (
        (bad_x, "mrs falls with private consumption x", "the alliance good is inferior there"),
        (bad_G, "mrs rises with the alliance good G", "private consumption is inferior there"),
    ):
        if bad.any() and not message:
            k = np.unravel_index(np.argmax(bad), bad.shape)
            message = (
                f"{_name(prefs)} is not normal: {what} (at x = {X[k]:.6g}, G = {GG[k]:.6g}); "
                f"{why}, and the Nash equilibrium may not be unique"
            )
    return PreferenceCheck(
        normal=not (bad_x.any() or bad_G.any()),
        min_x_elasticity=float(np.min(e_x, where=finite, initial=np.inf)),
        max_G_elasticity=float(np.max(e_G, where=finite, initial=-np.inf)),
        message=message,
        status=np.asarray(Status.SUCCESS if finite.any() else Status.NOT_CERTIFIED, dtype=status_dtype),
    )
