"""Andreoni & McGuire (1993): sort-and-add on five allies (derived rows; see README.md).

>>> compute()["number of contributors"]
3
"""

from __future__ import annotations

import numpy as np

import burden as bd

_A = np.array([0.6, 0.5, 0.4, 0.5, 0.3])
_WEALTH = np.array([60.0, 100.0, 96.0, 30.0, 120.0])


class _HandWrittenCobbDouglas(bd.Preferences):
    """Cobb–Douglas given only by utility and MRS, so the solver cannot use the closed form."""

    def utility(self, x, G):
        return (1 - _A) * np.log(x) + _A * np.log(G)

    def mrs(self, x, G):
        return _A / (1 - _A) * np.asarray(x) / G


def compute() -> dict[str, float]:
    """The sort-and-add equilibrium and the generic solver's answer on the same allies."""
    eq = bd.nash(_WEALTH, bd.CobbDouglas(_A))
    generic = bd.nash(_WEALTH, _HandWrittenCobbDouglas())
    return {
        "G (sort-and-add)": float(eq.G),
        "number of contributors": int(eq.contributors.sum()),
        "contribution of ally 3": float(eq.g[2]),
        "contribution of the richest ally (w=120, a=0.3)": float(eq.g[4]),
        "G by generic root finding (user-defined Cobb-Douglas)": float(generic.G),
    }
