"""Worked examples of the Olson–Zeckhauser model (derived by hand, not published).

``docs/publicgoods.md`` and ``docs/impure.md`` derive these numbers; each follows by hand
from the closed forms (p = 1, Cobb–Douglas a = 1/2): with w = (100, 80) both members
contribute, ``G = (100 + 80)/3 = 60``;
with w = (100, 40) the poorer member's drop-out level 40 is below the richer member's
stand-alone total 50, so it free-rides; the Lindahl total is ``Σ a w = 90``. Olson's
group-size effect for n identical members of wealth 1 gives ``G_N/G_L = 2/(n+1)``. With
spill-ins ``θ = 1/2`` (Sandler's impure public good) the best responses
``q_i = (w_i - θ q_j)/2`` give ``q = (128/3, 88/3)``; three identical joint-product allies
(``a = 0.3, b = 0.2``, wealth 1) each buy ``(a/3 + b)/(a/3 + b + c) = 0.375``.
The computed values come from :func:`burden.nash`, :func:`burden.lindahl` and
:func:`burden.group_size_effect`.

>>> all(abs(stated - computed) <= tol for _, stated, computed, tol in rows())
True
"""

from __future__ import annotations

import burden as bd

__all__ = ["CITATION", "SOURCE_NOTE", "TITLE", "rows"]

TITLE = "Olson-Zeckhauser and Sandler worked examples: Nash, free riding, Lindahl, group size, spill-ins"
CITATION = (
    "Model: Olson, M. & Zeckhauser, R. (1966). An economic theory of alliances. Review of Economics and "
    "Statistics 48(3), 266-279; Lindahl benchmark as in Bergstrom, Blume & Varian (1986); impure "
    "public goods: Sandler, T. (1977). Impurity of defense. Kyklos 30(3), 443-460."
)
SOURCE_NOTE = (
    "Derived examples (docs/publicgoods.md, docs/impure.md), worked by hand from the closed forms; "
    "not quoted from a published table."
)


def rows() -> list[tuple[str, float, float, float]]:
    """``(quantity, stated value, computed value, tolerance)``."""
    half = bd.CobbDouglas(0.5)
    interior = bd.nash([100.0, 80.0], half)
    boundary = bd.nash([100.0, 40.0], half)
    optimum = bd.lindahl([100.0, 80.0], half)
    sizes = bd.group_size_effect(1.0, half, n_max=10)
    spill = bd.nash([100.0, 80.0], half, spillover=0.5)
    joint = bd.nash([1.0, 1.0, 1.0], bd.JointProduct(0.3, 0.2))
    tol = 1e-12
    return [
        ("Nash g1, w=(100,80)", 40.0, float(interior.g[0]), tol),
        ("Nash g2, w=(100,80)", 20.0, float(interior.g[1]), tol),
        ("Nash G, w=(100,80)", 60.0, float(interior.G), tol),
        ("Nash g1, w=(100,40)", 50.0, float(boundary.g[0]), tol),
        ("Nash g2, w=(100,40) (free rider)", 0.0, float(boundary.g[1]), tol),
        ("Lindahl G, w=(100,80)", 90.0, float(optimum.G), tol),
        ("Lindahl tau1, w=(100,80)", 5 / 9, float(optimum.tau[0]), tol),
        ("Lindahl tau2, w=(100,80)", 4 / 9, float(optimum.tau[1]), tol),
        ("G_N/G_L, 10 identical members", 2 / 11, float(sizes.ratio[-1]), tol),
        ("spill-in q1, theta=1/2, w=(100,80)", 128 / 3, float(spill.g[0]), tol),
        ("spill-in q2, theta=1/2, w=(100,80)", 88 / 3, float(spill.g[1]), tol),
        ("joint products q, n=3, a=0.3, b=0.2", 0.375, float(joint.g[0]), tol),
    ]
