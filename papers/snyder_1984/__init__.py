"""Snyder (1984): comparative statics of our commitment game as signs (derived; see README.md).

The parametrisation is ours, not Snyder's (``docs/security.md``).

>>> compute()["dependence d1 up: c1"]
1.0
"""

from __future__ import annotations

import numpy as np

import burden as bd

_BASE = {
    "pi": 0.5, "d": 2.0, "e": 0.5, "s": 0.3, "m": 0.5, "kappa": 0.2,
    "deterrence": 0.2, "spiral": 0.05, "k": 1.0, "realign": 0.5,
}  # fmt: skip


def _game(**changes) -> bd.CommitmentGame:
    return bd.CommitmentGame(**{**_BASE, **changes})


def _c1(**changes) -> float:
    eq = _game(**changes).equilibria()
    if int(eq.count) != 1:
        raise ValueError(f"the baseline changed by {changes} has {int(eq.count)} equilibria, not one")
    return float(eq.c[0, 0])


def compute() -> dict[str, float]:
    """Sign of the change in ally 1's equilibrium commitment for each determinant."""
    base = _c1()

    def sign(**changes) -> float:
        return float(np.sign(_c1(**changes) - base))

    return {
        "dependence d1 up: c1": sign(d=[2.1, 2.0]),
        "shared interests s1 up: c1": sign(s=[0.4, 0.3]),
        "partner's moral hazard m2 up: c1": sign(m=[0.5, 0.6]),
        "entrapment cost e1 up: c1": sign(e=[0.6, 0.5]),
        "bargaining leverage kappa1 up: c1": sign(kappa=[0.3, 0.2]),
        "multipolar (realignment 1) minus bipolar (0): c1": float(
            np.sign(_c1(realign=1.0) - _c1(realign=0.0))
        ),
        "bipolar (realignment 0): c1": _c1(realign=0.0),
    }


def plots(directory):
    """Best responses and equilibria of the baseline game."""
    from burden import plots

    ax = plots.commitment_best_responses(_game())
    return [plots.save(ax, directory / "snyder_1984_best_responses.png")]
