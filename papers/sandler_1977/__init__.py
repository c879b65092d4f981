"""Sandler (1977): joint products and spill-ins, comparative statics (derived rows; see README.md).

>>> compute()["Nash/optimum ratio, n=3, a=0.3, b=0.2"]
0.75
"""

from __future__ import annotations

import numpy as np

import burden as bd

_THREE = np.ones(3)


def compute() -> dict[str, float]:
    """Joint-product Nash spending and Nash/optimum ratios; spill-in equilibrium."""
    joint = bd.free_riding(_THREE, bd.JointProduct(0.3, 0.2))
    pure = bd.free_riding(_THREE, bd.JointProduct(0.5, 0.0))
    spill = bd.nash([100.0, 80.0], bd.CobbDouglas(0.5), spillover=0.5).g
    return {
        "joint products: Nash q, n=3, a=0.3, b=0.2": float(bd.nash(_THREE, bd.JointProduct(0.3, 0.2)).g[0]),
        "joint products: Nash q, n=3, a=0.5, b=0 (pure)": float(
            bd.nash(_THREE, bd.JointProduct(0.5, 0.0)).g[0]
        ),
        "Nash/optimum ratio, n=3, a=0.3, b=0.2": float(joint.ratio),
        "Nash/optimum ratio, n=3, a=0.5, b=0 (pure)": float(pure.ratio),
        "sign of the change in the ratio as b rises (concordance)": float(np.sign(joint.ratio - pure.ratio)),
        "spill-in q1, theta=1/2, w=(100,80)": float(spill[0]),
        "spill-in q2, theta=1/2, w=(100,80)": float(spill[1]),
    }
