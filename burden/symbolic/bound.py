"""Numeric preferences from a symbolic derivation: lambdified functions plus closed forms.

:class:`BoundPreferences` is a :class:`burden.Preferences`, so it works in every solver. Where
the derivation found closed forms they are used (a consumption line linear in ``G`` gives the
exact sort-and-add path, a closed-form drop-out level and replacement function skip root
finding); everything else falls back on the numeric defaults of the base class.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from burden._validation import as_float_array
from burden._warnings import NotNormalWarning
from burden.preferences import Preferences
from burden.symbolic.normality import check_preferences

if TYPE_CHECKING:
    from burden.symbolic.derivation import SymbolicPreferences

__all__ = ["BoundPreferences"]


def _rebuild(derivation: SymbolicPreferences, params: dict[str, NDArray]) -> BoundPreferences:
    # pickling: lambdified functions are generated code, so rebuild them from the derivation
    return BoundPreferences._unchecked(derivation, params)


class BoundPreferences(Preferences):
    """Preferences whose utility and MRS come from a :class:`SymbolicPreferences` derivation.

    Parameters
    ----------
    derivation : SymbolicPreferences
        The output of :func:`burden.symbolic.derivation`.
    **params : array_like
        One value (or broadcastable array, e.g. one per member) for every parameter of the
        derivation; finite real numbers.

    Raises
    ------
    ValueError
        If a parameter is missing, unknown, or not finite.

    Warns
    -----
    NotNormalWarning
        If the preferences violate a normality condition at these parameter values on the
        checked domain (see :func:`burden.symbolic.check_preferences`).

    Examples
    --------
    >>> import sympy as sp, burden as bd
    >>> from burden.symbolic import derive
    >>> x, G, a = sp.symbols("x G a", positive=True)
    >>> prefs = derive((1 - a) * sp.log(x) + a * sp.log(G), x, G).bind(a=0.5)
    >>> bd.nash([100.0, 80.0], prefs).g
    array([40., 20.])
    """

    def __init__(self, derivation: SymbolicPreferences, **params: ArrayLike):
        self._setup(derivation, params)
        report = check_preferences(self)
        if not report.normal:
            warnings.warn(report.message, NotNormalWarning, stacklevel=3)

    @classmethod
    def _unchecked(cls, derivation: SymbolicPreferences, params: dict[str, ArrayLike]) -> BoundPreferences:
        """Bind without the normality check (already done, or done by the check itself)."""
        bound = cls.__new__(cls)
        bound._setup(derivation, params)
        return bound

    def _setup(self, derivation: SymbolicPreferences, params: dict[str, ArrayLike]) -> None:
        names = [str(s) for s in derivation.params]
        unknown = sorted(set(params) - set(names))
        if unknown:
            raise ValueError(f"unknown parameter(s) {unknown}; the utility's parameters are {names}")
        missing = [name for name in names if name not in params]
        if missing:
            raise ValueError(f"missing parameter(s) {missing}; the utility's parameters are {names}")
        self._derivation = derivation
        self._param_names = tuple(names)
        for name in names:
            value = as_float_array(params[name], name).copy()
            value.flags.writeable = False
            setattr(self, name, value)
        self._compile()

    @property
    def _values(self) -> tuple[NDArray, ...]:
        # read from the attributes each time: solvers that work on chunks of scenarios replace
        # them by the chunk's rows on a shallow copy
        return tuple(getattr(self, name) for name in self._param_names)

    def _compile(self) -> None:
        d = self._derivation
        x, G, w, p, params = d.x, d.G, d.w, d.p, d.params
        self._utility = sp.lambdify((x, G, *params), d.utility, "numpy")
        self._mrs = sp.lambdify((x, G, *params), d.mrs, "numpy")
        self._dmrs = tuple(
            sp.lambdify((x, G, *params), d.normality[key], "numpy") for key in ("dm/dx > 0", "dm/dG < 0")
        )
        self._consumption = self._dropout = self._line = None
        if d.consumption is not None:
            self._consumption = sp.lambdify((G, p, *params), d.consumption, "numpy")
            if d.linear:
                # x*(G) = x0 + slope G exactly (its second derivative is zero): read both at G = 1
                slope = sp.diff(d.consumption, G).subs(G, 1)
                at_one = d.consumption.subs(G, 1)
                self._line = sp.lambdify((p, *params), (at_one - slope, slope), "numpy")
        if d.dropout is not None:
            self._dropout = sp.lambdify((w, p, *params), d.dropout, "numpy")

    def __reduce__(self):
        return _rebuild, (self._derivation, dict(zip(self._param_names, self._values, strict=True)))

    @staticmethod
    def _shaped(value, *shaped: ArrayLike) -> NDArray:
        # lambdify returns scalars for constant expressions: give them the inputs' shape
        return np.broadcast_to(value, np.broadcast_shapes(np.shape(value), *map(np.shape, shaped))).copy()

    def utility(self, x, G):
        with np.errstate(all="ignore"):
            return self._shaped(self._utility(x, G, *self._values), x, G, *self._values)

    def mrs(self, x, G):
        with np.errstate(all="ignore"):
            return self._shaped(self._mrs(x, G, *self._values), x, G, *self._values)

    def mrs_derivatives(self, x: ArrayLike, G: ArrayLike) -> tuple[NDArray, NDArray]:
        """Exact ``(∂mrs/∂x, ∂mrs/∂G)`` from the derivation (used by the normality check)."""
        with np.errstate(all="ignore"):
            return tuple(self._shaped(f(x, G, *self._values), x, G, *self._values) for f in self._dmrs)

    def linear_foc(self, p):
        if self._line is None:
            return None
        with np.errstate(all="ignore"):
            x0, slope = self._line(p, *self._values)
        return np.asarray(x0, dtype=float), np.asarray(slope / p, dtype=float)

    def replacement(self, G, w, p=1.0):
        if self._line is not None or self._consumption is None:
            return super().replacement(G, w, p)
        G, w, p = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (G, w, p)))
        with np.errstate(all="ignore"):
            x = self._shaped(self._consumption(G, p, *self._values), G)
            r = (w - x) / p
        # normal goods: the first-order condition holds inside the budget, else a corner
        return np.clip(np.where(np.isnan(r), 0.0, r), 0.0, w / p)

    def dropout(self, w, p=1.0):
        if self._dropout is None or self._line is not None:
            return super().dropout(w, p)
        w, p = np.broadcast_arrays(np.asarray(w, dtype=np.float64), np.asarray(p, dtype=np.float64))
        with np.errstate(all="ignore"):
            Q = self._shaped(self._dropout(w, p, *self._values), w)
            # No positive root: mrs(w, G) - p keeps one sign for every G > 0, so the member
            # always contributes (inf) or never does (0); read the sign at the scale G = w/p.
            always = self.mrs(w, w / p) > p
        return np.where((Q > 0) & np.isfinite(Q), Q, np.where(always, np.inf, 0.0))

    @property
    def derivation(self) -> SymbolicPreferences:
        """The symbolic derivation these preferences were bound from."""
        return self._derivation
