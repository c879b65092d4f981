"""Symbolic layer: derive a utility form's optimum conditions with sympy, then solve it fast.

``derive(u, x, G)`` works out the MRS, the best response and replacement function, the
drop-out level, the normality conditions and the Samuelson and Lindahl conditions;
``.bind(**params)`` returns preferences every solver accepts. See ``docs/symbolic.md``.
"""

from burden.symbolic.bound import BoundPreferences
from burden.symbolic.derivation import SymbolicPreferences, derive
from burden.symbolic.normality import PreferenceCheck, check_preferences

__all__ = ["BoundPreferences", "PreferenceCheck", "SymbolicPreferences", "check_preferences", "derive"]
