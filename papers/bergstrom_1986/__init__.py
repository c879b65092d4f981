"""Bergstrom, Blume & Varian (1986): neutrality and crowding out, numerically (see README.md).

>>> compute()["G after moving 5 from ally 1 to ally 3"]
62.5
"""

from __future__ import annotations

import numpy as np

import burden as bd

_HALF = bd.CobbDouglas(0.5)
_WEALTH = np.array([100.0, 80.0, 70.0])


def compute() -> dict[str, float]:
    """Nash equilibria before and after redistributions and outside provision."""
    base = bd.nash(_WEALTH, _HALF)
    moved = bd.nash(_WEALTH + [-5.0, 0.0, 5.0], _HALF)
    dropped = bd.nash(_WEALTH + [20.0, 0.0, -20.0], _HALF)
    unfunded = bd.nash(_WEALTH, _HALF, G0=10.0)
    funded = bd.nash(_WEALTH - 10.0 / 3, _HALF, G0=10.0)
    return {
        "G, w=(100,80,70)": float(base.G),
        "G after moving 5 from ally 1 to ally 3": float(moved.G),
        "change in each ally's consumption after the move (max abs)": float(np.abs(moved.x - base.x).max()),
        "change in ally 3's contribution after the move": float(moved.g[2] - base.g[2]),
        "G after moving 20 from ally 3 to ally 1 (ally 3 drops out)": float(dropped.G),
        "G with unfunded G0=10": float(unfunded.G),
        "fall in own contributions per unit of unfunded G0": float((base.g.sum() - unfunded.g.sum()) / 10.0),
        "G with G0=10 financed by lump-sum taxes on the contributors": float(funded.G),
    }


def plots(directory):
    """Reaction curves of the first two allies with the Nash and Lindahl points."""
    from burden import plots

    ax = plots.reaction_curves([100.0, 80.0], _HALF)
    return [plots.save(ax, directory / "bergstrom_1986_reaction_curves.png")]
