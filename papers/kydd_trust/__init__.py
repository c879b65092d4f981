"""Kydd's trust game: minimum trust and cutoff equilibria (derived examples).

The three numbers are *derived* from the payoffs stated in DESIGN §3.4 (CC = 1, DD = 0,
CD = -c, DC = t), not quoted from a table: the model is Kydd's (2005, ch. 1–2), the worked
numbers are ours. Each computed value comes from :mod:`burden.security.trust`.

>>> for quantity, stated, computed, tol in rows():
...     print(f"{quantity:36} {stated:9.6f} {computed:9.6f}")
trust threshold, c=0.5, t=0.6         0.555556  0.555556
lower cutoff, t~U[0,2], c=0.1         0.229844  0.229844
upper cutoff, t~U[0,2], c=0.1         0.870156  0.870156
number of cutoffs, t~U[0,2], c=0.5    0.000000  0.000000
>>> all(abs(stated - computed) <= tol for _, stated, computed, tol in rows())
True
"""

from __future__ import annotations

from scipy import stats

from burden.security import trust_cutoffs, trust_threshold

__all__ = ["CITATION", "SOURCE_NOTE", "TITLE", "rows"]

TITLE = "Kydd (2005): trust thresholds and the spiral of mistrust"
CITATION = (
    "Kydd, A. H. (2005). Trust and Mistrust in International Relations. Princeton University Press, ch. 1-2."
)
SOURCE_NOTE = (
    "Derived examples: the stated values follow by hand from the 2x2 payoffs CC = 1, DD = 0, CD = -c, "
    "DC = t given in DESIGN §3.4 (threshold c/(1+c-t); cutoffs solve t = 1 + c - c/F(t)); they are not "
    "quoted from a table of Kydd (2005), whose model (ch. 1-2) they instantiate."
)


def rows() -> list[tuple[str, float, float, float]]:
    """``(quantity, stated value, computed value, tolerance)`` for the three examples."""
    uniform = stats.uniform(0, 2)
    two = trust_cutoffs(0.1, uniform)
    none = trust_cutoffs(0.5, uniform)
    return [
        ("trust threshold, c=0.5, t=0.6", 0.555556, float(trust_threshold(0.5, 0.6)), 5e-7),
        ("lower cutoff, t~U[0,2], c=0.1", 0.229844, float(two.cutoffs[0]), 5e-7),
        ("upper cutoff, t~U[0,2], c=0.1", 0.870156, float(two.cutoffs[1]), 5e-7),
        ("number of cutoffs, t~U[0,2], c=0.5", 0, int(none.count), 0),
    ]
